package dev.priorityqueues.infra.components;

import static dev.priorityqueues.infra.testing.Types.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.priorityqueues.contract.Tables;
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

/** The upload bucket and the two tables. */
class StorageTest extends ProgramTest {

  @TempDir static Path codeRoot;
  static Deployment deployment;
  static Deployment throwaway;

  @BeforeAll
  static void deploy() {
    FakeArchives.complete(codeRoot);
    deployment = Deployment.run(TestSettings.with(codeRoot,
        Map.of("uploadRetentionDays", "21", "noncurrentVersionExpirationDays", "3", "processedRetentionDays", "45")))
        .assertSucceeded();
    throwaway = Deployment.run(TestSettings.with(codeRoot, Map.of("protectData", "false",
        "rejectedInputs", "quarantine", "quarantineRetentionDays", "3"))).assertSucceeded();
  }

  @Test
  void allPublicAccessIsBlocked() {
    MockResource block = deployment.one(PUBLIC_ACCESS_BLOCK, "storage-public-access-block");
    assertThat(block.string("bucket")).isEqualTo("storage-bucket");
    for (String setting : List.of("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")) {
      assertThat(block.get(setting)).as(setting).isEqualTo(true);
    }
    assertThat(deployment.one(BUCKET_OWNERSHIP, "storage-ownership").nested("rule", "objectOwnership"))
        .as("ACLs disabled").isEqualTo("BucketOwnerEnforced");
  }

  @Test
  void onlyTlsRequestsReachTheBucketOrItsObjects() {
    MockResource policy = deployment.one(BUCKET_POLICY, "storage-policy");
    assertThat(policy.string("bucket")).isEqualTo("storage-bucket");
    JsonNode deny = statement(policy.json("policy"), "DenyInsecureTransport");
    assertThat(deny.at("/Condition/Bool/aws:SecureTransport").asText()).isEqualTo("false");

    assertThat(deny.get("Principal").asText()).isEqualTo("*");
    assertThat(deny.get("Action")).extracting(JsonNode::asText).containsExactly("s3:*");
    assertThat(deny.get("Resource")).extracting(JsonNode::asText)
        .containsExactly("arn:aws:s3:::storage-bucket", "arn:aws:s3:::storage-bucket/*");
    assertThat(policy.json("policy").get("Statement")).as("denies only: nothing is granted here")
        .allSatisfy(st -> assertThat(st.get("Effect").asText()).isEqualTo("Deny"));
  }

  /**
   * uploads/ is written only by presign's role, only through a presigned URL, and only within the
   * URL lifetime (900 s by default, so 900,000 ms of signature age); processed/ only by the
   * worker's role. Each is its own Deny: one failed condition must be enough to refuse.
   */
  @Test
  void onlyPresignedUrlsWriteUploadsAndOnlyTheWorkerWritesResults() {
    Map<String, JsonNode> bySid = new java.util.LinkedHashMap<>();
    deployment.one(BUCKET_POLICY, "storage-policy").json("policy").get("Statement")
        .forEach(st -> bySid.put(st.get("Sid").asText(), st));
    assertThat(bySid.keySet()).containsExactly("DenyInsecureTransport", "UploadsOnlyByPresign",
        "UploadsOnlyThroughPresignedUrls", "UploadsWithinUrlLifetime", "DenyUploadsWithoutIfNoneMatch",
        "ResultsOnlyByWorker");
    Map<String, String> expected = Map.of(
        "UploadsOnlyByPresign", "{\"ArnNotEquals\":{\"aws:PrincipalArn\":\"arn:aws:iam::123456789012:role/presign-role\"}}",
        "UploadsOnlyThroughPresignedUrls", "{\"StringNotEquals\":{\"s3:authType\":\"REST-QUERY-STRING\"}}",
        "UploadsWithinUrlLifetime", "{\"NumericGreaterThan\":{\"s3:signatureAge\":\"900000\"}}",
        "ResultsOnlyByWorker", "{\"ArnNotEquals\":{\"aws:PrincipalArn\":\"arn:aws:iam::123456789012:role/worker-role\"}}");
    expected.forEach((sid, condition) -> {
      JsonNode st = bySid.get(sid);
      assertThat(st.get("Effect").asText()).as(sid).isEqualTo("Deny");
      assertThat(st.get("Principal").asText()).as(sid).isEqualTo("*");
      assertThat(st.get("Action")).as(sid).extracting(JsonNode::asText).containsExactly("s3:PutObject");
      assertThat(st.get("Resource")).as(sid).extracting(JsonNode::asText).containsExactly(
          "arn:aws:s3:::storage-bucket/" + (sid.startsWith("Results") ? "processed/*" : "uploads/*"));
      assertThat(st.get("Condition").toString()).as(sid).isEqualTo(condition);
    });
  }

