package dev.priorityqueues.infra.components;

import static dev.priorityqueues.infra.testing.Types.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.priorityqueues.infra.testing.Deployment;
import dev.priorityqueues.infra.testing.FakeArchives;
import dev.priorityqueues.infra.testing.MockResource;
import dev.priorityqueues.infra.testing.ProgramTest;
import dev.priorityqueues.infra.testing.TestSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard, the age alarm, and where every alarm goes. */
class MonitoringTest extends ProgramTest {

  static final String TOPIC = "arn:aws:sns:us-east-1:123456789012:ops-alerts";

  @TempDir static Path codeRoot;
  static Deployment withEmail;
  static Deployment withTopic;
  static Deployment silent;

  @BeforeAll
  static void deploy() {
    FakeArchives.complete(codeRoot);
    withEmail = Deployment.run(TestSettings.with(codeRoot,
        Map.of("alarmEmail", "oncall@example.com", "oldestMessageAlarmSeconds", "120",
            "topTierWaitP95AlarmSeconds", "45"))).assertSucceeded();
    withTopic = Deployment.run(TestSettings.with(codeRoot, Map.of("alarmTopicArn", TOPIC))).assertSucceeded();
    silent = Deployment.run(TestSettings.defaults(codeRoot)).assertSucceeded();
  }

  /** Every metric line of every widget, flattened to its strings. */
  static List<String> metricLines(JsonNode dashboard) {
    List<String> lines = new ArrayList<>();
    dashboard.get("widgets").forEach(w -> w.at("/properties/metrics").forEach(m -> {
      List<String> parts = new ArrayList<>();
      m.forEach(p -> parts.add(p.isTextual() ? p.asText() : ""));
      lines.add(String.join(" ", parts).trim());
    }));
    return lines;
  }

  @Test
  void theDashboardShowsDepthAgeDlqsAndTheWorker() {
    MockResource dashboard = silent.one(DASHBOARD, "monitoring-dashboard");
    assertThat(dashboard.string("dashboardName")).isEqualTo("priority-queues-test");
    JsonNode body = dashboard.json("dashboardBody");

    assertThat(metricLines(body)).contains(
        "AWS/SQS ApproximateNumberOfMessagesVisible QueueName tier-premium-queue",
        "AWS/SQS ApproximateNumberOfMessagesVisible QueueName tier-regular-queue",
        "AWS/SQS ApproximateAgeOfOldestMessage QueueName tier-premium-queue",
        "AWS/SQS ApproximateAgeOfOldestMessage QueueName tier-regular-queue",
        "AWS/SQS ApproximateNumberOfMessagesVisible QueueName tier-premium-dlq",
        "AWS/SQS ApproximateNumberOfMessagesVisible QueueName tier-regular-dlq",
        "AWS/SQS ApproximateNumberOfMessagesVisible QueueName router-events-dlq",
        "AWS/Lambda ConcurrentExecutions FunctionName worker-function",
        "AWS/Lambda Errors FunctionName worker-function",
        "AWS/Lambda Throttles FunctionName worker-function");
    body.get("widgets").forEach(w -> assertThat(w.at("/properties/region").asText()).isEqualTo("us-east-1"));
  }

  @Test
  void theHighestTiersOldestMessageHasAnAlarm() {
    MockResource alarm = withEmail.one(METRIC_ALARM, "monitoring-oldest-message-alarm");
    assertThat(alarm.string("metricName")).isEqualTo("ApproximateAgeOfOldestMessage");
    assertThat(alarm.map("dimensions")).containsExactly(Map.entry("QueueName", "tier-premium-queue"));
    assertThat(alarm.number("threshold")).isEqualTo(120);
    assertThat(alarm.string("comparisonOperator")).isEqualTo("GreaterThanThreshold");
  }

