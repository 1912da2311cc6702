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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each tier's queue and DLQ, as the provider would receive them. */
class TierQueueTest extends ProgramTest {

  static final Map<String, Integer> MAX_RECEIVE_COUNT = Map.of("gold", 3, "silver", 7, "bronze", 5);
  static final int WORKER_TIMEOUT = 90;

  @TempDir static Path codeRoot;
  static Deployment deployment;

  @BeforeAll
  static void deploy() {
    deployment = Deployment.run(TestSettings.with(FakeArchives.complete(codeRoot), Map.of(
        "tiers", """
            [{"name":"gold","subscriptions":["gold"],"maxConcurrency":10,"maxReceiveCount":3},
             {"name":"silver","subscriptions":["silver"],"maxConcurrency":5,"maxReceiveCount":7},
             {"name":"bronze","subscriptions":["free"],"maxConcurrency":2}]""",
        "workerTimeoutSeconds", Integer.toString(WORKER_TIMEOUT),
        "queueRetentionSeconds", "86400"))).assertSucceeded();
  }

  private static MockResource queue(String tier) {
    return deployment.one(QUEUE, "tier-" + tier + "-queue");
  }

  private static MockResource dlq(String tier) {
    return deployment.one(QUEUE, "tier-" + tier + "-dlq");
  }

  private static String arn(String queueName) {
    return "arn:aws:sqs:us-east-1:123456789012:" + queueName;
  }

  @ParameterizedTest
  @ValueSource(strings = {"gold", "silver", "bronze"})
  void redrivePolicyPointsAtThisTiersDlqWithItsCount(String tier) {
    JsonNode redrive = queue(tier).json("redrivePolicy");

    assertThat(redrive.get("deadLetterTargetArn").asText()).isEqualTo(arn("tier-" + tier + "-dlq"));
    assertThat(redrive.get("maxReceiveCount").isInt()).as("a JSON number").isTrue();
    assertThat(redrive.get("maxReceiveCount").asInt()).isEqualTo(MAX_RECEIVE_COUNT.get(tier));
    assertThat(redrive.size()).as("only the two documented fields").isEqualTo(2);
  }

  @ParameterizedTest
  @ValueSource(strings = {"gold", "silver", "bronze"})
  void dlqAcceptsOnlyItsOwnQueue(String tier) {
    MockResource allow = deployment.one(REDRIVE_ALLOW_POLICY, "tier-" + tier + "-dlq-redrive-allow");
    JsonNode policy = allow.json("redriveAllowPolicy");

    assertThat(allow.string("queueUrl")).endsWith("/tier-" + tier + "-dlq");
    assertThat(policy.get("redrivePermission").asText()).isEqualTo("byQueue");
    assertThat(policy.get("sourceQueueArns")).hasSize(1);
    assertThat(policy.get("sourceQueueArns").get(0).asText()).isEqualTo(arn("tier-" + tier + "-queue"));
  }

  @Test
  void visibilityTimeoutIsAtLeastSixTimesTheWorkerTimeout() {
    for (MockResource queue : deployment.all(QUEUE)) {
      if (queue.name().startsWith("tier-")) {
        assertThat(queue.number("visibilityTimeoutSeconds")).as(queue.name())
            .isGreaterThanOrEqualTo(6L * WORKER_TIMEOUT)
            .isLessThanOrEqualTo(43_200);
      }
    }
    assertThat(queue("gold").number("visibilityTimeoutSeconds")).as("the default: exactly 6x").isEqualTo(540);
  }

  @Test
  void everyQueueIsEncryptedBySqs() {
    List<MockResource> queues = deployment.all(QUEUE);
    assertThat(queues).hasSize(3 * 2 + 1);
    assertThat(queues).allSatisfy(q -> assertThat(q.get("sqsManagedSseEnabled")).as(q.name()).isEqualTo(true));
  }

  @Test
  void everyQueueHasATlsOnlyPolicy() {
    for (MockResource queue : deployment.all(QUEUE)) {
      String url = "https://sqs.us-east-1.amazonaws.com/123456789012/" + queue.name();
      List<MockResource> policies = deployment.all(QUEUE_POLICY).stream()
          .filter(p -> p.string("queueUrl").equals(url)).toList();
      assertThat(policies).as("policy of " + queue.name()).hasSize(1);

      JsonNode deny = denyInsecureTransport(policies.get(0).json("policy"));
      assertThat(deny.get("Principal").asText()).isEqualTo("*");
      assertThat(deny.get("Action")).extracting(JsonNode::asText).containsExactly("sqs:*");
      assertThat(deny.get("Resource")).extracting(JsonNode::asText).containsExactly(arn(queue.name()));
    }
  }

