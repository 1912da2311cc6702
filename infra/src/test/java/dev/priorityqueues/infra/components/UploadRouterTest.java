package dev.priorityqueues.infra.components;

import static dev.priorityqueues.infra.testing.Types.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.priorityqueues.infra.JsonSupport;
import dev.priorityqueues.infra.testing.Deployment;
import dev.priorityqueues.infra.testing.FakeArchives;
import dev.priorityqueues.infra.testing.MockResource;
import dev.priorityqueues.infra.testing.ProgramTest;
import dev.priorityqueues.infra.testing.TestSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.event.ruler.Machine;

/**
 * The EventBridge rule, compiled with AWS's own matcher (event-ruler) and run against events as
 * S3 emits them (test resources events/), plus the target, its DLQ and the invoke permission.
 */
class UploadRouterTest extends ProgramTest {

  static final String BUCKET = "storage-bucket";
  static final String RULE_ARN = "arn:aws:events:us-east-1:123456789012:rule/router-rule";
  static final String EVENTS_DLQ_ARN = "arn:aws:sqs:us-east-1:123456789012:router-events-dlq";

  @TempDir static Path codeRoot;
  static Deployment deployment;
  static Machine machine;

  @BeforeAll
  static void deploy() throws Exception {
    deployment = Deployment.run(TestSettings.with(FakeArchives.complete(codeRoot),
        Map.of("eventRetryAttempts", "12", "eventMaxAgeSeconds", "3600", "routerEventMaxAgeSeconds", "1800")))
        .assertSucceeded();
    machine = Machine.builder().build();
    machine.addRule("router", deployment.one(EVENT_RULE, "router-rule").string("eventPattern"));
  }

  /** A fixture with the bucket and key set, everything else exactly as AWS sends it. */
  static String event(String fixture, String bucket, String key) throws IOException {
    try (InputStream in = UploadRouterTest.class.getResourceAsStream("/events/" + fixture)) {
      ObjectNode event = (ObjectNode) JsonSupport.mapper().readTree(in);
      if (event.at("/detail/bucket").isObject()) {
        ((ObjectNode) event.at("/detail/bucket")).put("name", bucket);
        ((ObjectNode) event.at("/detail/object")).put("key", key);
        event.putArray("resources").add("arn:aws:s3:::" + bucket);
      } else {
        ((ObjectNode) event.at("/detail/requestParameters")).put("bucketName", bucket).put("key", key);
      }
      return event.toString();
    }
  }

  static boolean matches(String event) throws Exception {
    return machine.rulesForJSONEvent(event).contains("router");
  }

  @Test
  void anUploadIsRouted() throws Exception {
    assertThat(matches(event("s3-object-created.json", BUCKET, "uploads/user-1/4c1d.mp4"))).isTrue();
  }

  @Test
  void anotherBucketIsNot() throws Exception {
    assertThat(matches(event("s3-object-created.json", "someone-elses-bucket", "uploads/user-1/4c1d.mp4"))).isFalse();
  }

  @Test
  void anotherPrefixIsNot() throws Exception {
    assertThat(matches(event("s3-object-created.json", BUCKET, "processed/uploads/user-1/4c1d.mp4.json"))).isFalse();
    assertThat(matches(event("s3-object-created.json", BUCKET, "uploadsx/user-1/4c1d.mp4"))).isFalse();
  }

  @Test
  void aDeletionIsNot() throws Exception {
    assertThat(matches(event("s3-object-deleted.json", BUCKET, "uploads/user-1/4c1d.mp4"))).isFalse();
  }

  /** The seed's CloudTrail shape needs paid data events; this stack uses S3's own EventBridge events. */
  @Test
  void theCloudTrailShapeIsNot() throws Exception {
    assertThat(matches(event("cloudtrail-put-object.json", BUCKET, "uploads/user-1/4c1d.mp4"))).isFalse();
  }

