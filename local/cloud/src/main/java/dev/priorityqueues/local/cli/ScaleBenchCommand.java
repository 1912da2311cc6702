package dev.priorityqueues.local.cli;

import dev.priorityqueues.contract.FlowDefaults;
import dev.priorityqueues.local.bench.FlowRun;
import dev.priorityqueues.local.bench.ScaleAnalysis;
import dev.priorityqueues.local.bench.ScaleReport;
import dev.priorityqueues.local.bench.ScaleScenarios;
import dev.priorityqueues.local.bench.Scenario;
import dev.priorityqueues.local.cloud.LocalStacks;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./pq scale-bench}: the flows at the seed's scale (1,000 worker slots), with Lambda's
 * scaling ramp, against the ideal on all slots and the ideal on the concurrency the ramp allowed.
 * A full-speed run does not fit a small machine, so every time constant can be divided by one
 * factor ({@code --time-scale}); the report states it and gives every time in AWS time.
 */
@Command(name = "scale-bench", mixinStandardHelpOptions = true,
    description = "The priority flows at scale (default 1,000 slots) with Lambda's scaling ramp, time-scaled by one stated factor.")
public final class ScaleBenchCommand implements Callable<Integer> {

  @Option(names = "--slots", defaultValue = "1000", description = "Worker slots: the worker's reserved concurrency, 40 to 1000 (default: ${DEFAULT-VALUE}).")
  int slots;

  @Option(names = "--service-s", defaultValue = "20", description = "Simulated service time per job in AWS seconds (default: ${DEFAULT-VALUE}).")
  int serviceSeconds;

  @Option(names = "--time-scale", defaultValue = "2",
      description = "Runs AWS time this many times faster: every time constant (jobs, arrivals, the mappings' ramp, SQS attribute lag, "
          + "the flows' cache and hold windows) is divided by it (default: ${DEFAULT-VALUE}).")
  double timeScale;

  @Option(names = "--burst-jobs", description = "Regular jobs of the burst and of the surge scenario's backlog (default: 2 × slots for the burst, 1.5 × slots for the backlog).")
  Integer burstJobs;

  @Option(names = "--surge-jobs", description = "Premium jobs of the surge (default: slots / 5).")
  Integer surgeJobs;

  @Option(names = "--scenario", split = ",", defaultValue = "regular-burst,premium-surge",
      description = "Scenarios: regular-burst, premium-surge (default: ${DEFAULT-VALUE}).")
  List<String> scenarios;

  @Option(names = "--runs", split = ",", defaultValue = "ql-900-100,hf-equal,hf-equal-lend,hf-top-small,hf-provisioned",
      description = "Configurations: ql-900-100, ql-equal, hf-equal, hf-equal-lend, hf-top-small, hf-provisioned, cl-equal, cl-top-small "
          + "(default: ${DEFAULT-VALUE}).")
  List<String> runs;

  @Option(names = "--lend-tokens", defaultValue = "2", description = "Capacity tokens of the hf-equal-lend run (default: ${DEFAULT-VALUE}).")
  int lendTokens;