  /** The one statement denying every request made without TLS. */
  static JsonNode denyInsecureTransport(JsonNode policy) {
    List<JsonNode> denies = policy.get("Statement").findParents("Effect").stream()
        .filter(s -> s.get("Effect").asText().equals("Deny"))
        .filter(s -> s.path("Condition").has("Bool")).toList();
    assertThat(denies).hasSize(1);
    JsonNode deny = denies.get(0);
    assertThat(deny.at("/Condition/Bool/aws:SecureTransport").asText()).isEqualTo("false");
    return deny;
  }

  /**
   * Under highest-first with its default lending (this stack) the router puts jobs on a tier
   * queue and the worker only capacity tokens, which go to a tier above the lowest; only the
   * worker dead-letters. The queue policy denies SendMessage to every other principal, whatever
   * its own policy allows.
   */
  @ParameterizedTest
  @ValueSource(strings = {"gold", "silver", "bronze"})
  void onlyTheRouterSendsToATierQueueAndOnlyTheWorkerToItsDlq(String tier) {
    assertThat(onlySenders("tier-" + tier + "-queue-policy", "tier-" + tier + "-queue")).containsExactlyElementsOf(
        tier.equals("bronze") ? List.of("arn:aws:iam::123456789012:role/router-role")
            : List.of("arn:aws:iam::123456789012:role/router-role", "arn:aws:iam::123456789012:role/worker-role"));
    assertThat(onlySenders("tier-" + tier + "-dlq-policy", "tier-" + tier + "-dlq"))
        .containsExactly("arn:aws:iam::123456789012:role/worker-role");
  }

  /** The roles a queue policy lets send, checking the statement's exact shape. */
  static List<String> onlySenders(Deployment deployment, String policyName, String queueName) {
    JsonNode statements = deployment.one(QUEUE_POLICY, policyName).json("policy").get("Statement");
    assertThat(statements).hasSize(2);
    JsonNode deny = statements.get(1);
    assertThat(deny.get("Sid").asText()).isEqualTo("OnlyThePipelineSends");
    assertThat(deny.get("Effect").asText()).isEqualTo("Deny");
    assertThat(deny.get("Principal").asText()).isEqualTo("*");
    assertThat(deny.get("Action")).extracting(JsonNode::asText).containsExactly("sqs:SendMessage");
    assertThat(deny.get("Resource")).extracting(JsonNode::asText).containsExactly(arn(queueName));
    assertThat(deny.get("Condition").size()).isEqualTo(1);
    JsonNode roles = deny.at("/Condition/ArnNotEquals/aws:PrincipalArn");
    return roles.isArray() ? toList(roles) : List.of(roles.asText());
  }

  private static List<String> onlySenders(String policyName, String queueName) {
    return onlySenders(deployment, policyName, queueName);
  }

  private static List<String> toList(JsonNode array) {
    List<String> values = new java.util.ArrayList<>();
    array.forEach(v -> values.add(v.asText()));
    return values;
  }

  @Test
  void dlqsKeepMessagesForFourteenDaysLongerThanTheirQueue() {
    for (String tier : MAX_RECEIVE_COUNT.keySet()) {
      assertThat(dlq(tier).number("messageRetentionSeconds")).isEqualTo(1_209_600);
      assertThat(queue(tier).number("messageRetentionSeconds")).isEqualTo(86_400);
      assertThat(dlq(tier).number("visibilityTimeoutSeconds")).as("mirrors the queue")
          .isEqualTo(queue(tier).number("visibilityTimeoutSeconds"));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"gold", "silver", "bronze"})
  void anyMessageOnADlqRaisesItsAlarm(String tier) {
    MockResource alarm = deployment.one(METRIC_ALARM, "tier-" + tier + "-dlq-alarm");

    assertThat(alarm.string("namespace")).isEqualTo("AWS/SQS");
    assertThat(alarm.string("metricName")).isEqualTo("ApproximateNumberOfMessagesVisible");
    assertThat(alarm.map("dimensions")).containsExactly(Map.entry("QueueName", "tier-" + tier + "-dlq"));
    assertThat(alarm.string("comparisonOperator")).isEqualTo("GreaterThanThreshold");
    assertThat(alarm.number("threshold")).isZero();
    assertThat(alarm.number("evaluationPeriods")).isEqualTo(1);
    assertThat(alarm.string("treatMissingData")).isEqualTo("notBreaching");
  }
}
