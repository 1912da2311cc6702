package dev.priorityqueues.local.cli;

import dev.priorityqueues.contract.Flow;
import dev.priorityqueues.local.bench.Analysis;
import dev.priorityqueues.local.bench.BenchReport;
import dev.priorityqueues.local.bench.FlowRun;
import dev.priorityqueues.local.bench.Scenario;
import dev.priorityqueues.local.cloud.LocalStacks;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./pq bench}: replays the same traces through every flow and writes the report. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Run the priority benchmark: every flow on the same arrival trace, against the ideal scheduler.")
public final class BenchCommand implements Callable<Integer> {

  @Option(names = "--scenario", split = ",", defaultValue = "regular-burst,three-tiers,heavy-user",
      description = "Scenarios to run: regular-burst, three-tiers, heavy-user (default: ${DEFAULT-VALUE}).")
  List<String> scenarios;

  @Option(names = "--flows", split = ",", defaultValue = "queue-level,consumer-level,highest-first",
      description = "Flows to compare (default: ${DEFAULT-VALUE}).")
  List<String> flows;

  @Option(names = "--slots", defaultValue = "16", description = "Worker slots: the worker's reserved concurrency (default: ${DEFAULT-VALUE}).")
  int slots;

  @Option(names = "--service-ms", defaultValue = "1000",
      description = "Simulated service time per job, ms (default: ${DEFAULT-VALUE}; at 100 ms with 16 slots the local servers saturate 2 cores).")
  int serviceMillis;

  @Option(names = "--scale", defaultValue = "3.0", description = "Multiplies every scenario's job count (default: ${DEFAULT-VALUE}).")
  double scale;

  @Option(names = "--lag-ms", defaultValue = "2000",
      description = "Lag of SQS's approximate message counts as the worker sees them, ms (default: ${DEFAULT-VALUE}).")
  long lagMillis;

  @Option(names = "--caps", split = ";", defaultValue = "equal;top-small",
      description = "Mapping caps to run each scenario with, separated by ';': equal, top-small, or explicit like 12,4 (default: ${DEFAULT-VALUE}).")
  List<String> caps;