  @Test
  void theHighestTiersP95QueueWaitHasAnAlarmWithTheConfiguredThreshold() {
    MockResource alarm = withEmail.one(METRIC_ALARM, "monitoring-top-tier-wait-alarm");
    assertThat(alarm.string("namespace")).isEqualTo("PriorityQueues");
    assertThat(alarm.string("metricName")).isEqualTo("JobQueueWait");
    assertThat(alarm.map("dimensions")).containsOnly(Map.entry("Function", "worker"), Map.entry("Tier", "premium"));
    assertThat(alarm.string("extendedStatistic")).isEqualTo("p95");
    assertThat(alarm.inputs()).as("CloudWatch takes a statistic or an extended statistic, not both").doesNotContainKey("statistic");
    assertThat(alarm.number("threshold")).as("the metric is in milliseconds").isEqualTo(45_000);
    assertThat(alarm.number("period")).isEqualTo(60);
    assertThat(alarm.number("evaluationPeriods")).isEqualTo(3);
    assertThat(alarm.list("alarmActions")).hasSize(1);
    assertThat(silent.one(METRIC_ALARM, "monitoring-top-tier-wait-alarm").number("threshold")).as("default 60 s")
        .isEqualTo(60_000);
  }

  @Test
  void theDashboardChartsEachTiersWaitAndEndToEndPercentiles() {
    JsonNode body = silent.one(DASHBOARD, "monitoring-dashboard").json("dashboardBody");
    List<String> stats = new ArrayList<>();
    body.get("widgets").forEach(w -> w.at("/properties/metrics").forEach(m -> {
      if (m.get(1).asText().startsWith("Job")) {
        stats.add(m.get(1).asText() + " " + m.get(5).asText() + " " + m.get(6).get("stat").asText());
      }
    }));
    List<String> expected = new ArrayList<>();
    for (String tier : List.of("premium", "regular")) {
      for (String metric : List.of("JobQueueWait", "JobEndToEnd")) {
        for (String p : List.of("p50", "p95", "p99")) {
          expected.add(metric + " " + tier + " " + p);
        }
      }
    }
    assertThat(stats).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(metricLines(body)).contains("PriorityQueues JobQueueWait Function worker Tier premium");
  }

  @Test
  void anEmailGetsANewTopicThatEveryAlarmNotifies() {
    assertThat(withEmail.names(SNS_TOPIC)).containsExactly("alerts-topic");
    MockResource subscription = withEmail.one(TOPIC_SUBSCRIPTION, "alerts-email");
    assertThat(subscription.string("protocol")).isEqualTo("email");
    assertThat(subscription.string("endpoint")).isEqualTo("oncall@example.com");
    String topicArn = "arn:aws:sns:us-east-1:123456789012:alerts-topic";
    assertThat(subscription.string("topic")).isEqualTo(topicArn);
    // Two DLQs, the events DLQ and the age alarm; AbuseAlarms adds nine with two tiers; one on the top tier's p95 wait.
    assertThat(withEmail.all(METRIC_ALARM)).hasSize(14).allSatisfy(alarm -> {
      assertThat(alarm.list("alarmActions")).as(alarm.name()).containsExactly(topicArn);
      assertThat(alarm.list("okActions")).as(alarm.name()).containsExactly(topicArn);
    });
  }

  @Test
  void anExistingTopicIsUsedAsIs() {
    assertThat(withTopic.names(SNS_TOPIC)).isEmpty();
    assertThat(withTopic.all(METRIC_ALARM)).allSatisfy(
        alarm -> assertThat(alarm.list("alarmActions")).as(alarm.name()).containsExactly(TOPIC));
  }

  @Test
  void withoutEitherAlarmsStillExistButNotifyNobody() {
    assertThat(silent.names(SNS_TOPIC)).isEmpty();
    assertThat(silent.all(METRIC_ALARM)).hasSize(14)
        .allSatisfy(alarm -> assertThat(alarm.list("alarmActions")).isEmpty());
  }
}
