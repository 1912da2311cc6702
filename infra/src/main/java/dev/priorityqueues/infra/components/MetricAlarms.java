package dev.priorityqueues.infra.components;

import com.pulumi.aws.cloudwatch.MetricAlarm;
import com.pulumi.aws.cloudwatch.MetricAlarmArgs;
import com.pulumi.core.Output;
import java.util.List;
import java.util.Map;

/** CloudWatch alarms on SQS queue metrics, shared by the tier DLQs, the events DLQ and the age alarm. */
final class MetricAlarms {
  private MetricAlarms() {}

  static final String SQS_NAMESPACE = "AWS/SQS";
  static final String MESSAGES_VISIBLE = "ApproximateNumberOfMessagesVisible";
  static final String AGE_OF_OLDEST_MESSAGE = "ApproximateAgeOfOldestMessage";

  /** Alarms as soon as a single message is visible on {@code queueName}: for dead-letter queues. */
  static MetricAlarm anyMessageVisible(Component parent, String suffix, Output<String> queueName,
      String description, Output<List<String>> actions, Map<String, String> tags) {
    return sqs(parent, suffix, queueName, MESSAGES_VISIBLE, 0, 1, description, actions, tags);
  }

  /**
   * Alarms when the queue's {@code metric} (its one-minute maximum) stays above
   * {@code threshold} for {@code minutes} minutes in a row. No data means an idle queue: OK.
   */
  static MetricAlarm sqs(Component parent, String suffix, Output<String> queueName, String metric,
      double threshold, int minutes, String description, Output<List<String>> actions,
      Map<String, String> tags) {
    return new MetricAlarm(parent.childName(suffix), MetricAlarmArgs.builder()
        .alarmDescription(description)
        .namespace(SQS_NAMESPACE)
        .metricName(metric)
        .dimensions(queueName.applyValue(name -> Map.of("QueueName", name)))
        .statistic("Maximum")
        .period(60)
        .evaluationPeriods(minutes)
        .datapointsToAlarm(minutes)
        .threshold(threshold)
        .comparisonOperator("GreaterThanThreshold")
        .treatMissingData("notBreaching")
        .alarmActions(actions)
        .okActions(actions)
        .tags(tags)
        .build(), parent.child());
  }
}
