package dev.priorityqueues.local.bench;

import dev.priorityqueues.contract.Flow;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;

/**
 * The at-scale benchmark's Markdown report: every time in AWS time (measured time × the time
 * scale), each run against both ideals, the targets as ratios, ASCII plots of the concurrency
 * the ramp made available against the slots in use, and the CPU each part of the JVM used.
 */
public final class ScaleReport {
  /** Target: the top tier's p95 within this many S of the ramp-ideal's. */
  public static final double P95_EXCESS_TARGET = 0.25;
  /** Target: makespan at most this many times the ramp-ideal's. */
  public static final double MAKESPAN_TARGET = 1.05;

  private static final int COLUMNS = 72;
  private static final int ROWS = 10;

  private final StringBuilder md = new StringBuilder();
  private final double timeScale;

  public ScaleReport(String command, int slots, int serviceSeconds, double timeScale, long lagMillis, long seed, double loadAverage) {
    this.timeScale = timeScale;
    String f = timeScale == Math.rint(timeScale) ? Long.toString((long) timeScale) : Double.toString(timeScale);
    md.append("# Priority flows at scale: ").append(slots).append(" worker slots with Lambda's scaling ramp\n\n");
    if (timeScale != 1) {
      md.append("> **Time-scaled run: every time constant divided by ").append(f).append(".** ")
          .append("The jobs, the arrival trace, the mappings' scaling ramp (5 concurrent batches, +300 per minute; ")
          .append("provisioned: +1,000 per minute), the SQS attribute lag and the flows' cache and hold windows all run ")
          .append(f).append("× faster than AWS time. Every time below is AWS time (measured × ").append(f)
          .append("). Not scaled: the local servers' own call latency (a few ms, so ").append(f)
          .append("× larger relative to a job than in AWS, which only makes the flows look worse) and the settings ")
          .append("kept in whole seconds (consumer-level's defer delay and the retry backoff, rounded).\n\n");
    }
    md.append("Measured ").append(LocalDate.now()).append(" on ").append(Runtime.getRuntime().availableProcessors())
        .append(" shared cores (load average ").append(String.format(Locale.ROOT, "%.2f", loadAverage))
        .append(" at the start), JDK ").append(Runtime.version())
        .append(", with the local cloud (ElasticMQ, DynamoDB Local, S3Proxy and the emulated functions in one JVM).\n\n")
        .append("Reproduce with:\n\n```bash\n").append(command).append("\n```\n\n")
        .append("Setup: ").append(slots).append(" worker slots (the worker's reserved concurrency), simulated jobs of ")
        .append(serviceSeconds).append(" s (AWS time), batch size 1 without a batching window, SQS attribute lag ")
        .append(lagMillis).append(" ms, seed ").append(seed).append(". Each run replays the same trace on a fresh local cloud. ")
        .append("Two ideals, both non-preemptive strict-priority schedulers replaying the run's actual arrivals with its ")
        .append("measured service times:\n\n")
        .append("- **all-slots ideal**: all ").append(slots).append(" slots from the first second (the physical limit);\n")
        .append("- **ramp-ideal**: only as many slots as Lambda's scaling allowed the run's mappings together at each ")
        .append("moment (sampled every 100 ms, at most the slots). It isolates scheduling from scaling: a flow at 1.00× ")
        .append("the ramp-ideal used every slot the ramp gave it for the right job.\n\n")
        .append("*S* is the mean measured service time. \"Excess\" is the premium p95 wait minus the ideal's, in S. ")
        .append("Targets for highest-first: premium p95 ≤ ramp-ideal's + ").append(P95_EXCESS_TARGET)
        .append(" S, makespan ≤ ").append(MAKESPAN_TARGET).append("× the ramp-ideal's.\n\n");
  }

