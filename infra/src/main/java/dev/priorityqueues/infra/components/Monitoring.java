package dev.priorityqueues.infra.components;

import com.pulumi.aws.AwsFunctions;
import com.pulumi.aws.cloudwatch.Dashboard;
import com.pulumi.aws.cloudwatch.DashboardArgs;
import com.pulumi.aws.cloudwatch.MetricAlarm;
import com.pulumi.aws.cloudwatch.MetricAlarmArgs;
import com.pulumi.aws.outputs.GetRegionResult;
import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResourceOptions;
import dev.priorityqueues.contract.Functions;
import dev.priorityqueues.contract.MetricNames;
import dev.priorityqueues.infra.JsonSupport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What an operator watches: a dashboard with each tier's depth and age of oldest message, each
 * tier's job queue wait and end-to-end time (p50, p95, p99 of the worker's EMF values), the
 * dead-letter queues, and the worker's concurrency, errors and throttles; and two alarms on the
 * promise the tiers exist to keep: the highest tier's oldest message, and its p95 queue wait.
 */
public final class Monitoring extends Component {
  public static final String TYPE = "Monitoring";
  /** Minutes in a row the top tier's p95 wait must breach: one slow minute is a burst, not a trend. */
  static final int WAIT_ALARM_MINUTES = 3;

  private final Dashboard dashboard;
  private final MetricAlarm oldestMessageAlarm;
  private final MetricAlarm topTierWaitAlarm;

  public Monitoring(String name, Args args, ComponentResourceOptions options) {
    super(TYPE, name, options);
    TierQueue highest = args.queues.get(0);
    oldestMessageAlarm = MetricAlarms.sqs(this, "oldest-message-alarm", highest.queue().name(),
        MetricAlarms.AGE_OF_OLDEST_MESSAGE, args.oldestMessageAlarmSeconds, 1,
        "A " + highest.tier() + " job has waited more than " + args.oldestMessageAlarmSeconds
            + " s: the highest tier is not being served in time.",
        args.alarmActions, args.tags);
    topTierWaitAlarm = new MetricAlarm(childName("top-tier-wait-alarm"), MetricAlarmArgs.builder()
        .alarmDescription("The " + highest.tier() + " tier's p95 queue wait has been above "
            + args.topTierWaitP95AlarmSeconds + " s for " + WAIT_ALARM_MINUTES + " minutes: its jobs wait for"
            + " capacity (a mapping still ramping up, or too few slots for its bursts).")
        .namespace(MetricNames.NAMESPACE)
        .metricName(MetricNames.QUEUE_WAIT)
        .dimensions(Map.of(MetricNames.FUNCTION, Functions.WORKER.id(), MetricNames.TIER, highest.tier()))
        .extendedStatistic("p95")
        .period(60)
        .evaluationPeriods(WAIT_ALARM_MINUTES)
        .datapointsToAlarm(WAIT_ALARM_MINUTES)
        .threshold(args.topTierWaitP95AlarmSeconds * 1000.0)
        .comparisonOperator("GreaterThanThreshold")
        // No jobs finished means no waits to judge; the oldest-message alarm covers a stalled tier.
        .treatMissingData("notBreaching")
        .alarmActions(args.alarmActions)
        .okActions(args.alarmActions)
        .tags(args.tags)
        .build(), child());

    // One Output.all over every name the dashboard shows; the order is fixed below.
    List<Output<String>> names = new ArrayList<>();
    args.queues.forEach(q -> names.add(q.queue().name()));
    args.queues.forEach(q -> names.add(q.dlq().name()));
    names.add(args.router.eventsDlq().name());
    names.add(args.worker.function().function().name());
    names.add(AwsFunctions.getRegion().applyValue(GetRegionResult::name));
    List<String> tiers = args.queues.stream().map(TierQueue::tier).toList();
    int threshold = args.oldestMessageAlarmSeconds;
    int waitThreshold = args.topTierWaitP95AlarmSeconds;

    dashboard = new Dashboard(childName("dashboard"), DashboardArgs.builder()
        .dashboardName(args.dashboardName)
        .dashboardBody(Output.all(names).applyValue(values -> body(tiers, values, threshold, waitThreshold)))
        .build(), child());

    registerOutputs(Map.of("dashboardName", dashboard.dashboardName()));
  }

  private static String body(List<String> tiers, List<String> values, int ageThreshold, int waitThreshold) {
    int n = tiers.size();
    List<String> queues = values.subList(0, n);
    List<String> dlqs = values.subList(n, 2 * n);
    String eventsDlq = values.get(2 * n);
    String worker = values.get(2 * n + 1);
    String region = values.get(2 * n + 2);

    List<Object> depth = new ArrayList<>();
    List<Object> age = new ArrayList<>();
    List<Object> dead = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      depth.add(sqsMetric(MetricAlarms.MESSAGES_VISIBLE, queues.get(i), tiers.get(i)));
      age.add(sqsMetric(MetricAlarms.AGE_OF_OLDEST_MESSAGE, queues.get(i), tiers.get(i)));
      dead.add(sqsMetric(MetricAlarms.MESSAGES_VISIBLE, dlqs.get(i), tiers.get(i) + " DLQ"));
    }
    dead.add(sqsMetric(MetricAlarms.MESSAGES_VISIBLE, eventsDlq, "undelivered upload events"));

    Map<String, Object> ageAlarmLine =
        Map.of("horizontal", List.of(Map.of("label", "alarm (highest tier)", "value", ageThreshold)));

    Map<String, Object> waitAlarmLine = Map.of("horizontal",
        List.of(Map.of("label", "alarm (" + tiers.get(0) + " p95)", "value", waitThreshold * 1000)));

