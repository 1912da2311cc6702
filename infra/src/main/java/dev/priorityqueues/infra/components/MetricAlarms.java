package dev.priorityqueues.infra.components;

import com.pulumi.aws.cloudwatch.MetricAlarm;
import com.pulumi.aws.cloudwatch.MetricAlarmArgs;
import com.pulumi.core.Output;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The one way the components make a CloudWatch alarm: on a {@link Metric}, when a {@link Breach}
 * holds, notifying every alarm action on alarm and on recovery. Missing data counts as not
 * breaching everywhere: an idle queue or a function nobody calls is fine.
 */
final class MetricAlarms {
  private MetricAlarms() {}

  static final String SQS_NAMESPACE = "AWS/SQS";
  static final String LAMBDA_NAMESPACE = "AWS/Lambda";
  static final String MESSAGES_VISIBLE = "ApproximateNumberOfMessagesVisible";
  static final String AGE_OF_OLDEST_MESSAGE = "ApproximateAgeOfOldestMessage";

  /** What an alarm watches: one metric and its dimensions. */
  record Metric(String namespace, String name, Output<Map<String, String>> dimensions) {
    Metric {
      Objects.requireNonNull(namespace, "namespace");
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(dimensions, "dimensions");
    }

    /** An SQS metric of one queue. */
    static Metric queue(String name, Output<String> queueName) {
      return new Metric(SQS_NAMESPACE, name, queueName.applyValue(q -> Map.of("QueueName", q)));
    }

    /** A Lambda metric of one function. */
    static Metric function(String name, LambdaFunction function) {
      return new Metric(LAMBDA_NAMESPACE, name, function.function().name().applyValue(n -> Map.of("FunctionName", n)));
    }
  }

  /**
   * When an alarm fires: {@code statistic} (a percentile such as {@code p95}, or Sum, Average,
   * Maximum) over periods of {@code periodSeconds}, above {@code threshold} in {@code periods}
   * periods in a row.
   */
  record Breach(String statistic, int periodSeconds, int periods, double threshold) {
    /** The one-minute maximum above {@code threshold} for {@code minutes} minutes in a row. */
    static Breach maximum(double threshold, int minutes) {
      return new Breach("Maximum", 60, minutes, threshold);
    }

    boolean percentile() {
      return statistic.matches("p\\d+(\\.\\d+)?");
    }
  }

  /** Where every alarm of a component notifies, and the tags it carries. */
  record Notify(Output<List<String>> actions, Map<String, String> tags) {
    Notify {
      Objects.requireNonNull(actions, "actions");
      tags = Map.copyOf(tags);
    }
  }

  static MetricAlarm create(Component parent, String suffix, Metric metric, Breach breach, String description,
      Notify notify) {
    MetricAlarmArgs.Builder alarm = MetricAlarmArgs.builder()
        .alarmDescription(description)
        .namespace(metric.namespace())
        .metricName(metric.name())
        .dimensions(metric.dimensions())
        .period(breach.periodSeconds())
        .evaluationPeriods(breach.periods())
        .datapointsToAlarm(breach.periods())
        .threshold(breach.threshold())
        .comparisonOperator("GreaterThanThreshold")
        .treatMissingData("notBreaching")
        .alarmActions(notify.actions())
        .okActions(notify.actions())
        .tags(notify.tags());
    if (breach.percentile()) {
      alarm.extendedStatistic(breach.statistic());
    } else {
      alarm.statistic(breach.statistic());
    }
    return new MetricAlarm(parent.childName(suffix), alarm.build(), parent.child());
  }

  /** Alarms as soon as a single message is visible on the queue: for dead-letter queues. */
  static MetricAlarm anyMessageVisible(Component parent, String suffix, Output<String> queueName, String description,
      Notify notify) {
    return create(parent, suffix, Metric.queue(MESSAGES_VISIBLE, queueName), Breach.maximum(0, 1), description, notify);
  }
}
