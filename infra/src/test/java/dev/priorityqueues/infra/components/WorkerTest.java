package dev.priorityqueues.infra.components;

import static dev.priorityqueues.infra.testing.Types.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.priorityqueues.contract.EnvReader;
import dev.priorityqueues.contract.FlowDefaults;
import dev.priorityqueues.contract.FunctionEnv;
import dev.priorityqueues.contract.TierTable;
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

/** The worker function, its mappings and the environment its handler reads. */
class WorkerTest extends ProgramTest {

  static final String ALIAS_ARN = "arn:aws:lambda:us-east-1:123456789012:function:worker-function:live";

  @TempDir static Path codeRoot;
  static Deployment deployment;
  static Deployment unreserved;
  static Deployment provisioned;
  static Deployment noLending;

  @BeforeAll
  static void deploy() {
    FakeArchives.complete(codeRoot);
    deployment = Deployment.run(TestSettings.with(codeRoot, Map.of(
        "tiers", """
            [{"name":"gold","subscriptions":["gold","platinum"],"maxConcurrency":40,"maxReceiveCount":3},
             {"name":"silver","subscriptions":["silver"],"maxConcurrency":7,"batchSize":50,"batchingWindowSeconds":4},
             {"name":"bronze","subscriptions":["free"],"maxConcurrency":3,"batchSize":10}]""",
        "workerReservedConcurrency", "60",
        "workerMemoryMb", "2048",
        "workerTimeoutSeconds", "120",
        "flow", "consumer-level",
        "maxDeferrals", "9",
        "workerProcessor", "simulated:250"))).assertSucceeded();
    unreserved = Deployment.run(TestSettings.defaults(codeRoot)).assertSucceeded();
    noLending = Deployment.run(TestSettings.with(codeRoot, Map.of("lendTokens", "0"))).assertSucceeded();
    provisioned = Deployment.run(TestSettings.with(codeRoot, Map.of(
        "tiers", """
            [{"name":"premium","subscriptions":["premium"],"provisionedPollers":{"min":3,"max":8}},
             {"name":"regular","subscriptions":["free"],"maxConcurrency":900}]""",
        "workerReservedConcurrency", "980",
        "accountConcurrency", "2000",
        "lendTokens", "2"))).assertSucceeded();
  }

  /**
   * consumer-level re-sends deferred jobs, to every tier; highest-first's lending (on by default)
   * sends capacity tokens, only to the tiers above the lowest. Only then may the worker send to a
   * tier queue, by its own policy and by the queue's; without lending, only to the DLQs.
   */
  @Test
  void underConsumerLevelTheWorkerMaySendToTheTierQueuesToo() {
    String sqs = "arn:aws:sqs:us-east-1:123456789012:";
    assertThat(sendsTo(deployment)).containsExactlyInAnyOrder(sqs + "tier-gold-queue", sqs + "tier-silver-queue",
        sqs + "tier-bronze-queue", sqs + "tier-gold-dlq", sqs + "tier-silver-dlq", sqs + "tier-bronze-dlq");
    assertThat(TierQueueTest.onlySenders(deployment, "tier-gold-queue-policy", "tier-gold-queue")).containsExactly(
        "arn:aws:iam::123456789012:role/router-role", "arn:aws:iam::123456789012:role/worker-role");
    assertThat(TierQueueTest.onlySenders(deployment, "tier-gold-dlq-policy", "tier-gold-dlq"))
        .containsExactly("arn:aws:iam::123456789012:role/worker-role");

    // The defaults: highest-first lends capacity tokens to the higher tier, never to the lowest.
    assertThat(sendsTo(unreserved)).containsExactlyInAnyOrder(sqs + "tier-premium-queue", sqs + "tier-premium-dlq",
        sqs + "tier-regular-dlq");
    assertThat(TierQueueTest.onlySenders(unreserved, "tier-premium-queue-policy", "tier-premium-queue")).containsExactly(
        "arn:aws:iam::123456789012:role/router-role", "arn:aws:iam::123456789012:role/worker-role");
    assertThat(TierQueueTest.onlySenders(unreserved, "tier-regular-queue-policy", "tier-regular-queue"))
        .containsExactly("arn:aws:iam::123456789012:role/router-role");
    assertThat(sendsTo(provisioned)).containsExactlyInAnyOrder(sqs + "tier-premium-queue", sqs + "tier-premium-dlq",
        sqs + "tier-regular-dlq");

    assertThat(sendsTo(noLending)).containsExactlyInAnyOrder(sqs + "tier-premium-dlq", sqs + "tier-regular-dlq");
    assertThat(TierQueueTest.onlySenders(noLending, "tier-premium-queue-policy", "tier-premium-queue"))
        .containsExactly("arn:aws:iam::123456789012:role/router-role");
  }