  /**
   * Single-use upload URLs: S3 refuses a write under uploads/ that does not carry If-None-Match
   * (condition key s3:if-none-match, "Enforce conditional writes"), whoever signs it.
   */
  @Test
  void noWriteUnderUploadsWithoutIfNoneMatch() {
    JsonNode deny = statement(deployment.one(BUCKET_POLICY, "storage-policy").json("policy"),
        "DenyUploadsWithoutIfNoneMatch");
    assertThat(deny.get("Effect").asText()).isEqualTo("Deny");
    assertThat(deny.get("Principal").asText()).isEqualTo("*");
    assertThat(deny.get("Action")).extracting(JsonNode::asText).containsExactly("s3:PutObject");
    assertThat(deny.get("Resource")).extracting(JsonNode::asText).containsExactly("arn:aws:s3:::storage-bucket/uploads/*");
    assertThat(deny.at("/Condition/Null/s3:if-none-match").asText()).isEqualTo("true");
  }

  private static JsonNode statement(JsonNode policy, String sid) {
    List<JsonNode> found = new java.util.ArrayList<>();
    policy.get("Statement").forEach(s -> {
      if (s.get("Sid").asText().equals(sid)) {
        found.add(s);
      }
    });
    assertThat(found).as(sid).hasSize(1);
    return found.get(0);
  }

  @Test
  void objectsAreEncryptedAndVersioned() {
    assertThat(deployment.one(BUCKET_SSE, "storage-encryption").list("rules")).singleElement()
        .satisfies(rule -> assertThat(rule).isEqualTo(Map.of("applyServerSideEncryptionByDefault",
            Map.of("sseAlgorithm", "AES256"))));
    assertThat(deployment.one(BUCKET_VERSIONING, "storage-versioning").nested("versioningConfiguration", "status"))
        .isEqualTo("Enabled");
  }

  @Test
  void lifecycleAbortsMultipartUploadsAndExpiresUploadsAndOldVersions() {
    MockResource lifecycle = deployment.one(BUCKET_LIFECYCLE, "storage-lifecycle");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> rules = (List<Map<String, Object>>) (List<?>) lifecycle.list("rules");
    Map<String, Object> housekeeping = rules.stream().filter(r -> r.get("id").equals("housekeeping")).findFirst().orElseThrow();
    Map<String, Object> uploads = rules.stream().filter(r -> r.get("id").equals("expire-uploads")).findFirst().orElseThrow();

    assertThat(rules).allSatisfy(r -> assertThat(r.get("status")).isEqualTo("Enabled"));
    assertThat(housekeeping.get("filter")).isEqualTo(Map.of("prefix", ""));
    assertThat(housekeeping.get("abortIncompleteMultipartUpload")).isEqualTo(Map.of("daysAfterInitiation", 1.0));
    assertThat(housekeeping.get("noncurrentVersionExpiration")).isEqualTo(Map.of("noncurrentDays", 3.0));
    assertThat(housekeeping.get("expiration")).isEqualTo(Map.of("expiredObjectDeleteMarker", true));
    assertThat(uploads.get("filter")).isEqualTo(Map.of("prefix", "uploads/"));
    assertThat(uploads.get("expiration")).isEqualTo(Map.of("days", 21.0));
  }