  @Test
  void theTargetIsTheAliasWithRetriesAndADeadLetterQueue() {
    MockResource target = deployment.one(EVENT_TARGET, "router-target");
    assertThat(target.string("rule")).isEqualTo("router-rule");
    assertThat(target.string("arn")).isEqualTo("arn:aws:lambda:us-east-1:123456789012:function:router-function:live");
    assertThat(target.map("retryPolicy"))
        .isEqualTo(Map.of("maximumRetryAttempts", 12.0, "maximumEventAgeInSeconds", 3600.0));
    assertThat(target.nested("deadLetterConfig", "arn")).isEqualTo(EVENTS_DLQ_ARN);
  }

  @Test
  void onlyThisRuleMayInvokeTheRouter() {
    MockResource permission = deployment.one(PERMISSION, "router-invoke-permission");
    assertThat(permission.string("principal")).isEqualTo("events.amazonaws.com");
    assertThat(permission.string("sourceArn")).isEqualTo(RULE_ARN);
    assertThat(permission.string("function")).isEqualTo("router-function");
    assertThat(permission.string("qualifier")).isEqualTo("live");
    assertThat(permission.string("action")).isEqualTo("lambda:InvokeFunction");
  }

  @Test
  void theEventsDlqIsEncryptedAndOnlyThisRuleMayWriteToIt() {
    MockResource dlq = deployment.one(QUEUE, "router-events-dlq");
    assertThat(dlq.get("sqsManagedSseEnabled")).isEqualTo(true);
    assertThat(dlq.number("messageRetentionSeconds")).isEqualTo(1_209_600);

    JsonNode policy = deployment.one(QUEUE_POLICY, "router-events-dlq-policy").json("policy");
    JsonNode allow = policy.get("Statement").get(0);
    assertThat(allow.get("Effect").asText()).isEqualTo("Allow");
    assertThat(allow.at("/Principal/Service").asText()).isEqualTo("events.amazonaws.com");
    assertThat(allow.get("Action")).extracting(JsonNode::asText).containsExactly("sqs:SendMessage");
    assertThat(allow.get("Resource")).extracting(JsonNode::asText).containsExactly(EVENTS_DLQ_ARN);
    assertThat(allow.at("/Condition/ArnEquals/aws:SourceArn").asText()).isEqualTo(RULE_ARN);
    TierQueueTest.denyInsecureTransport(policy);
  }

  @Test
  void eventsTheRouterFailsOnGoToTheEventsDlqAfterLambdasRetries() {
    MockResource async = deployment.one(
        "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig", "router-async");
    assertThat(async.string("functionName")).isEqualTo("router-function");
    assertThat(async.string("qualifier")).isEqualTo("live");
    assertThat(async.number("maximumRetryAttempts")).isEqualTo(2);
    // Lambda's own setting, not EventBridge's retry policy age (3600 above): Lambda allows at most 21600.
    assertThat(async.number("maximumEventAgeInSeconds")).isEqualTo(1800);
    assertThat(async.nested("destinationConfig", "onFailure", "destination")).isEqualTo(EVENTS_DLQ_ARN);
  }

  @Test
  void byDefaultEachRetryAgeIsItsServicesMaximum() {
    Deployment defaults = Deployment.run(TestSettings.defaults(codeRoot)).assertSucceeded();
    assertThat(defaults.one(EVENT_TARGET, "router-target").nested("retryPolicy", "maximumEventAgeInSeconds"))
        .isEqualTo(86_400.0);
    assertThat(defaults.one("aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig", "router-async")
        .number("maximumEventAgeInSeconds")).isEqualTo(21_600);
  }

  @Test
  void undeliveredEventsRaiseAnAlarm() {
    MockResource alarm = deployment.one(METRIC_ALARM, "router-events-dlq-alarm");
    assertThat(alarm.map("dimensions")).containsExactly(Map.entry("QueueName", "router-events-dlq"));
    assertThat(alarm.number("threshold")).isZero();
  }
}