  private static java.util.List<String> sendsTo(Deployment d) {
    java.util.List<String> resources = new java.util.ArrayList<>();
    for (var s : d.one(ROLE_POLICY, "worker-policy").json("policy").get("Statement")) {
      if (s.get("Action").toString().contains("sqs:SendMessage")) {
        s.get("Resource").forEach(r -> resources.add(r.asText()));
      }
    }
    return resources;
  }

  private static MockResource mapping(String tier) {
    return deployment.one(EVENT_SOURCE_MAPPING, "worker-" + tier + "-mapping");
  }

  @Test
  void oneMappingPerTierWithThatTiersMaximumConcurrency() {
    assertThat(deployment.names(EVENT_SOURCE_MAPPING))
        .containsExactlyInAnyOrder("worker-gold-mapping", "worker-silver-mapping", "worker-bronze-mapping");
    assertThat(mapping("gold").nested("scalingConfig", "maximumConcurrency")).isEqualTo(40.0);
    assertThat(mapping("silver").nested("scalingConfig", "maximumConcurrency")).isEqualTo(7.0);
    assertThat(mapping("bronze").nested("scalingConfig", "maximumConcurrency")).isEqualTo(3.0);
  }

  @Test
  void aTierInProvisionedModeGetsProvisionedPollersAndNoMaximumConcurrency() {
    MockResource premium = provisioned.one(EVENT_SOURCE_MAPPING, "worker-premium-mapping");
    assertThat(premium.nested("provisionedPollerConfig", "minimumPollers")).isEqualTo(3.0);
    assertThat(premium.nested("provisionedPollerConfig", "maximumPollers")).isEqualTo(8.0);
    assertThat(premium.inputs()).as("Lambda rejects maximumConcurrency in provisioned mode").doesNotContainKey("scalingConfig");
    MockResource regular = provisioned.one(EVENT_SOURCE_MAPPING, "worker-regular-mapping");
    assertThat(regular.nested("scalingConfig", "maximumConcurrency")).isEqualTo(900.0);
    assertThat(regular.inputs()).doesNotContainKey("provisionedPollerConfig");
  }

  @Test
  void eachMappingReadsItsOwnQueueThroughTheAlias() {
    for (String tier : List.of("gold", "silver", "bronze")) {
      MockResource mapping = mapping(tier);
      assertThat(mapping.string("eventSourceArn")).isEqualTo("arn:aws:sqs:us-east-1:123456789012:tier-" + tier + "-queue");
      assertThat(mapping.string("functionName")).as("the alias, so SnapStart versions run").isEqualTo(ALIAS_ARN);
      assertThat(mapping.list("functionResponseTypes")).containsExactly("ReportBatchItemFailures");
    }
  }

  @Test
  void batchSizeAndWindowComeFromTheTier() {
    assertThat(mapping("gold").number("batchSize")).isEqualTo(1);
    assertThat(mapping("gold").number("maximumBatchingWindowInSeconds")).isZero();
    assertThat(mapping("silver").number("batchSize")).isEqualTo(50);
    assertThat(mapping("silver").number("maximumBatchingWindowInSeconds")).isEqualTo(4);
    assertThat(mapping("bronze").number("batchSize")).isEqualTo(10);
  }