  @Option(names = "--lag-ms", defaultValue = "2000", description = "SQS attribute lag in AWS ms (default: ${DEFAULT-VALUE}).")
  long lagMillis;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of the traces (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--stack", defaultValue = "dev", description = "Stack file the runs start from (default: ${DEFAULT-VALUE}).")
  String stack;

  @Option(names = "--out", defaultValue = "docs/benchmarks",
      description = "Directory for the report, priority-flows-at-scale.md (default: ${DEFAULT-VALUE}).")
  Path out;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Console.requireRange(spec, "--slots", slots, 40, 1000);
    Console.requireRange(spec, "--service-s", serviceSeconds, 1, 600, "seconds");
    if (!(timeScale >= 1 && timeScale <= 20)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--time-scale must be from 1 to 20, not " + timeScale);
    }
    Console.requireRange(spec, "--lend-tokens", lendTokens, 1, FlowDefaults.LEND_TOKENS_MAX);
    Console.requireRange(spec, "--lag-ms", lagMillis, 0, 120_000);
    int burst = burstJobs == null ? 2 * slots : burstJobs;
    int backlog = burstJobs == null ? slots * 3 / 2 : burstJobs;
    int surge = surgeJobs == null ? Math.max(1, slots / 5) : surgeJobs;
    Console.requireRange(spec, "--burst-jobs", burst, 1, 20_000);
    Console.requireRange(spec, "--surge-jobs", surge, 1, 5_000);
    int serviceMillisReal = (int) Math.round(serviceSeconds * 1000 / timeScale);
    List<ScaleScenarios.Config> configs = new ArrayList<>();
    List<Scenario> plan = new ArrayList<>();
    try {
      for (String id : runs) {
        configs.add(ScaleScenarios.config(id, lendTokens));
      }
      for (String name : scenarios) {
        plan.add(switch (name) {
          case "regular-burst" -> ScaleScenarios.regularBurst(slots, serviceSeconds * 1000L, burst, timeScale, seed);
          case "premium-surge" -> ScaleScenarios.premiumSurge(slots, backlog, surge, timeScale, seed);
          default -> throw new IllegalArgumentException("unknown scenario '" + name + "'; scenarios are regular-burst, premium-surge");
        });
      }
      for (ScaleScenarios.Config config : configs) {
        config.apply(plan.get(0), slots);
      }
    } catch (RuntimeException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    PrintStream console = Console.quietFunctions(Path.of("local/cloud/work/scale-bench-functions.log"));
    double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    console.printf(Locale.ROOT, "%d slots, %d s jobs (AWS time), time scale %s: AWS time runs %s× faster; load average %.2f%n",
        slots, serviceSeconds, fmt(timeScale), fmt(timeScale), loadBefore);
    FlowRun.Setup base = new FlowRun.Setup(LocalStacks.projectDir(), stack, slots, serviceMillisReal,
        Duration.ofMillis(Math.round(lagMillis / timeScale)), false, 0, timeScale, scaledTuning(timeScale));
    Files.createDirectories(out);
    Path file = out.resolve("priority-flows-at-scale.md");
    ScaleReport report = new ScaleReport(commandLine(), slots, serviceSeconds, timeScale, lagMillis, seed, loadBefore);
    for (Scenario scenario : plan) {
      console.printf("%nScenario %s: %s%n", scenario.name(), scenario.description());
      List<ScaleAnalysis> analyses = new ArrayList<>();
      for (ScaleScenarios.Config config : configs) {
        Scenario configured = config.apply(scenario, slots);
        FlowRun.Result result = BenchCommand.run(console, configured, config.label(), config.flow(),
            base.withLendTokens(config.lendTokens()));
        ScaleAnalysis a = ScaleAnalysis.of(result, slots, serviceMillisReal, timeScale);
        analyses.add(a);
        console.println(ScaleReport.summary(a));
      }
      report.scenario(scenario, configs, analyses);
      // Written after every scenario: on a busy machine a later scenario may never finish.
      Files.writeString(file, report.markdown());
    }
    console.printf("%nReport: %s%n", file);
    return 0;
  }

  /** The flows' time constants, divided by the time scale (whole seconds where the setting takes seconds). */
  static Map<String, String> scaledTuning(double timeScale) {
    Map<String, String> tuning = new LinkedHashMap<>();
    tuning.put("backlogCacheMillis", Long.toString(Math.round(FlowDefaults.BACKLOG_CACHE_MILLIS / timeScale)));
    tuning.put("backlogHoldMillis", Long.toString(Math.round(FlowDefaults.BACKLOG_HOLD_MILLIS / timeScale)));
    tuning.put("deferDelaySeconds", Long.toString(Math.max(1, Math.round(FlowDefaults.DEFER_DELAY_SECONDS / timeScale))));
    tuning.put("retryBackoffSeconds", Long.toString(Math.max(1, Math.round(FlowDefaults.RETRY_BACKOFF_SECONDS / timeScale))));
    return tuning;
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }

  private String commandLine() {
    return "./pq scale-bench --slots " + slots + " --service-s " + serviceSeconds + " --time-scale " + fmt(timeScale)
        + (burstJobs == null ? "" : " --burst-jobs " + burstJobs) + (surgeJobs == null ? "" : " --surge-jobs " + surgeJobs)
        + " --scenario " + String.join(",", scenarios) + " --runs " + String.join(",", runs) + " --lend-tokens " + lendTokens
        + " --lag-ms " + lagMillis + " --seed " + seed + (stack.equals("dev") ? "" : " --stack " + stack);
  }
}