    List<Object> widgets = new ArrayList<>(List.of(
        widget(0, 0, "Messages waiting per tier", region, "Maximum", depth, null),
        widget(12, 0, "Age of oldest message per tier (s)", region, "Maximum", age, ageAlarmLine),
        widget(0, 6, "Dead-letter queues", region, "Maximum", dead, null),
        widget(12, 6, "Worker concurrency", region, "Maximum",
            List.of(List.of("AWS/Lambda", "ConcurrentExecutions", "FunctionName", worker)), null),
        widget(0, 12, "Worker invocations, errors and throttles", region, "Sum", List.of(
            List.of("AWS/Lambda", "Invocations", "FunctionName", worker),
            List.of("AWS/Lambda", "Errors", "FunctionName", worker),
            List.of("AWS/Lambda", "Throttles", "FunctionName", worker)), null)));
    // Per tier, the percentiles of the worker's one-value-per-job EMF metrics (milliseconds).
    for (int i = 0; i < n; i++) {
      int y = 18 + 6 * i;
      widgets.add(widget(0, y, tiers.get(i) + ": queue wait (ms)", region, "p95",
          percentiles(MetricNames.QUEUE_WAIT, tiers.get(i)), i == 0 ? waitAlarmLine : null));
      widgets.add(widget(12, y, tiers.get(i) + ": end to end (ms)", region, "p95",
          percentiles(MetricNames.END_TO_END, tiers.get(i)), null));
    }
    return JsonSupport.write(Map.of("widgets", widgets));
  }

  /** Three lines of one EMF metric of one tier: p50, p95 and p99. */
  private static List<Object> percentiles(String metric, String tier) {
    List<Object> lines = new ArrayList<>();
    for (String stat : List.of("p50", "p95", "p99")) {
      lines.add(List.of(MetricNames.NAMESPACE, metric, MetricNames.FUNCTION, Functions.WORKER.id(),
          MetricNames.TIER, tier, Map.of("stat", stat, "label", stat)));
    }
    return lines;
  }

  private static List<Object> sqsMetric(String metric, String queueName, String label) {
    return List.of(MetricAlarms.SQS_NAMESPACE, metric, "QueueName", queueName, Map.of("label", label));
  }

  private static Map<String, Object> widget(int x, int y, String title, String region, String stat,
      List<Object> metrics, Map<String, Object> annotations) {
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("title", title);
    properties.put("region", region);
    properties.put("view", "timeSeries");
    properties.put("stat", stat);
    properties.put("period", 60);
    properties.put("metrics", metrics);
    if (annotations != null) {
      properties.put("annotations", annotations);
    }
    Map<String, Object> widget = new LinkedHashMap<>();
    widget.put("type", "metric");
    widget.put("x", x);
    widget.put("y", y);
    widget.put("width", 12);
    widget.put("height", 6);
    widget.put("properties", properties);
    return widget;
  }

  public Dashboard dashboard() {
    return dashboard;
  }

  public MetricAlarm oldestMessageAlarm() {
    return oldestMessageAlarm;
  }

  public MetricAlarm topTierWaitAlarm() {
    return topTierWaitAlarm;
  }

  /** The arguments of {@link Monitoring}. */
  public static final class Args extends ComponentArgs {
    private String dashboardName;
    private List<TierQueue> queues = List.of();
    private Worker worker;
    private UploadRouter router;
    private int oldestMessageAlarmSeconds = 300;
    private int topTierWaitP95AlarmSeconds = 60;
    private Output<List<String>> alarmActions = Output.of(List.of());

    private Args() {}

    public static Monitoring.Builder builder() {
      return new Monitoring.Builder();
    }
  }

  public static final class Builder extends ComponentArgs.Builder<Args, Builder> {
    private Builder() {
      super(new Args());
    }

    /** Dashboard names are unique per account and region, so include the stack. */
    public Builder dashboardName(String name) {
      args.dashboardName = name;
      return this;
    }

    /** The tier queues, highest priority first; the first one gets the age alarm. */
    public Builder queues(List<TierQueue> queues) {
      args.queues = List.copyOf(queues);
      return this;
    }

    public Builder worker(Worker worker) {
      args.worker = worker;
      return this;
    }

    public Builder router(UploadRouter router) {
      args.router = router;
      return this;
    }

    /** The highest tier's p95 queue wait above which, for 3 minutes, the wait alarm fires. */
    public Builder topTierWaitP95AlarmSeconds(int seconds) {
      args.topTierWaitP95AlarmSeconds = seconds;
      return this;
    }

    public Builder oldestMessageAlarmSeconds(int seconds) {
      args.oldestMessageAlarmSeconds = seconds;
      return this;
    }

    /** Where the age alarm notifies: zero or more SNS topic ARNs. */
    public Builder alarmActions(Output<List<String>> actions) {
      args.alarmActions = Objects.requireNonNull(actions, "alarmActions");
      return this;
    }

    @Override
    protected void validate() {
      if (args.dashboardName == null || !args.dashboardName.matches("[A-Za-z0-9_-]{1,255}")) {
        throw new IllegalArgumentException("a dashboard name is 1 to 255 of A-Z a-z 0-9 _ -, not " + args.dashboardName);
      }
      if (args.queues.isEmpty()) {
        throw new IllegalArgumentException("monitoring needs at least one tier queue");
      }
      Objects.requireNonNull(args.worker, "worker");
      Objects.requireNonNull(args.router, "router");
      if (args.topTierWaitP95AlarmSeconds < 1) {
        throw new IllegalArgumentException("topTierWaitP95AlarmSeconds must be positive");
      }
      if (args.oldestMessageAlarmSeconds < 1) {
        throw new IllegalArgumentException("oldestMessageAlarmSeconds must be positive");
      }
    }
  }
}