  @Test
  void reservedConcurrencyOnlyWhenConfigured() {
    MockResource function = deployment.one(FUNCTION, "worker-function");
    assertThat(function.number("reservedConcurrentExecutions")).isEqualTo(60);
    assertThat(function.number("reservedConcurrentExecutions"))
        .as("covers every mapping's maximum").isGreaterThanOrEqualTo(40 + 7 + 3);
    assertThat(unreserved.one(FUNCTION, "worker-function").inputs()).doesNotContainKey("reservedConcurrentExecutions");
  }

  @Test
  void sizeComesFromTheSettings() {
    MockResource function = deployment.one(FUNCTION, "worker-function");
    assertThat(function.number("memorySize")).isEqualTo(2048);
    assertThat(function.number("timeout")).isEqualTo(120);
  }

  @Test
  void theEnvironmentIsWhatTheHandlerReads() {
    @SuppressWarnings("unchecked")
    Map<String, String> variables = (Map<String, String>) deployment.one(FUNCTION, "worker-function")
        .nested("environment", "variables");
    EnvReader env = new EnvReader(variables);

    TierTable table = TierTable.fromEnv(env);
    assertThat(table.all()).extracting(TierTable.Tier::name).containsExactly("gold", "silver", "bronze");
    TierTable.Tier gold = table.byName("gold");
    assertThat(gold.queueUrl()).isEqualTo("https://sqs.us-east-1.amazonaws.com/123456789012/tier-gold-queue");
    assertThat(gold.queueArn()).isEqualTo("arn:aws:sqs:us-east-1:123456789012:tier-gold-queue");
    assertThat(gold.dlqUrl()).isEqualTo("https://sqs.us-east-1.amazonaws.com/123456789012/tier-gold-dlq");
    assertThat(gold.dlqArn()).isEqualTo("arn:aws:sqs:us-east-1:123456789012:tier-gold-dlq");
    assertThat(gold.maxReceiveCount()).isEqualTo(3);
    assertThat(table.forSubscription("platinum").name()).isEqualTo("gold");
    assertThat(table.defaultTier().name()).isEqualTo("bronze");

    assertThat(env.require(FunctionEnv.VIDEOS_TABLE)).isEqualTo("storage-videos");
    assertThat(env.require(FunctionEnv.USERS_TABLE)).isEqualTo("storage-users");
    assertThat(env.require(FunctionEnv.BUCKET)).isEqualTo("storage-bucket");
    assertThat(env.require(FunctionEnv.FLOW)).isEqualTo("consumer-level");
    assertThat(env.intValue(FunctionEnv.MAX_DEFERRALS, -1, 0, 100)).isEqualTo(9);
    assertThat(env.intValue(FunctionEnv.STEAL_BUDGET, -1, 0, 100)).isEqualTo(FlowDefaults.STEAL_BUDGET);
    assertThat(env.booleanValue(FunctionEnv.DRAIN, false)).isTrue();
    assertThat(env.intValue(FunctionEnv.DEFER_DELAY_SECONDS, -1, 0, 900)).isEqualTo(FlowDefaults.DEFER_DELAY_SECONDS);
    assertThat(env.intValue(FunctionEnv.BACKLOG_CACHE_MILLIS, -1, 0, 60_000)).isEqualTo(1000);
    assertThat(env.intValue(FunctionEnv.BACKLOG_HOLD_MILLIS, -1, 0, 600_000)).isEqualTo(FlowDefaults.BACKLOG_HOLD_MILLIS);
    assertThat(env.intValue(FunctionEnv.RETRY_BACKOFF_SECONDS, -1, 0, 900)).isEqualTo(2);
    assertThat(env.require(FunctionEnv.PROCESSOR)).isEqualTo("simulated:250");
  }
}
