package dev.priorityqueues.infra.components;

import static dev.priorityqueues.infra.testing.Types.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.priorityqueues.infra.config.InvalidConfigException;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code operatorRoleArns}: the operators who redrive a DLQ. SQS's message move task sends to the
 * tier queue with the permissions of whoever starts it, so each tier queue's policy lets these
 * roles send too; the DLQs' policies, which a redrive never sends to, are unchanged.
 */
class OperatorRolesTest extends ProgramTest {
  static final String OPS = "arn:aws:iam::123456789012:role/ops-redrive";
  static final String ONCALL = "arn:aws:iam::123456789012:role/teams/video/oncall";

  @TempDir static Path codeRoot;
  static Deployment deployment;
  static Deployment consumerLevel;

  @BeforeAll
  static void deploy() {
    FakeArchives.complete(codeRoot);
    deployment = Deployment.run(TestSettings.with(codeRoot,
        Map.of("operatorRoleArns", "[\"" + OPS + "\",\"" + ONCALL + "\"]"))).assertSucceeded();
    consumerLevel = Deployment.run(TestSettings.with(codeRoot,
        Map.of("operatorRoleArns", OPS, "flow", "consumer-level"))).assertSucceeded();
  }

  @Test
  void everyTierQueueLetsTheOperatorsSendAndNoDlqDoes() {
    for (String tier : List.of("premium", "regular")) {
      // The worker sends lending's capacity tokens to the higher tier only.
      List<String> pipeline = tier.equals("premium")
          ? List.of("arn:aws:iam::123456789012:role/router-role", "arn:aws:iam::123456789012:role/worker-role")
          : List.of("arn:aws:iam::123456789012:role/router-role");
      assertThat(TierQueueTest.onlySenders(deployment, "tier-" + tier + "-queue-policy", "tier-" + tier + "-queue"))
          .containsExactlyElementsOf(java.util.stream.Stream.concat(pipeline.stream(), java.util.stream.Stream.of(OPS, ONCALL))
              .toList());
      assertThat(TierQueueTest.onlySenders(deployment, "tier-" + tier + "-dlq-policy", "tier-" + tier + "-dlq"))
          .containsExactly("arn:aws:iam::123456789012:role/worker-role");
      assertThat(TierQueueTest.onlySenders(consumerLevel, "tier-" + tier + "-queue-policy", "tier-" + tier + "-queue"))
          .containsExactly("arn:aws:iam::123456789012:role/router-role", "arn:aws:iam::123456789012:role/worker-role", OPS);
    }
    // The events DLQ is EventBridge's and the router's alone; no operator role appears in any role policy.
    assertThat(deployment.one(QUEUE_POLICY, "router-events-dlq-policy").string("policy")).doesNotContain("ops-redrive");
    assertThat(deployment.all(ROLE_POLICY)).allSatisfy(p -> assertThat(p.string("policy")).doesNotContain(":role/ops"));
  }

  @Test
  void byDefaultOnlyThePipelineSends() {
    assertThat(TestSettings.defaults(codeRoot).operatorRoleArns()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"*", "arn:aws:iam::123456789012:user/alice", "arn:aws:sts::123456789012:assumed-role/ops/alice",
      "arn:aws:iam::123456789012:role/*", "arn:aws:iam::12345678901:role/ops", "ops-redrive"})
  void anythingButARoleArnIsRefusedNamingTheAllowedValues(String value) {
    assertThatThrownBy(() -> TestSettings.with(codeRoot, Map.of("operatorRoleArns", "[\"" + value + "\"]")))
        .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.problems()).singleElement().asString()
            .startsWith("operatorRoleArns entry '" + value + "' is not an IAM role ARN")
            .contains("allowed: a list of up to 10 IAM role ARNs"));
  }

  @Test
  void atMostTenDistinctRoles() {
    String eleven = String.join(",", java.util.stream.IntStream.range(0, 11)
        .mapToObj(i -> "arn:aws:iam::123456789012:role/ops-" + i).toList());
    assertThatThrownBy(() -> TestSettings.with(codeRoot, Map.of("operatorRoleArns", eleven)))
        .hasMessageContaining("operatorRoleArns may list at most 10 roles, not 11");
    assertThatThrownBy(() -> TestSettings.with(codeRoot, Map.of("operatorRoleArns", OPS + "," + OPS)))
        .hasMessageContaining("operatorRoleArns lists a role twice");
  }
}