  public void scenario(Scenario scenario, List<ScaleScenarios.Config> configs, List<ScaleAnalysis> analyses) {
    md.append("## Scenario: ").append(scenario.name()).append("\n\n").append(scenario.description()).append(".\n\n")
        .append("| run | mappings | premium p50 | premium p95 | ramp-ideal p95 | excess over ramp-ideal | excess over all-slots ideal ")
        .append("| regular p95 | makespan | × all-slots ideal | × ramp-ideal | mean available slots | used of available ")
        .append("| SQS calls/job (worker + mappings) | DLQ moves |\n")
        .append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (ScaleAnalysis a : analyses) {
      Analysis b = a.base();
      md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %+.2f S | %+.2f S | %s | %s | %.3f | %.3f | %.0f | %.0f%% | %.2f + %.2f | %d |%n",
          b.run().label(), mappings(b.run().scenario()), sec(b.waitsByTier().get(b.topTier()).at(50)), sec(a.topP95()),
          sec(a.rampIdealTopWaits().at(95)), a.topP95ExcessOverRampIdeal(), b.topP95ExcessInServiceTimes(),
          sec(b.waitsByTier().get(b.bottomTier()).at(95)), sec(b.run().makespanMillis()), b.makespanRatio(),
          a.makespanOverRampIdeal(), meanAvailable(a), 100 * a.utilisationOfAvailable(), b.workerSqsCallsPerJob(),
          b.mappingSqsCallsPerJob(), b.run().dlqMessages()));
    }
    md.append(String.format(Locale.ROOT, "%nAll-slots ideal makespan %s; ramp-ideal makespans %s.%n%n",
        sec(analyses.get(0).base().idealMakespanMillis()),
        String.join(", ", analyses.stream().map(a -> a.base().run().label() + " " + sec(a.rampIdeal().makespanMillis())).toList())));
    md.append("**Targets** (measured side by side in this run):\n\n");
    for (ScaleAnalysis a : analyses) {
      Flow flow = a.base().run().flow();
      double excess = a.topP95ExcessOverRampIdeal();
      double makespan = a.makespanOverRampIdeal();
      String verdict = flow == Flow.HIGHEST_FIRST
          ? (excess <= P95_EXCESS_TARGET ? "met" : "missed") + " / " + (makespan <= MAKESPAN_TARGET ? "met" : "missed")
          : "for comparison";
      md.append(String.format(Locale.ROOT, "- %s: premium p95 %+.2f S over the ramp-ideal (target ≤ %+.2f S), makespan %.3f× the ramp-ideal "
          + "(target ≤ %.2f×): %s.%n", a.base().run().label(), excess, P95_EXCESS_TARGET, makespan, MAKESPAN_TARGET, verdict));
    }
    md.append("\n### Slots in use (`#`) and available by the ramp but idle (`.`), over AWS time\n\n")
        .append("One column per ").append(String.format(Locale.ROOT, "%.1f", columnMillis(analyses) * timeScale / 1000))
        .append(" s; the row under each plot is the longest premium wait of the jobs arriving in that column, in S ")
        .append("(`0`–`9`, `+` above 9, blank: no premium arrival).\n\n");
    for (ScaleAnalysis a : analyses) {
      md.append("```text\n").append(a.base().run().label()).append("\n").append(plot(a, columnMillis(analyses))).append("```\n\n");
    }
    md.append("### CPU during the runs\n\n")
        .append("Shares of the machine's cores over each run's wall time, by the JVM threads that used them: the servers ")
        .append("(ElasticMQ, DynamoDB Local, S3Proxy) together with the JVM's own threads (GC, JIT); the emulated ")
        .append("invocations (the worker's code and its SDK clients); the mappings' pollers.\n\n")
        .append("| run | wall (real) | servers + JVM | invocations | pollers | whole process | load average after |\n")
        .append("|---|---:|---:|---:|---:|---:|---:|\n");
    for (ScaleAnalysis a : analyses) {
      RunMonitor.Cpu cpu = a.base().run().cpu();
      double cores = cpu.wallSeconds() * cpu.cores();
      md.append(String.format(Locale.ROOT, "| %s | %.0f s | %.0f%% | %.0f%% | %.0f%% | %.0f%% | %.2f |%n", a.base().run().label(),
          cpu.wallSeconds(), 100 * cpu.serversShare(), 100 * cpu.functionsSeconds() / cores, 100 * cpu.pollersSeconds() / cores,
          100 * cpu.processShare(), cpu.loadAverage()));
    }
    md.append("\n");
  }

  public String markdown() {
    return md.toString();
  }

  /** One console line per run. */
  public static String summary(ScaleAnalysis a) {
    Analysis b = a.base();
    return String.format(Locale.ROOT, "%s: premium p95 %+.2f S over the ramp-ideal, makespan %.3f× ramp-ideal, %.3f× all-slots ideal; "
        + "servers %.0f%% of the cores, load %.2f", b.run().label(), a.topP95ExcessOverRampIdeal(), a.makespanOverRampIdeal(),
        b.makespanRatio(), 100 * b.run().cpu().serversShare(), b.run().cpu().loadAverage());
  }

  private static String mappings(Scenario scenario) {
    StringBuilder s = new StringBuilder();
    for (Scenario.TierSpec t : scenario.tiers()) {
      if (s.length() > 0) {
        s.append(" / ");
      }
      s.append(t.name()).append(' ');
      if (t.provisioned()) {
        s.append("provisioned ").append(t.minPollers()).append("–").append(t.maxConcurrency() / 10).append(" pollers");
      } else {
        s.append(t.maxConcurrency());
      }
    }
    return s.toString();
  }

  private static double meanAvailable(ScaleAnalysis a) {
    long end = a.base().run().makespanMillis();
    double area = 0;
    List<long[]> steps = a.available();
    for (int i = 0; i < steps.size(); i++) {
      long from = Math.min(end, steps.get(i)[0]);
      long to = i + 1 < steps.size() ? Math.min(end, steps.get(i + 1)[0]) : end;
      area += Math.max(0, to - from) * (double) steps.get(i)[1];
    }
    return end <= 0 ? 0 : area / end;
  }

  private static long columnMillis(List<ScaleAnalysis> analyses) {
    long end = analyses.stream().mapToLong(a -> a.base().run().makespanMillis()).max().orElse(1);
    return Math.max(1, (end + COLUMNS - 1) / COLUMNS);
  }

  private String plot(ScaleAnalysis a, long columnMillis) {
    int[] busy = new int[COLUMNS];
    long[] available = new long[COLUMNS];
    for (int c = 0; c < COLUMNS; c++) {
      long mid = c * columnMillis + columnMillis / 2;
      busy[c] = a.busyAt(mid);
      available[c] = a.availableAt(mid);
    }
    StringBuilder out = new StringBuilder();
    for (int r = ROWS; r >= 1; r--) {
      double level = a.slots() * (r - 0.5) / ROWS;
      out.append(String.format(Locale.ROOT, "%5d |", Math.round(a.slots() * r / (double) ROWS)));
      for (int c = 0; c < COLUMNS; c++) {
        out.append(busy[c] >= level ? '#' : available[c] >= level ? '.' : ' ');
      }
      out.append('\n');
    }
    out.append("      +").append("-".repeat(COLUMNS)).append('\n');
    double[] longest = new double[COLUMNS];
    java.util.Arrays.fill(longest, -1);
    String top = a.base().topTier();
    for (FlowRun.JobResult job : a.base().run().jobs()) {
      if (job.arrival().tier().equals(top) && job.waitMillis() >= 0) {
        int c = (int) Math.min(COLUMNS - 1, Math.max(0, job.arrivedMillis() / columnMillis));
        longest[c] = Math.max(longest[c], job.waitMillis() / a.base().meanServiceMillis());
      }
    }
    out.append(" wait  ");
    for (int c = 0; c < COLUMNS; c++) {
      out.append(longest[c] < 0 ? ' ' : longest[c] > 9.5 ? '+' : (char) ('0' + (int) Math.round(longest[c])));
    }
    out.append('\n').append(String.format(Locale.ROOT, "       0 s%" + (COLUMNS - 3) + "s%n",
        String.format(Locale.ROOT, "%.0f s", COLUMNS * columnMillis * timeScale / 1000)));
    return out.toString();
  }

  private String sec(double realMillis) {
    return Double.isNaN(realMillis) ? "—" : String.format(Locale.ROOT, "%.1f s", realMillis * timeScale / 1000);
  }
}
