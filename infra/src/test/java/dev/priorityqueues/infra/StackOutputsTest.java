package dev.priorityqueues.infra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.priorityqueues.infra.testing.Deployment;
import dev.priorityqueues.infra.testing.FakeArchives;
import dev.priorityqueues.infra.testing.ProgramTest;
import dev.priorityqueues.infra.testing.TestSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The outputs other stacks and the local cloud read: stable names, one value each. */
class StackOutputsTest extends ProgramTest {

  static final String SQS = "https://sqs.us-east-1.amazonaws.com/123456789012/";

  @TempDir static Path codeRoot;
  static Deployment deployment;

  @BeforeAll
  static void deploy() {
    deployment = Deployment.run(TestSettings.with(FakeArchives.complete(codeRoot), Map.of(
        "tiers", """
            [{"name":"gold","subscriptions":["gold"],"maxConcurrency":10},
             {"name":"silver","subscriptions":["silver"],"maxConcurrency":5},
             {"name":"bronze","subscriptions":["free"],"maxConcurrency":2}]""",
        "flow", "queue-level"))).assertSucceeded();
  }

  @Test
  void theOutputNamesAreExactlyTheDocumentedOnes() {
    assertThat(deployment.outputs().keySet()).containsExactlyInAnyOrderElementsOf(StackOutputs.ALL);
    assertThat(StackOutputs.ALL).containsExactly("tierOrder", "queueUrls", "queueArns", "dlqUrls", "dlqArns",
        "bucketName", "uploadEndpoint", "videosTableName", "usersTableName", "dashboardName", "eventsDlqUrl", "flow",
        "completionEventSource", "completionEventDetailTypes", "completionEventBusArn", "quotasTableName");
  }

  @Test
  void tierOrderIsHighestFirst() {
    assertThat(deployment.outputs().get("tierOrder")).isEqualTo(List.of("gold", "silver", "bronze"));
  }

  @Test
  void queueMapsAreKeyedByTier() {
    Map<String, Object> outputs = deployment.outputs();
    assertThat(outputs.get("queueUrls")).isEqualTo(Map.of(
        "gold", SQS + "tier-gold-queue", "silver", SQS + "tier-silver-queue", "bronze", SQS + "tier-bronze-queue"));
    assertThat(outputs.get("dlqUrls")).isEqualTo(Map.of(
        "gold", SQS + "tier-gold-dlq", "silver", SQS + "tier-silver-dlq", "bronze", SQS + "tier-bronze-dlq"));
    assertThat(outputs.get("queueArns")).isEqualTo(Map.of(
        "gold", "arn:aws:sqs:us-east-1:123456789012:tier-gold-queue",
        "silver", "arn:aws:sqs:us-east-1:123456789012:tier-silver-queue",
        "bronze", "arn:aws:sqs:us-east-1:123456789012:tier-bronze-queue"));
    assertThat(outputs.get("dlqArns")).isEqualTo(Map.of(
        "gold", "arn:aws:sqs:us-east-1:123456789012:tier-gold-dlq",
        "silver", "arn:aws:sqs:us-east-1:123456789012:tier-silver-dlq",
        "bronze", "arn:aws:sqs:us-east-1:123456789012:tier-bronze-dlq"));
  }

  @Test
  void theOtherOutputsNameTheirResources() {
    Map<String, Object> outputs = deployment.outputs();
    assertThat(outputs.get("bucketName")).isEqualTo("storage-bucket");
    assertThat(outputs.get("videosTableName")).isEqualTo("storage-videos");
    assertThat(outputs.get("usersTableName")).isEqualTo("storage-users");
    assertThat(outputs.get("quotasTableName")).isEqualTo("storage-quotas");
    assertThat(outputs.get("dashboardName")).isEqualTo("priority-queues-test");
    assertThat(outputs.get("eventsDlqUrl")).isEqualTo(SQS + "router-events-dlq");
    assertThat(outputs.get("uploadEndpoint")).isEqualTo("https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/uploads");
    assertThat(outputs.get("flow")).isEqualTo("queue-level");
  }

  @Test
  void aStackNameWithADotStillNamesAValidDashboard() {
    Deployment dotted = Deployment.run(TestSettings.defaults(FakeArchives.complete(codeRoot)), "team.prod").assertSucceeded();

    assertThat(dotted.outputs().get("dashboardName")).isEqualTo("priority-queues-team_prod");
  }
}