  @Test
  void processedOutputsExpireAfterProcessedRetentionDays() {
    MockResource lifecycle = deployment.one(BUCKET_LIFECYCLE, "storage-lifecycle");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> rules = (List<Map<String, Object>>) (List<?>) lifecycle.list("rules");
    Map<String, Object> processed = rules.stream().filter(r -> r.get("id").equals("expire-processed")).findFirst().orElseThrow();

    assertThat(processed.get("status")).isEqualTo("Enabled");
    assertThat(processed.get("filter")).isEqualTo(Map.of("prefix", "processed/"));
    assertThat(processed.get("expiration")).isEqualTo(Map.of("days", 45.0));
  }

  /**
   * rejectedInputs: quarantine moves an upload that will never be processed under quarantine/,
   * which expires on its own short rule (declared in either mode, so switching back to delete
   * strands nothing); only the router's and worker's roles may write there, each with exactly
   * the actions it needs.
   */
  @Test
  void quarantinedInputsExpireOnTheirOwnRuleAndOnlyThePipelineWritesThem() {
    for (var entry : Map.of(deployment, 14.0, throwaway, 3.0).entrySet()) {
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> rules = (List<Map<String, Object>>) (List<?>) entry.getKey()
          .one(BUCKET_LIFECYCLE, "storage-lifecycle").list("rules");
      Map<String, Object> quarantine = rules.stream().filter(r -> r.get("id").equals("expire-quarantine")).findFirst().orElseThrow();
      assertThat(quarantine.get("filter")).isEqualTo(Map.of("prefix", "quarantine/"));
      assertThat(quarantine.get("expiration")).isEqualTo(Map.of("days", entry.getValue()));
    }

    JsonNode deny = statement(throwaway.one(BUCKET_POLICY, "storage-policy").json("policy"), "QuarantineOnlyByThePipeline");
    assertThat(deny.get("Principal").asText()).isEqualTo("*");
    assertThat(deny.get("Action")).extracting(JsonNode::asText).containsExactly("s3:PutObject");
    assertThat(deny.get("Resource")).extracting(JsonNode::asText).containsExactly("arn:aws:s3:::storage-bucket/quarantine/*");
    assertThat(deny.at("/Condition/ArnNotEquals/aws:PrincipalArn")).extracting(JsonNode::asText).containsExactly(
        "arn:aws:iam::123456789012:role/router-role", "arn:aws:iam::123456789012:role/worker-role");
    assertThat(deployment.one(BUCKET_POLICY, "storage-policy").json("policy").get("Statement"))
        .as("deleting, nobody writes quarantine/").noneMatch(st -> st.get("Sid").asText().equals("QuarantineOnlyByThePipeline"));

    assertThat(s3Grants(throwaway, "router-policy")).isEqualTo(Map.of(
        "s3:DeleteObjectVersion", List.of("arn:aws:s3:::storage-bucket/uploads/*"),
        "s3:GetObjectVersion", List.of("arn:aws:s3:::storage-bucket/uploads/*"),
        "s3:PutObject", List.of("arn:aws:s3:::storage-bucket/quarantine/*")));
    assertThat(s3Grants(throwaway, "worker-policy")).isEqualTo(Map.of(
        "s3:DeleteObjectVersion", List.of("arn:aws:s3:::storage-bucket/uploads/*"),
        "s3:GetObject", List.of("arn:aws:s3:::storage-bucket/uploads/*"),
        "s3:GetObjectVersion", List.of("arn:aws:s3:::storage-bucket/uploads/*"),
        "s3:ListBucket", List.of("arn:aws:s3:::storage-bucket"),
        "s3:PutObject", List.of("arn:aws:s3:::storage-bucket/processed/*", "arn:aws:s3:::storage-bucket/quarantine/*"),
        "s3:AbortMultipartUpload", List.of("arn:aws:s3:::storage-bucket/processed/*")));
  }

