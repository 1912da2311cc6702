package dev.priorityqueues.infra.components;

import com.pulumi.aws.cloudwatch.LogMetricFilter;
import com.pulumi.aws.cloudwatch.LogMetricFilterArgs;
import com.pulumi.aws.cloudwatch.MetricAlarm;
import com.pulumi.aws.cloudwatch.MetricAlarmArgs;
import com.pulumi.aws.cloudwatch.inputs.LogMetricFilterMetricTransformationArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResourceOptions;
import dev.priorityqueues.contract.Functions;
import dev.priorityqueues.contract.MetricNames;
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

  private final List<MetricAlarm> alarms = new ArrayList<>();

  public AbuseAlarms(String name, Args args, ComponentResourceOptions options) {
    super(TYPE, name, options);
    for (var fn : List.of(Map.entry(Functions.PRESIGN.id(), args.presign), Map.entry(Functions.ROUTER.id(), args.router))) {
      Output<Map<String, String>> dims = fn.getValue().function().name().applyValue(n -> Map.of("FunctionName", n));
      alarms.add(alarm(args, fn.getKey() + "-errors-alarm", "AWS/Lambda", "Errors", dims, "Sum", 0, 60, 1,
          "The " + fn.getKey() + " function failed: a client may be sending what it cannot handle."));
      alarms.add(alarm(args, fn.getKey() + "-throttles-alarm", "AWS/Lambda", "Throttles", dims, "Sum", 0, 60, 1,
          "The " + fn.getKey() + " function was throttled: a flood of requests or uploads may be taking the capacity."));
    }

    Output<Map<String, String>> api = args.api.api().id().applyValue(id -> Map.of("ApiId", id));
    // HTTP APIs count each request as 0 or 1 in 5xx, so its Average is the error rate.
    alarms.add(alarm(args, "api-5xx-rate-alarm", "AWS/ApiGateway", "5xx", api, "Average",
        args.apiErrorRatePercent / 100.0, 60, 5,
        "More than " + args.apiErrorRatePercent + "% of upload API requests failed with 5xx for 5 minutes."));
    // HTTP APIs publish no 429 metric: the access log's status gives one, 1 per 429 and 0 otherwise.
    new LogMetricFilter(childName("api-throttled-filter"), LogMetricFilterArgs.builder()
        .logGroupName(args.api.accessLogs().name())
        .pattern("{ $.status = \"429\" }")
        .metricTransformation(LogMetricFilterMetricTransformationArgs.builder()
            .namespace(MetricNames.NAMESPACE)
            .name(API_THROTTLED)
            .value("1")
            .defaultValue("0")
            .build())
        .build(), child());
    alarms.add(alarm(args, "api-429-rate-alarm", MetricNames.NAMESPACE, API_THROTTLED, Output.of(Map.of()), "Average",
        args.apiThrottleRatePercent / 100.0, 60, 5,
        "More than " + args.apiThrottleRatePercent + "% of upload API requests were throttled (429) for 5 minutes:"
            + " one client may be taking the shared budget."));

    // The router counts both without a tier (Tier=none): there is no record to take one from.
    Output<Map<String, String>> router = Output.of(Map.of(MetricNames.FUNCTION, Functions.ROUTER.id(), MetricNames.TIER, "none"));
    alarms.add(alarm(args, "orphans-alarm", MetricNames.NAMESPACE, MetricNames.ORPHANS, router, "Sum", 0, 60, 1,
        "An object arrived under uploads/ without a record: something wrote to the bucket outside presign."));
    alarms.add(alarm(args, "rejects-alarm", MetricNames.NAMESPACE, MetricNames.REJECTS, router, "Sum",
        args.rejectsPerFiveMinutes - 1, 300, 1,
        "At least " + args.rejectsPerFiveMinutes + " uploads in 5 minutes broke their declared or allowed size."));

    for (TierQueue tier : args.queues.subList(1, args.queues.size())) {
      alarms.add(MetricAlarms.sqs(this, tier.tier() + "-oldest-message-alarm", tier.queue().name(),
          MetricAlarms.AGE_OF_OLDEST_MESSAGE, args.lowerTierOldestMessageSeconds, 1,
          "A " + tier.tier() + " job has waited more than " + args.lowerTierOldestMessageSeconds
              + " s: the tier is starved or its consumers are failing.",
          args.alarmActions, args.tags));
    }
    registerOutputs(Map.of());
  }

  /** Alarms when {@code statistic} is above {@code threshold} in {@code periods} periods in a row. */
  private MetricAlarm alarm(Args args, String suffix, String namespace, String metric, Output<Map<String, String>> dimensions,
      String statistic, double threshold, int periodSeconds, int periods, String description) {
    return new MetricAlarm(childName(suffix), MetricAlarmArgs.builder()
        .alarmDescription(description)
        .namespace(namespace)
        .metricName(metric)
        .dimensions(dimensions)
        .statistic(statistic)
        .period(periodSeconds)
        .evaluationPeriods(periods)
        .datapointsToAlarm(periods)
        .threshold(threshold)
        .comparisonOperator("GreaterThanThreshold")
        .treatMissingData("notBreaching")
        .alarmActions(args.alarmActions)
        .okActions(args.alarmActions)
        .tags(args.tags)
        .build(), child());
  }

  public List<MetricAlarm> alarms() {
    return List.copyOf(alarms);
  }

  /** The arguments of {@link AbuseAlarms}. */
  public static final class Args extends ComponentArgs {
    private UploadApi api;
    private LambdaFunction presign;
    private LambdaFunction router;
    private List<TierQueue> queues = List.of();
    private int lowerTierOldestMessageSeconds = 3600;
    private int apiErrorRatePercent = 5;
    private int apiThrottleRatePercent = 10;
    private int rejectsPerFiveMinutes = 10;
    private Output<List<String>> alarmActions = Output.of(List.of());

    private Args() {}

    public static AbuseAlarms.Builder builder() {
      return new AbuseAlarms.Builder();
    }
  }

  public static final class Builder extends ComponentArgs.Builder<Args, Builder> {
    private Builder() {
      super(new Args());
    }

    public Builder api(UploadApi api) {
      args.api = api;
      args.presign = api.function();
      return this;
    }

    public Builder router(UploadRouter router) {
      args.router = router.function();
      return this;
    }

    /** The tier queues, highest priority first; every one but the first gets an age alarm here. */
    public Builder queues(List<TierQueue> queues) {
      args.queues = List.copyOf(queues);
      return this;
    }

    public Builder thresholds(int lowerTierOldestMessageSeconds, int apiErrorRatePercent, int apiThrottleRatePercent,
        int rejectsPerFiveMinutes) {
      args.lowerTierOldestMessageSeconds = lowerTierOldestMessageSeconds;
      args.apiErrorRatePercent = apiErrorRatePercent;
      args.apiThrottleRatePercent = apiThrottleRatePercent;
      args.rejectsPerFiveMinutes = rejectsPerFiveMinutes;
      return this;
    }

    public Builder alarmActions(Output<List<String>> actions) {
      args.alarmActions = Objects.requireNonNull(actions, "alarmActions");
      return this;
    }

    @Override
    protected void validate() {
      Objects.requireNonNull(args.api, "api");
      Objects.requireNonNull(args.router, "router");
      if (args.queues.isEmpty()) {
        throw new IllegalArgumentException("abuse alarms need at least one tier queue");
      }
      if (args.lowerTierOldestMessageSeconds < 1 || args.rejectsPerFiveMinutes < 1
          || args.apiErrorRatePercent < 1 || args.apiErrorRatePercent > 100
          || args.apiThrottleRatePercent < 1 || args.apiThrottleRatePercent > 100) {
        throw new IllegalArgumentException("alarm thresholds must be positive and rates at most 100%");
      }
    }
  }
}
