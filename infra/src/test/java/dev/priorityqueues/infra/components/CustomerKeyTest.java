package dev.priorityqueues.infra.components;

import static dev.priorityqueues.infra.testing.Types.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.priorityqueues.infra.config.InvalidConfigException;
import dev.priorityqueues.infra.testing.AwsMocks;
import dev.priorityqueues.infra.testing.Deployment;
import dev.priorityqueues.infra.testing.FakeArchives;
import dev.priorityqueues.infra.testing.MockResource;
import dev.priorityqueues.infra.testing.ProgramTest;
import dev.priorityqueues.infra.testing.TestSettings;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code kmsKey}: without it every resource keeps the keys it always had; with it (a created key
 * or a given ARN) the bucket, tables, queues, log groups, function environments and the alarm
 * topic use the customer key, and each role may use it exactly as far as its calls need.
 */
class CustomerKeyTest extends ProgramTest {
  static final String KMS_KEY = "aws:kms/key:Key";
  static final String KMS_ALIAS = "aws:kms/alias:Alias";
  static final String GIVEN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
  static final String REGION = AwsMocks.REGION;

  @TempDir static Path codeRoot;
  static Deployment none;
  static Deployment created;
  static Deployment given;

  @BeforeAll
  static void deploy() {
    FakeArchives.complete(codeRoot);
    // An alarm e-mail, so the stack creates the alarm topic.
    Map<String, String> email = Map.of("alarmEmail", "oncall@example.com");
    none = Deployment.run(TestSettings.with(codeRoot, email)).assertSucceeded();
    created = Deployment.run(TestSettings.with(codeRoot, with(email, "kmsKey", "create"))).assertSucceeded();
    given = Deployment.run(TestSettings.with(codeRoot, with(email, "kmsKey", GIVEN))).assertSucceeded();
  }

  static Map<String, String> with(Map<String, String> base, String key, String value) {
    Map<String, String> all = new LinkedHashMap<>(base);
    all.put(key, value);
    return all;
  }