  @Option(names = "--lend-tokens", split = ",", defaultValue = "" + dev.priorityqueues.contract.FlowDefaults.LEND_TOKENS,
      description = "highest-first runs, one per value: capacity tokens lent to an idle higher tier (0 = off; default: ${DEFAULT-VALUE}, the stack's).")
  List<Integer> lendTokens;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of the arrival traces (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--stack", defaultValue = "dev", description = "Stack file the runs start from (default: ${DEFAULT-VALUE}).")
  String stack;

  @Option(names = "--warmup", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Run a short unreported pass first, so the JVM's JIT and the servers are warm for every measured flow (default: ${DEFAULT-VALUE}).")
  boolean warmup;

  @Option(names = "--out", defaultValue = "docs/benchmarks",
      description = "Directory for the report (priority-flows.md) and plots (default: ${DEFAULT-VALUE}).")
  Path out;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Console.requireRange(spec, "--slots", slots, 2, 256);
    Console.requireRange(spec, "--service-ms", serviceMillis, 1, 60_000);
    if (scale <= 0 || scale > 20) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--scale must be above 0 and at most 20, not " + scale);
    }
    Console.requireRange(spec, "--lag-ms", lagMillis, 0, 120_000);
    for (int tokens : lendTokens) {
      Console.requireRange(spec, "--lend-tokens", tokens, 0, dev.priorityqueues.contract.FlowDefaults.LEND_TOKENS_MAX);
    }
    // Every flow, scenario and cap spec is checked before the first run: a typo in the last one
    // must not cost the minutes of the runs before it.
    List<Flow> flowList;
    List<Planned> plan = new ArrayList<>();
    try {
      flowList = flows.stream().map(Flow::parse).toList();
      for (String name : scenarios) {
        if (name.equals(HEAVY_USER)) {
          plan.add(new Planned(Scenario.named(HEAVY_USER, slots, serviceMillis, scale, seed), null));
          continue;
        }
        for (String capSpec : caps) {
          plan.add(new Planned(Scenario.named(name, slots, serviceMillis, scale, seed).withCaps(capSpec, slots), capSpec));
        }
      }
    } catch (RuntimeException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    PrintStream console = Console.quietFunctions(Path.of("local/cloud/work/bench-functions.log"));
    Path projectDir = LocalStacks.projectDir();
    FlowRun.Setup setup = new FlowRun.Setup(projectDir, stack, slots, serviceMillis, Duration.ofMillis(lagMillis), false);
    StringBuilder report = new StringBuilder(BenchReport.header(commandLine(), slots, serviceMillis, lagMillis, seed));
    if (warmup) {
      Scenario small = Scenario.named(scenarios.get(0), slots, serviceMillis, 0.1, seed + 1);
      console.printf("Warm-up (not reported): %s at 10%% scale%n", small.name());
      for (Flow flow : flowList) {
        run(console, small, "warm-up " + flow.id(), flow, setup);
      }
    }
    for (Planned planned : plan) {
      if (planned.capSpec() == null) {
        report.append(fairness(console, setup, planned.scenario(), flowList));
        continue;
      }
      Scenario scenario = planned.scenario();
      console.printf("%nScenario %s, caps %s: %s%n", scenario.name(), planned.capSpec(), scenario.description());
      List<Analysis> analyses = new ArrayList<>();
      for (Flow flow : flowList) {
        for (int tokens : flow == Flow.HIGHEST_FIRST ? lendTokens : List.of(0)) {
          String label = tokens == 0 ? flow.id() : flow.id() + " +lend " + tokens;
          FlowRun.Result result = run(console, scenario, label, flow, setup.withLendTokens(tokens));
          analyses.add(Analysis.of(result, slots, serviceMillis));
        }
      }
      report.append(section(scenario, planned.capSpec(), analyses));
      console.println();
      console.print(BenchReport.table(analyses));
    }
    Files.createDirectories(out);
    Path file = out.resolve("priority-flows.md");
    Files.writeString(file, report);
    console.printf("%nReport: %s%n", file);
    return 0;
  }

  private static final String HEAVY_USER = "heavy-user";

  /** One reported run of every flow: a scenario with its caps, or (caps null) the fairness runs. */
  private record Planned(Scenario scenario, String capSpec) {}

  static FlowRun.Result run(PrintStream console, Scenario scenario, String label, Flow flow, FlowRun.Setup setup) {
    try (ProgressBar bar = Console.bar(console, label, 22, scenario.arrivals().size())) {
      return FlowRun.run(label, scenario, flow, setup, bar::stepTo);
    }
  }

  private String section(Scenario scenario, String capSpec, List<Analysis> analyses) throws Exception {
    String slug = scenario.name() + "-" + capSpec.replace(',', '-');
    StringBuilder md = new StringBuilder("## Scenario: ").append(scenario.name()).append(", caps ").append(capSpec).append("\n\n")
        .append(scenario.description()).append(". Tier caps (maximum concurrency): ");
    scenario.tiers().forEach(t -> md.append(t.name()).append(" ").append(t.maxConcurrency()).append(", "));
    md.setLength(md.length() - 2);
    md.append(".\n\n").append(BenchReport.table(analyses)).append("\n").append(BenchReport.latencyLine(analyses)).append("\n");
    if (scenario.tiers().size() > 2) {
      md.append(BenchReport.tierTable(analyses)).append("\n");
    }
    for (Analysis a : analyses) {
      Path png = BenchReport.plot(a, false, out, slug + "-" + a.run().label().replaceAll("[^a-z0-9]+", "-") + ".png");
      md.append("![").append(a.run().label()).append("](").append(png.getFileName()).append(")\n");
    }
    Analysis last = analyses.get(analyses.size() - 1);
    Path ideal = BenchReport.plot(last, true, out, slug + "-ideal.png");
    md.append("![ideal](").append(ideal.getFileName()).append(")\n\n");
    return md.toString();
  }

  /**
   * One tier, one heavy user and many light ones, with the uploader as message group (SQS fair
   * queues) and without: how long the light users wait behind the heavy user's batch.
   */
  private String fairness(PrintStream console, FlowRun.Setup setup, Scenario scenario, List<Flow> flowList) throws Exception {
    console.printf("%nScenario %s: %s%n", scenario.name(), scenario.description());
    StringBuilder md = new StringBuilder("## Scenario: heavy-user (fairness inside a tier)\n\n")
        .append(scenario.description()).append(". One tier, cap ").append(scenario.tiers().get(0).maxConcurrency())
        .append(". *Fair queues* sends every job with its uploader as `MessageGroupId` (the `fairQueues` setting, on by ")
        .append("default); SQS then serves quiet tenants before a noisy one. The local cloud emulates that over ElasticMQ ")
        .append("(docs/local-cloud.md).\n\n")
        .append("| flow | message groups | light users p50 | light p95 | light max | heavy user p50 | heavy p95 | makespan |\n")
        .append("|---|---|---:|---:|---:|---:|---:|---:|\n");
    for (Flow flow : flowList) {
      for (boolean fair : new boolean[] {false, true}) {
        String label = flow.id() + (fair ? ", fair queues" : ", no groups");
        FlowRun.Setup run = new FlowRun.Setup(setup.projectDir(), setup.stack(), setup.slots(), setup.serviceMillis(),
            setup.attributeLag(), fair);
        Analysis a = Analysis.of(run(console, scenario, label, flow, run), slots, serviceMillis);
        var light = a.waitsOfUsers("light-user-");
        var heavy = a.waitsOfUsers("heavy-user");
        md.append(String.format(java.util.Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %.2f s |%n", flow.id(),
            fair ? "uploader (fair queues)" : "none", BenchReport.ms(light.at(50)), BenchReport.ms(light.at(95)),
            BenchReport.ms(light.max()), BenchReport.ms(heavy.at(50)), BenchReport.ms(heavy.at(95)),
            a.run().makespanMillis() / 1000.0));
        console.printf(java.util.Locale.ROOT, "%s: light users p95 %s, heavy user p95 %s%n", label,
            BenchReport.ms(light.at(95)), BenchReport.ms(heavy.at(95)));
      }
    }
    return md.append("\n").toString();
  }

  private String commandLine() {
    return "./pq bench --scenario " + String.join(",", scenarios) + " --caps '" + String.join(";", caps) + "' --flows " + String.join(",", flows)
        + " --slots " + slots + " --service-ms " + serviceMillis + " --scale " + scale + " --lag-ms " + lagMillis
        + " --seed " + seed + (stack.equals("dev") ? "" : " --stack " + stack) + (warmup ? "" : " --no-warmup")
        + (lendTokens.equals(List.of(dev.priorityqueues.contract.FlowDefaults.LEND_TOKENS)) ? "" : " --lend-tokens " + lendTokens.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(",")));
  }
}
