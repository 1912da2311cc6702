package dev.priorityqueues.infra.components;

import static dev.priorityqueues.infra.testing.Types.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.priorityqueues.infra.testing.Deployment;
import dev.priorityqueues.infra.testing.FakeArchives;
import dev.priorityqueues.infra.testing.MockResource;
import dev.priorityqueues.infra.testing.ProgramTest;
import dev.priorityqueues.infra.testing.TestSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Alarms on what a client can drive: function errors and throttles, API 5xx and 429, Orphans, Rejects, tier ages. */
class AbuseAlarmsTest extends ProgramTest {

  static final String TOPIC = "arn:aws:sns:us-east-1:123456789012:ops-alerts";
  static final String LOG_METRIC_FILTER = "aws:cloudwatch/logMetricFilter:LogMetricFilter";

  @TempDir static Path codeRoot;
  static Deployment deployment;

  @BeforeAll
  static void deploy() {
    deployment = Deployment.run(TestSettings.with(FakeArchives.complete(codeRoot), Map.of(
        "alarmTopicArn", TOPIC, "lowerTierOldestMessageAlarmSeconds", "7200", "apiErrorRateAlarmPercent", "7",
        "apiThrottleRateAlarmPercent", "20", "rejectsAlarmCount", "25"))).assertSucceeded();
  }

  private static MockResource alarm(String suffix) {
    return deployment.one(METRIC_ALARM, "abuse-alarms-" + suffix);
  }

  @Test
  void presignAndRouterErrorsAndThrottlesAlarmAtTheFirstOne() {
    for (String fn : List.of("presign", "router")) {
      for (String metric : List.of("Errors", "Throttles")) {
        MockResource alarm = alarm(fn + "-" + metric.toLowerCase() + "-alarm");
        assertThat(alarm.string("namespace")).isEqualTo("AWS/Lambda");
        assertThat(alarm.string("metricName")).isEqualTo(metric);
        assertThat(alarm.map("dimensions")).containsExactly(Map.entry("FunctionName", fn + "-function"));
        assertThat(alarm.string("statistic")).isEqualTo("Sum");
        assertThat(alarm.number("threshold")).isZero();
      }
    }
  }

  @Test
  void theApis5xxAnd429RatesAlarmAboveTheirShares() {
    MockResource errors = alarm("api-5xx-rate-alarm");
    assertThat(errors.string("namespace")).isEqualTo("AWS/ApiGateway");
    assertThat(errors.string("metricName")).isEqualTo("5xx");
    assertThat(errors.map("dimensions")).containsExactly(Map.entry("ApiId", "a1b2c3d4e5"));
    assertThat(errors.string("statistic")).as("the Average of a 0-or-1 count is a rate").isEqualTo("Average");
    assertThat(((Number) errors.get("threshold")).doubleValue()).isEqualTo(0.07);
    assertThat(errors.number("evaluationPeriods")).isEqualTo(5);

    MockResource filter = deployment.one(LOG_METRIC_FILTER, "abuse-alarms-api-throttled-filter");
    assertThat(filter.string("logGroupName")).as("the API stage's access log group").startsWith("presign-access-logs");
    assertThat(filter.string("pattern")).isEqualTo("{ $.status = \"429\" }");
    assertThat(filter.nested("metricTransformation", "value")).isEqualTo("1");
    assertThat(filter.nested("metricTransformation", "defaultValue")).as("every other request counts 0").isEqualTo("0");
    MockResource throttled = alarm("api-429-rate-alarm");
    assertThat(throttled.string("namespace")).isEqualTo(filter.nested("metricTransformation", "namespace"));
    assertThat(throttled.string("metricName")).isEqualTo(filter.nested("metricTransformation", "name"));
    assertThat(throttled.string("statistic")).isEqualTo("Average");
    assertThat(((Number) throttled.get("threshold")).doubleValue()).isEqualTo(0.2);
  }

  @Test
  void orphansAlarmAtOnceAndRejectsAtTheConfiguredCountIn5Minutes() {
    Map<String, Object> router = Map.of("Function", "router", "Tier", "none");
    MockResource orphans = alarm("orphans-alarm");
    assertThat(orphans.string("namespace")).isEqualTo("PriorityQueues");
    assertThat(orphans.string("metricName")).isEqualTo("Orphans");
    assertThat(orphans.map("dimensions")).isEqualTo(router);
    assertThat(orphans.number("threshold")).isZero();
    MockResource rejects = alarm("rejects-alarm");
    assertThat(rejects.string("metricName")).isEqualTo("Rejects");
    assertThat(rejects.map("dimensions")).isEqualTo(router);
    assertThat(rejects.number("period")).isEqualTo(300);
    assertThat(rejects.number("threshold")).as("25 or more: more than 24").isEqualTo(24);
  }

  @Test
  void everyTierBelowTheHighestHasAnAgeAlarm() {
    MockResource regular = alarm("regular-oldest-message-alarm");
    assertThat(regular.string("metricName")).isEqualTo("ApproximateAgeOfOldestMessage");
    assertThat(regular.map("dimensions")).containsExactly(Map.entry("QueueName", "tier-regular-queue"));
    assertThat(regular.number("threshold")).isEqualTo(7200);
    assertThat(deployment.names(METRIC_ALARM)).doesNotContain("abuse-alarms-premium-oldest-message-alarm")
        .as("the highest tier's is Monitoring's").contains("monitoring-oldest-message-alarm");
  }

  @Test
  void everyAlarmNotifiesTheTopic() {
    List<MockResource> alarms = deployment.all(METRIC_ALARM).stream().filter(a -> a.name().startsWith("abuse-alarms-")).toList();
    assertThat(alarms).as("4 function, 2 API, Orphans, Rejects, 1 lower tier").hasSize(9);
    alarms.forEach(a -> {
      assertThat(a.list("alarmActions")).as(a.name()).containsExactly(TOPIC);
      assertThat(a.list("okActions")).as(a.name()).containsExactly(TOPIC);
    });
  }
}