  static String createdKeyArn() {
    return "arn:aws:kms:" + REGION + ":" + AwsMocks.ACCOUNT + ":key/"
        + java.util.UUID.nameUUIDFromBytes("key-key".getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  @Test
  void withoutTheSettingEveryResourceKeepsTheKeysItAlwaysHad() {
    assertThat(none.all(KMS_KEY)).isEmpty();
    assertThat(none.all(KMS_ALIAS)).isEmpty();
    assertThat(none.all(QUEUE)).hasSize(5).allSatisfy(q -> {
      assertThat(q.get("sqsManagedSseEnabled")).as(q.name()).isEqualTo(true);
      assertThat(q.inputs()).as(q.name()).doesNotContainKeys("kmsMasterKeyId", "kmsDataKeyReusePeriodSeconds");
    });
    assertThat(none.one(BUCKET_SSE, "storage-encryption").list("rules")).containsExactly(
        Map.of("applyServerSideEncryptionByDefault", Map.of("sseAlgorithm", "AES256")));
    assertThat(none.all(TABLE)).hasSize(3).allSatisfy(t ->
        assertThat(t.get("serverSideEncryption")).as(t.name()).isEqualTo(Map.of("enabled", true)));
    assertThat(none.all(LOG_GROUP)).hasSize(5).allSatisfy(l ->
        assertThat(l.inputs()).as(l.name()).doesNotContainKey("kmsKeyId"));
    assertThat(none.all(FUNCTION)).hasSize(4).allSatisfy(f ->
        assertThat(f.inputs()).as(f.name()).doesNotContainKey("kmsKeyArn"));
    assertThat(none.one(SNS_TOPIC, "alerts-topic").inputs()).doesNotContainKey("kmsMasterKeyId");
    assertThat(none.all(ROLE_POLICY)).allSatisfy(p ->
        assertThat(p.string("policy")).as(p.name()).doesNotContain("kms:"));
  }

  @Test
  void aCreatedKeyIsSymmetricRotatesWaitsThirtyDaysAndHasTheStacksAlias() {
    MockResource key = created.one(KMS_KEY, "key-key");
    assertThat(key.get("enableKeyRotation")).isEqualTo(true);
    assertThat(key.number("deletionWindowInDays")).isEqualTo(30);
    assertThat(key.string("keyUsage")).isEqualTo("ENCRYPT_DECRYPT");
    assertThat(key.string("customerMasterKeySpec")).isEqualTo("SYMMETRIC_DEFAULT");
    assertThat(key.inputs()).doesNotContainKey("bypassPolicyLockoutSafetyCheck");
    MockResource alias = created.one(KMS_ALIAS, "key-alias");
    assertThat(alias.string("name")).isEqualTo("alias/priority-queues-" + Deployment.STACK);
    assertThat(alias.string("targetKeyId")).isEqualTo(createdKeyArn().substring(createdKeyArn().indexOf('/') + 1));
  }

  @Test
  void theCreatedKeysPolicyDelegatesToIamAndLetsThreeServicesInEachScopedToThisAccount() {
    JsonNode policy = created.one(KMS_KEY, "key-key").json("policy");
    assertThat(policy.get("Version").asText()).isEqualTo("2012-10-17");
    Map<String, JsonNode> bySid = new TreeMap<>();
    policy.get("Statement").forEach(s -> bySid.put(s.get("Sid").asText(), s));
    assertThat(bySid).containsOnlyKeys("EnableIamPolicies", "CloudWatchLogsEncryptLogGroups", "CloudWatchAlarmsNotify",
        "EventBridgeDeadLetters");
    assertThat(bySid.values()).allSatisfy(s -> {
      assertThat(s.get("Effect").asText()).isEqualTo("Allow");
      assertThat(s.get("Resource").asText()).as("in a key policy, * is this key").isEqualTo("*");
    });

    JsonNode root = bySid.get("EnableIamPolicies");
    assertThat(root.at("/Principal/AWS").asText()).isEqualTo("arn:aws:iam::" + AwsMocks.ACCOUNT + ":root");
    assertThat(texts(root.get("Action"))).containsExactly("kms:*");
    assertThat(root.has("Condition")).isFalse();

    JsonNode logs = bySid.get("CloudWatchLogsEncryptLogGroups");
    assertThat(logs.at("/Principal/Service").asText()).isEqualTo("logs." + REGION + ".amazonaws.com");
    assertThat(texts(logs.get("Action"))).containsExactly("kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom",
        "kms:ReEncryptTo", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext");
    assertThat(logs.at("/Condition/ArnLike/kms:EncryptionContext:aws:logs:arn").asText())
        .isEqualTo("arn:aws:logs:" + REGION + ":" + AwsMocks.ACCOUNT + ":log-group:*");

    JsonNode alarms = bySid.get("CloudWatchAlarmsNotify");
    assertThat(alarms.at("/Principal/Service").asText()).isEqualTo("cloudwatch.amazonaws.com");
    assertThat(texts(alarms.get("Action"))).containsExactly("kms:GenerateDataKey", "kms:Decrypt");
    assertThat(alarms.at("/Condition/StringEquals/aws:SourceAccount").asText()).isEqualTo(AwsMocks.ACCOUNT);
    assertThat(alarms.at("/Condition/ArnLike/aws:SourceArn").asText())
        .isEqualTo("arn:aws:cloudwatch:" + REGION + ":" + AwsMocks.ACCOUNT + ":alarm:*");

    JsonNode events = bySid.get("EventBridgeDeadLetters");
    assertThat(events.at("/Principal/Service").asText()).isEqualTo("events.amazonaws.com");
    assertThat(texts(events.get("Action"))).containsExactly("kms:GenerateDataKey", "kms:Decrypt");
    assertThat(events.at("/Condition/ArnLike/kms:EncryptionContext:aws:sqs:arn").asText())
        .isEqualTo("arn:aws:sqs:" + REGION + ":" + AwsMocks.ACCOUNT + ":*");
    // Only the account delegation may use a wildcard action; services get named actions.
    bySid.forEach((sid, s) -> {
      if (!sid.equals("EnableIamPolicies")) {
        assertThat(texts(s.get("Action"))).as(sid).noneMatch(a -> a.contains("*"));
      }
    });
  }

  @ParameterizedTest
  @ValueSource(strings = {"created", "given"})
  void everyBucketTableQueueLogGroupFunctionAndTheTopicUseTheKey(String which) {
    Deployment d = which.equals("created") ? created : given;
    String key = which.equals("created") ? createdKeyArn() : GIVEN;

    assertThat(d.all(QUEUE)).hasSize(5).allSatisfy(q -> {
      assertThat(q.string("kmsMasterKeyId")).as(q.name()).isEqualTo(key);
      assertThat(q.number("kmsDataKeyReusePeriodSeconds")).as(q.name()).isEqualTo(300);
      assertThat(q.inputs()).as("SSE-SQS and SSE-KMS exclude each other").doesNotContainKey("sqsManagedSseEnabled");
    });
    assertThat(d.one(BUCKET_SSE, "storage-encryption").list("rules")).containsExactly(Map.of(
        "applyServerSideEncryptionByDefault", Map.of("sseAlgorithm", "aws:kms", "kmsMasterKeyId", key),
        "bucketKeyEnabled", true));
    assertThat(d.all(TABLE)).extracting(MockResource::name)
        .containsExactlyInAnyOrder("storage-videos", "storage-users", "storage-quotas");
    assertThat(d.all(TABLE)).allSatisfy(t ->
        assertThat(t.get("serverSideEncryption")).as(t.name()).isEqualTo(Map.of("enabled", true, "kmsKeyArn", key)));
    assertThat(d.all(LOG_GROUP)).extracting(MockResource::name).containsExactlyInAnyOrder(
        "presign-logs", "status-logs", "router-logs", "worker-logs", "presign-access-logs");
    assertThat(d.all(LOG_GROUP)).allSatisfy(l -> assertThat(l.string("kmsKeyId")).as(l.name()).isEqualTo(key));
    assertThat(d.all(FUNCTION)).hasSize(4).allSatisfy(f ->
        assertThat(f.string("kmsKeyArn")).as(f.name()).isEqualTo(key));
    assertThat(d.one(SNS_TOPIC, "alerts-topic").string("kmsMasterKeyId")).isEqualTo(key);
  }

  @Test
  void aGivenKeyIsUsedAsItIsAndNothingIsCreated() {
    assertThat(given.all(KMS_KEY)).isEmpty();
    assertThat(given.all(KMS_ALIAS)).isEmpty();
  }

  /** Each role's kms grants: sid → action → the services it may use them through, all on the key's ARN. */
  static Map<String, Map<String, List<String>>> kmsGrants(Deployment d, String policyName, String keyArn) {
    Map<String, Map<String, List<String>>> grants = new TreeMap<>();
    for (JsonNode s : d.one(ROLE_POLICY, policyName).json("policy").get("Statement")) {
      List<String> actions = texts(s.get("Action"));
      if (actions.stream().noneMatch(a -> a.startsWith("kms:"))) {
        continue;
      }
      assertThat(actions).as("a statement with kms: actions has only kms: actions").allMatch(a -> a.startsWith("kms:"));
      assertThat(s.get("Effect").asText()).isEqualTo("Allow");
      assertThat(texts(s.get("Resource"))).as("exactly the key").containsExactly(keyArn);
      assertThat(s.get("Condition").fieldNames()).toIterable().containsExactly("StringEquals");
      assertThat(s.get("Condition").get("StringEquals").fieldNames()).toIterable().containsExactly("kms:ViaService");
      List<String> via = texts(s.at("/Condition/StringEquals/kms:ViaService"));
      for (String action : actions) {
        grants.computeIfAbsent(s.get("Sid").asText(), k -> new TreeMap<>()).put(action, via);
      }
    }
    return grants;
  }

  static String via(String service) {
    return service + "." + REGION + ".amazonaws.com";
  }

  @ParameterizedTest
  @ValueSource(strings = {"created", "given"})
  void eachRoleMayUseTheKeyOnlyAsItsCallsNeedAndOnlyThroughThoseServices(String which) {
    Deployment d = which.equals("created") ? created : given;
    String key = which.equals("created") ? createdKeyArn() : GIVEN;
    String sqs = via("sqs");
    String s3 = via("s3");
    String dynamodb = via("dynamodb");

    // Presign: its tables; a presigned PUT is encrypted with the signer's permissions.
    assertThat(kmsGrants(d, "presign-policy", key)).isEqualTo(Map.of(
        "DecryptTables", Map.of("kms:Decrypt", List.of(dynamodb)),
        "EncryptUploads", Map.of("kms:GenerateDataKey", List.of(s3))));
    // Status: reads the videos table and presigns GETs of outputs.
    assertThat(kmsGrants(d, "status-policy", key)).isEqualTo(Map.of(
        "DecryptTablesAndOutputs", Map.of("kms:Decrypt", List.of(dynamodb, s3))));
    // Router: its tables; sends jobs and failed events (a producer needs both actions).
    assertThat(kmsGrants(d, "router-policy", key)).isEqualTo(Map.of(
        "DecryptTablesAndQueues", Map.of("kms:Decrypt", List.of(dynamodb, sqs)),
        "EncryptJobs", Map.of("kms:GenerateDataKey", List.of(sqs))));
    // Worker: receives and dead-letters jobs, its table, reads uploads, writes results (multipart too).
    assertThat(kmsGrants(d, "worker-policy", key)).isEqualTo(Map.of(
        "DecryptTablesQueuesAndObjects", Map.of("kms:Decrypt", List.of(dynamodb, sqs, s3)),
        "EncryptMessagesAndResults", Map.of("kms:GenerateDataKey", List.of(sqs, s3))));
  }

  @ParameterizedTest
  @ValueSource(strings = {"alias/video", "arn:aws:kms:us-east-1:123456789012:alias/video", "Create", "1234abcd-12ab-34cd-56ef-1234567890ab",
      "arn:aws:kms:us-east-1:123456789012:key/not-a-key-id", "arn:aws:sqs:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"})
  void kmsKeyIsNoneCreateOrAKeyArnAndAnythingElseIsRefusedNamingTheAllowedValues(String value) {
    assertThatThrownBy(() -> TestSettings.with(codeRoot, Map.of("kmsKey", value)))
        .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.problems()).singleElement()
            .asString().startsWith("kmsKey must be none, create, or a KMS key ARN (arn:aws:kms:<region>:<account>:key/<key-id>;")
            .contains("not '" + value + "'"));
  }

  @Test
  void aMultiRegionKeyArnIsAccepted() {
    String mrk = "arn:aws:kms:eu-west-1:123456789012:key/mrk-" + "0123456789abcdef".repeat(2);
    assertThat(TestSettings.with(codeRoot, Map.of("kmsKey", mrk)).kmsKey().arn()).contains(mrk);
    assertThat(TestSettings.defaults(codeRoot).kmsKey().inUse()).isFalse();
  }

  static List<String> texts(JsonNode node) {
    if (node.isArray()) {
      return StreamSupport.stream(node.spliterator(), false).map(JsonNode::asText).toList();
    }
    return List.of(node.asText());
  }
}
