package dev.priorityqueues.infra.components;

import com.pulumi.aws.cloudwatch.LogMetricFilter;
import com.pulumi.aws.cloudwatch.LogMetricFilterArgs;
import com.pulumi.aws.cloudwatch.MetricAlarm;
import com.pulumi.aws.cloudwatch.inputs.LogMetricFilterMetricTransformationArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResourceOptions;
import dev.priorityqueues.contract.Functions;
import dev.priorityqueues.contract.MetricNames;
import dev.priorityqueues.infra.config.Settings;
import dev.priorityqueues.infra.components.MetricAlarms.Breach;
import dev.priorityqueues.infra.components.MetricAlarms.Metric;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Alarms that make abuse and its side effects visible: errors and throttles of the two
 * functions a client can drive (presign through the API, router through uploads), the API's
 * 5xx and 429 rates, uploads that arrive without a record (Orphans) or break their declared
 * size (Rejects), and the oldest message of every tier below the highest (the highest has its
 * own, tighter alarm in {@link Monitoring}).
 */
public final class AbuseAlarms extends Component {
  public static final String TYPE = "AbuseAlarms";

  /** The access-log metric whose Average is the share of requests answered 429. */
  static final String API_THROTTLED = "ApiThrottled";

  /**
   * The arguments: the upload API and the router (their functions are the ones a client drives),
   * the tier queues highest priority first (every one but the first gets an age alarm here), the
   * thresholds and where the alarms notify. The config edge validated every value.
   */
  public record Args(UploadApi api, UploadRouter router, List<TierQueue> queues, Settings.Alarms alarms,
      Output<List<String>> alarmActions, Map<String, String> tags) {
    public Args {
      Objects.requireNonNull(api, "api");
      Objects.requireNonNull(router, "router");
      queues = List.copyOf(queues);
      Objects.requireNonNull(alarms, "alarms");
      Objects.requireNonNull(alarmActions, "alarmActions");
      tags = Map.copyOf(tags);
    }
  }

  private final List<MetricAlarm> alarms = new ArrayList<>();

  public AbuseAlarms(String name, Args args, ComponentResourceOptions options) {
    super(TYPE, name, options);
    Settings.Alarms thresholds = args.alarms();
    var notify = new MetricAlarms.Notify(args.alarmActions(), args.tags());
    for (var fn : List.of(Map.entry(Functions.PRESIGN.id(), args.api().function()),
        Map.entry(Functions.ROUTER.id(), args.router().function()))) {
      String id = fn.getKey();
      alarms.add(MetricAlarms.create(this, id + "-errors-alarm", Metric.function("Errors", fn.getValue()),
          new Breach("Sum", 60, 1, 0),
          "The " + id + " function failed: a client may be sending what it cannot handle.", notify));
      alarms.add(MetricAlarms.create(this, id + "-throttles-alarm", Metric.function("Throttles", fn.getValue()),
          new Breach("Sum", 60, 1, 0),
          "The " + id + " function was throttled: a flood of requests or uploads may be taking the capacity.", notify));
    }

    Output<Map<String, String>> api = args.api().api().id().applyValue(id -> Map.of("ApiId", id));
    int errorPercent = thresholds.apiErrorRatePercent();
    // HTTP APIs count each request as 0 or 1 in 5xx, so its Average is the error rate.
    alarms.add(MetricAlarms.create(this, "api-5xx-rate-alarm", new Metric("AWS/ApiGateway", "5xx", api),
        new Breach("Average", 60, 5, errorPercent / 100.0),
        "More than " + errorPercent + "% of upload API requests failed with 5xx for 5 minutes.", notify));
    // HTTP APIs publish no 429 metric: the access log's status gives one, 1 per 429 and 0 otherwise.
    new LogMetricFilter(childName("api-throttled-filter"), LogMetricFilterArgs.builder()
        .logGroupName(args.api().accessLogs().name())
        .pattern("{ $.status = \"429\" }")
        .metricTransformation(LogMetricFilterMetricTransformationArgs.builder()
            .namespace(MetricNames.NAMESPACE)
            .name(API_THROTTLED)
            .value("1")
            .defaultValue("0")
            .build())
        .build(), child());
    int throttlePercent = thresholds.apiThrottleRatePercent();
    alarms.add(MetricAlarms.create(this, "api-429-rate-alarm",
        new Metric(MetricNames.NAMESPACE, API_THROTTLED, Output.of(Map.of())),
        new Breach("Average", 60, 5, throttlePercent / 100.0),
        "More than " + throttlePercent + "% of upload API requests were throttled (429) for 5 minutes:"
            + " one client may be taking the shared budget.", notify));

    // The router counts both without a tier (Tier=none): there is no record to take one from.
    Output<Map<String, String>> router = Output.of(Map.of(MetricNames.FUNCTION, Functions.ROUTER.id(), MetricNames.TIER, "none"));
    alarms.add(MetricAlarms.create(this, "orphans-alarm", new Metric(MetricNames.NAMESPACE, MetricNames.ORPHANS, router),
        new Breach("Sum", 60, 1, 0),
        "An object arrived under uploads/ without a record: something wrote to the bucket outside presign.", notify));
    int rejects = thresholds.rejectsCount();
    alarms.add(MetricAlarms.create(this, "rejects-alarm", new Metric(MetricNames.NAMESPACE, MetricNames.REJECTS, router),
        new Breach("Sum", 300, 1, rejects - 1),
        "At least " + rejects + " uploads in 5 minutes broke their declared or allowed size.", notify));

    int lowerAge = thresholds.lowerTierOldestMessageSeconds();
    for (TierQueue tier : args.queues().subList(1, args.queues().size())) {
      alarms.add(MetricAlarms.create(this, tier.tierName() + "-oldest-message-alarm",
          Metric.queue(MetricAlarms.AGE_OF_OLDEST_MESSAGE, tier.queue().name()), Breach.maximum(lowerAge, 1),
          "A " + tier.tierName() + " job has waited more than " + lowerAge
              + " s: the tier is starved or its consumers are failing.",
          notify));
    }
    registerOutputs(Map.of());
  }

  public List<MetricAlarm> alarms() {
    return List.copyOf(alarms);
  }
}
