package dev.priorityqueues.infra.components;

import com.pulumi.aws.AwsFunctions;
import com.pulumi.aws.cloudwatch.Dashboard;
import com.pulumi.aws.cloudwatch.DashboardArgs;
import com.pulumi.aws.cloudwatch.MetricAlarm;
import com.pulumi.aws.outputs.GetRegionResult;
import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResourceOptions;
import dev.priorityqueues.contract.Functions;
import dev.priorityqueues.contract.MetricNames;
import dev.priorityqueues.infra.JsonSupport;
import dev.priorityqueues.infra.config.Settings;
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

  /**
   * The arguments: the dashboard's name (unique per account and region, so it includes the
   * stack), the tier queues highest priority first (the first one gets the alarms), the worker
   * and router whose resources the dashboard shows, the alarm thresholds and where the alarms
   * notify. The config edge validated every value.
   */
  public record Args(String dashboardName, List<TierQueue> queues, Worker worker, UploadRouter router,
      Settings.Alarms alarms, Output<List<String>> alarmActions, Map<String, String> tags) {
    public Args {
      Objects.requireNonNull(dashboardName, "dashboardName");
      queues = List.copyOf(queues);
      Objects.requireNonNull(worker, "worker");
      Objects.requireNonNull(router, "router");
      Objects.requireNonNull(alarms, "alarms");
      Objects.requireNonNull(alarmActions, "alarmActions");
      tags = Map.copyOf(tags);
    }
  }

  public Monitoring(String name, Args args, ComponentResourceOptions options) {
    super(TYPE, name, options);
    TierQueue highest = args.queues().get(0);
    String tier = highest.tierName();
    int ageThreshold = args.alarms().oldestMessageSeconds();
    int waitThreshold = args.alarms().topTierWaitP95Seconds();
    var notify = new MetricAlarms.Notify(args.alarmActions(), args.tags());
    oldestMessageAlarm = MetricAlarms.create(this, "oldest-message-alarm",
        MetricAlarms.Metric.queue(MetricAlarms.AGE_OF_OLDEST_MESSAGE, highest.queue().name()),
        MetricAlarms.Breach.maximum(ageThreshold, 1),
        "A " + tier + " job has waited more than " + ageThreshold
            + " s: the highest tier is not being served in time.",
        notify);
    // No jobs finished means no waits to judge; the oldest-message alarm covers a stalled tier.
    topTierWaitAlarm = MetricAlarms.create(this, "top-tier-wait-alarm",
        new MetricAlarms.Metric(MetricNames.NAMESPACE, MetricNames.QUEUE_WAIT,
            Output.of(Map.of(MetricNames.FUNCTION, Functions.WORKER.id(), MetricNames.TIER, tier))),
        new MetricAlarms.Breach("p95", 60, WAIT_ALARM_MINUTES, waitThreshold * 1000.0),
        "The " + tier + " tier's p95 queue wait has been above "
            + waitThreshold + " s for " + WAIT_ALARM_MINUTES + " minutes: its jobs wait for"
            + " capacity (a mapping still ramping up, or too few slots for its bursts).",
        notify);

    // One Output.all over every name the dashboard shows; the order is fixed below.
    List<Output<String>> names = new ArrayList<>();
    args.queues().forEach(q -> names.add(q.queue().name()));
    args.queues().forEach(q -> names.add(q.dlq().name()));
    names.add(args.router().eventsDlq().name());
    names.add(args.worker().function().function().name());
    names.add(AwsFunctions.getRegion().applyValue(GetRegionResult::name));
    List<String> tiers = args.queues().stream().map(TierQueue::tierName).toList();

    dashboard = new Dashboard(childName("dashboard"), DashboardArgs.builder()
        .dashboardName(args.dashboardName())
        .dashboardBody(Output.all(names).applyValue(values -> body(tiers, values, ageThreshold, waitThreshold)))
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
}
