package dev.priorityqueues.local.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * One at-scale run against its two ideals: the ideal scheduler on all slots (the physical limit)
 * and on the concurrency the mappings' scaling ramp allowed during the run (isolates scheduling
 * from scaling). Both replay the run's actual arrivals with its measured service times.
 */
public record ScaleAnalysis(
    Analysis base,
    List<long[]> available,
    IdealScheduler.Schedule rampIdeal,
    Percentiles rampIdealTopWaits,
    double timeScale,
    int slots) {

  public static ScaleAnalysis of(FlowRun.Result run, int slots, int nominalServiceMillis, double timeScale) {
    Analysis base = Analysis.of(run, slots, nominalServiceMillis);
    List<long[]> available = new ArrayList<>();
    for (RunMonitor.Sample s : run.allowedConcurrency()) {
      long slotsNow = Math.min(slots, s.allowed());
      if (available.isEmpty() || available.get(available.size() - 1)[1] != slotsNow) {
        available.add(new long[] {Math.max(0, s.atMillis()), slotsNow});
      }
    }
    if (available.isEmpty()) {
      available.add(new long[] {0, slots});
    }
    double[] service = new double[run.jobs().size()];
    for (FlowRun.JobResult job : run.jobs()) {
      service[job.arrival().index()] = job.serviceMillis() >= 0 ? job.serviceMillis() : nominalServiceMillis;
    }
    IdealScheduler.Schedule ramp = IdealScheduler.runWithCapacity(base.actualArrivals(), service, available);
    String top = base.topTier();
    double[] waits = base.actualArrivals().stream().filter(a -> a.tier().equals(top))
        .mapToDouble(a -> ramp.waitMillis(a)).toArray();
    return new ScaleAnalysis(base, available, ramp, new Percentiles(waits), timeScale, slots);
  }

  /** Available concurrency (the ramp's, at most the slots) at {@code millis} of the run. */
  public long availableAt(long millis) {
    long value = available.get(0)[1];
    for (long[] step : available) {
      if (step[0] > millis) {
        break;
      }
      value = step[1];
    }
    return value;
  }

  public double topP95() {
    return base.waitsByTier().get(base.topTier()).at(95);
  }

  /** The top tier's p95 wait minus the ramp-ideal's, in mean service times. */
  public double topP95ExcessOverRampIdeal() {
    return (topP95() - rampIdealTopWaits.at(95)) / base.meanServiceMillis();
  }

  public double makespanOverRampIdeal() {
    return base.run().makespanMillis() / (double) rampIdeal.makespanMillis();
  }

  /** Busy job-time over the area under the available concurrency, up to the run's makespan. */
  public double utilisationOfAvailable() {
    long end = base.run().makespanMillis();
    double area = 0;
    for (int i = 0; i < available.size(); i++) {
      long from = Math.min(end, available.get(i)[0]);
      long to = i + 1 < available.size() ? Math.min(end, available.get(i + 1)[0]) : end;
      area += Math.max(0, to - from) * (double) available.get(i)[1];
    }
    double busy = base.run().jobs().stream().filter(j -> j.serviceMillis() >= 0).mapToDouble(FlowRun.JobResult::serviceMillis).sum();
    return area <= 0 ? 0 : busy / area;
  }

  /** Jobs in service at {@code millis} of the run. */
  public int busyAt(long millis) {
    int busy = 0;
    for (FlowRun.JobResult job : base.run().jobs()) {
      if (job.serviceMillis() >= 0 && job.finishedMillis() - job.serviceMillis() <= millis && job.finishedMillis() > millis) {
        busy++;
      }
    }
    return busy;
  }
}