  /** s3: action → the resources a role policy allows it on, sorted. */
  private static Map<String, List<String>> s3Grants(Deployment run, String policy) {
    Map<String, java.util.TreeSet<String>> grants = new java.util.TreeMap<>();
    for (JsonNode st : run.one(ROLE_POLICY, policy).json("policy").get("Statement")) {
      List<String> actions = new java.util.ArrayList<>();
      st.get("Action").forEach(a -> actions.add(a.asText()));
      if (st.get("Action").isTextual()) {
        actions.add(st.get("Action").asText());
      }
      for (String action : actions) {
        if (action.startsWith("s3:")) {
          JsonNode resources = st.get("Resource");
          java.util.TreeSet<String> set = grants.computeIfAbsent(action, k -> new java.util.TreeSet<>());
          if (resources.isTextual()) {
            set.add(resources.asText());
          } else {
            resources.forEach(r -> set.add(r.asText()));
          }
        }
      }
    }
    Map<String, List<String>> sorted = new java.util.TreeMap<>();
    grants.forEach((action, resources) -> sorted.put(action, List.copyOf(resources)));
    return sorted;
  }

  @Test
  void theBucketTellsEventBridgeAboutNewObjects() {
    MockResource notification = deployment.one(BUCKET_NOTIFICATION, "storage-notification");
    assertThat(notification.string("bucket")).isEqualTo("storage-bucket");
    assertThat(notification.get("eventbridge")).isEqualTo(true);
  }

  @ParameterizedTest
  @ValueSource(strings = {"videos", "users", "quotas"})
  void tablesAreOnDemandEncryptedRecoverableAndExpire(String table) {
    MockResource t = deployment.one(TABLE, "storage-" + table);
    String key = switch (table) {
      case "videos" -> Tables.Videos.KEY;
      case "quotas" -> Tables.Quotas.KEY;
      default -> Tables.Users.KEY;
    };

    assertThat(t.string("billingMode")).isEqualTo("PAY_PER_REQUEST");
    assertThat(t.string("hashKey")).isEqualTo(key);
    assertThat(t.list("attributes")).contains(Map.of("name", key, "type", "S"));
    assertThat(t.nested("pointInTimeRecovery", "enabled")).isEqualTo(true);
    assertThat(t.nested("serverSideEncryption", "enabled")).isEqualTo(true);
    assertThat(t.map("ttl")).isEqualTo(Map.of("attributeName", Tables.TTL, "enabled", true));
  }

  @Test
  void videosHaveAnIndexByUserAndTimeAndUsersHaveNone() {
    MockResource videos = deployment.one(TABLE, "storage-videos");
    assertThat(videos.list("attributes")).containsExactly(
        Map.of("name", Tables.Videos.KEY, "type", "S"),
        Map.of("name", Tables.Videos.USER_ID, "type", "S"),
        Map.of("name", Tables.Videos.CREATED_AT, "type", "N"));
    assertThat(videos.list("globalSecondaryIndexes")).containsExactly(Map.of(
        "name", Tables.Videos.BY_USER_INDEX, "hashKey", Tables.Videos.USER_ID,
        "rangeKey", Tables.Videos.CREATED_AT, "projectionType", "ALL"));
    MockResource users = deployment.one(TABLE, "storage-users");
    assertThat(users.list("attributes")).containsExactly(Map.of("name", Tables.Users.KEY, "type", "S"));
    assertThat(users.inputs()).doesNotContainKey("globalSecondaryIndexes");
  }

  @Test
  void dataIsProtectedUnlessTheStackSaysItIsThrowaway() {
    assertThat(deployment.one(BUCKET, "storage-bucket").get("forceDestroy")).isEqualTo(false);
    assertThat(deployment.all(TABLE)).allSatisfy(t -> assertThat(t.get("deletionProtectionEnabled")).isEqualTo(true));

    assertThat(throwaway.one(BUCKET, "storage-bucket").get("forceDestroy")).isEqualTo(true);
    assertThat(throwaway.all(TABLE)).allSatisfy(t -> assertThat(t.get("deletionProtectionEnabled")).isEqualTo(false));
  }
}
