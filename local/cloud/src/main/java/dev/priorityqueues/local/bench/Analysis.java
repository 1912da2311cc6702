package dev.priorityqueues.local.bench;

import dev.priorityqueues.local.sdk.Caller;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One run measured against the ideal scheduler on the same trace: the ideal replays the jobs'
 * actual arrival times with the service times the run measured, on the same number of slots, so
 * every difference comes from scheduling, not from the jobs.
 */
public record Analysis(
    FlowRun.Result run,
    IdealScheduler.Schedule ideal,
    List<Arrival> actualArrivals,
    Map<String, Percentiles> waitsByTier,
    Map<String, Percentiles> idealWaitsByTier,
    double meanServiceMillis,
    long idealMakespanMillis,
    double utilisation,
    int unfinished) {

  public static Analysis of(FlowRun.Result run, int slots, int nominalServiceMillis) {
    List<FlowRun.JobResult> jobs = run.jobs();
    double[] service = new double[jobs.size()];
    List<Arrival> arrivals = new ArrayList<>();
    double serviceSum = 0;
    int done = 0;
    for (FlowRun.JobResult job : jobs) {
      Arrival a = job.arrival();
      arrivals.add(new Arrival(a.index(), job.arrivedMillis(), a.tierRank(), a.tier(), a.user()));
      service[a.index()] = job.serviceMillis() >= 0 ? job.serviceMillis() : nominalServiceMillis;
      if (job.serviceMillis() >= 0) {
        serviceSum += job.serviceMillis();
        done++;
      }
    }
    IdealScheduler.Schedule ideal = IdealScheduler.run(arrivals, service, slots);
    Map<String, List<Double>> waits = new LinkedHashMap<>();
    Map<String, List<Double>> idealWaits = new LinkedHashMap<>();
    for (Scenario.TierSpec tier : run.scenario().tiers()) {
      waits.put(tier.name(), new ArrayList<>());
      idealWaits.put(tier.name(), new ArrayList<>());
    }
    for (FlowRun.JobResult job : jobs) {
      if (job.waitMillis() >= 0) {
        waits.get(job.arrival().tier()).add((double) job.waitMillis());
      }
      idealWaits.get(job.arrival().tier()).add((double) ideal.waitMillis(arrivals.get(job.arrival().index())));
    }
    double meanService = done == 0 ? nominalServiceMillis : serviceSum / done;
    double utilisation = run.makespanMillis() <= 0 ? 0 : serviceSum / (slots * (double) run.makespanMillis());
    return new Analysis(
        run, ideal, arrivals, percentiles(waits), percentiles(idealWaits), meanService,
        ideal.makespanMillis(), utilisation, jobs.size() - done);
  }

  private static Map<String, Percentiles> percentiles(Map<String, List<Double>> values) {
    Map<String, Percentiles> out = new LinkedHashMap<>();
    values.forEach((tier, list) -> out.put(tier, new Percentiles(list.stream().mapToDouble(Double::doubleValue).toArray())));
    return out;
  }

  public String topTier() {
    return run.scenario().tiers().get(0).name();
  }

  public String bottomTier() {
    List<Scenario.TierSpec> tiers = run.scenario().tiers();
    return tiers.get(tiers.size() - 1).name();
  }

  /** How far the top tier's p95 wait is above the ideal's, in mean service times. */
  public double topP95ExcessInServiceTimes() {
    return (waitsByTier.get(topTier()).at(95) - idealWaitsByTier.get(topTier()).at(95)) / meanServiceMillis;
  }

  public double makespanRatio() {
    return run.makespanMillis() / (double) idealMakespanMillis;
  }

  /** SQS calls the worker made itself, per job. */
  public double workerSqsCallsPerJob() {
    return run.calls(Caller.Kind.FUNCTION, "Sqs") / (double) run.jobs().size();
  }

  /** SQS calls the event source mappings made (receives and deletes), per job. */
  public double mappingSqsCallsPerJob() {
    return run.calls(Caller.Kind.POLLER, "Sqs") / (double) run.jobs().size();
  }

  /** DynamoDB calls per job: the claim and DONE in every flow, plus reads the flows need. */
  public double dynamoDbCallsPerJob() {
    return run.calls(Caller.Kind.FUNCTION, "DynamoDb") / (double) run.jobs().size();
  }

  /** Percentiles of the waits of jobs whose user name starts with {@code prefix}. */
  public Percentiles waitsOfUsers(String prefix) {
    return new Percentiles(run.jobs().stream()
        .filter(j -> j.arrival().user().startsWith(prefix) && j.waitMillis() >= 0)
        .mapToDouble(FlowRun.JobResult::waitMillis)
        .toArray());
  }
}
