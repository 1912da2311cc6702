package dev.priorityqueues.infra.iam;

import static dev.priorityqueues.infra.testing.Types.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.priorityqueues.contract.Functions;
import dev.priorityqueues.infra.testing.Deployment;
import dev.priorityqueues.infra.testing.FakeArchives;
import dev.priorityqueues.infra.testing.MockResource;
import dev.priorityqueues.infra.testing.ProgramTest;
import dev.priorityqueues.infra.testing.TestSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every IAM policy document the program writes, parsed and checked for least privilege. */
class IamPoliciesTest extends ProgramTest {

  static final String SQS = "arn:aws:sqs:us-east-1:123456789012:";
  static final String VIDEOS = "arn:aws:dynamodb:us-east-1:123456789012:table/storage-videos";
  static final String QUOTAS = "arn:aws:dynamodb:us-east-1:123456789012:table/storage-quotas";
  static final String USERS = "arn:aws:dynamodb:us-east-1:123456789012:table/storage-users";
  static final String BUCKET = "arn:aws:s3:::storage-bucket";

  @TempDir static Path codeRoot;
  static Deployment deployment;

  @BeforeAll
  static void deploy() {
    deployment = Deployment.run(TestSettings.defaults(FakeArchives.complete(codeRoot))).assertSucceeded();
  }

  record Document(String owner, JsonNode json) {
    List<JsonNode> statements() {
      List<JsonNode> all = new ArrayList<>();
      json.get("Statement").forEach(all::add);
      return all;
    }
  }

  /** Role policies, trust policies, queue policies and the bucket policy. */
  static List<Document> everyPolicyDocument() {
    List<Document> documents = new ArrayList<>();
    Map<String, String> inputs = Map.of(ROLE_POLICY, "policy", ROLE, "assumeRolePolicy",
        QUEUE_POLICY, "policy", BUCKET_POLICY, "policy");
    inputs.forEach((type, input) -> deployment.all(type)
        .forEach(r -> documents.add(new Document(r.name(), r.json(input)))));
    return documents;
  }

  static List<String> strings(JsonNode node) {
    List<String> values = new ArrayList<>();
    if (node == null) {
      return values;
    }
    if (node.isArray()) {
      node.forEach(n -> values.add(n.asText()));
    } else {
      values.add(node.asText());
    }
    return values;
  }

  @Test
  void theProgramWritesEveryKindOfPolicyWeCheck() {
    // 4 role policies, 4 trust policies, 5 queue policies (2 tiers x 2, and the events DLQ), 1 bucket policy
    assertThat(everyPolicyDocument()).extracting(Document::owner).contains(
        "presign-policy", "router-policy", "worker-policy", "status-policy",
        "presign-role", "router-role", "worker-role", "status-role",
        "tier-premium-queue-policy", "tier-premium-dlq-policy", "router-events-dlq-policy", "storage-policy");
    assertThat(everyPolicyDocument()).hasSize(4 + 4 + 5 + 1);
  }

  @Test
  void everyDocumentIsWellFormed() {
    for (Document doc : everyPolicyDocument()) {
      assertThat(doc.json().get("Version").asText()).as(doc.owner()).isEqualTo("2012-10-17");
      assertThat(doc.statements()).as(doc.owner()).isNotEmpty().allSatisfy(s -> {
        assertThat(s.get("Effect").asText()).isIn("Allow", "Deny");
        assertThat(strings(s.get("Action"))).isNotEmpty();
        assertThat(s.get("Sid").asText()).matches("[A-Za-z0-9]+");
      });
    }
  }

  @Test
  void noAllowNamesAWildcardAction() {
    for (Document doc : everyPolicyDocument()) {
      for (JsonNode s : doc.statements()) {
        if (s.get("Effect").asText().equals("Allow")) {
          assertThat(strings(s.get("Action"))).as(doc.owner() + " " + s.get("Sid")).noneMatch(a -> a.contains("*"));
        }
      }
    }
  }

  @Test
  void noActionAnywhereIsABareWildcard() {
    for (Document doc : everyPolicyDocument()) {
      doc.statements().forEach(s -> assertThat(strings(s.get("Action"))).as(doc.owner()).doesNotContain("*"));
    }
  }

  @Test
  void theOnlyResourceWildcardIsXRayWhichHasNoResourceLevelPermissions() {
    int xray = 0;
    for (Document doc : everyPolicyDocument()) {
      for (JsonNode s : doc.statements()) {
        List<String> resources = strings(s.get("Resource"));
        if (resources.contains("*")) {
          assertThat(s.get("Effect").asText()).isEqualTo("Allow");
          assertThat(strings(s.get("Action"))).as(doc.owner())
              .containsExactlyInAnyOrder("xray:PutTraceSegments", "xray:PutTelemetryRecords");
          assertThat(resources).containsExactly("*");
          xray++;
        } else {
          assertThat(resources).as(doc.owner() + " " + s.get("Sid")).allMatch(r -> r.startsWith("arn:aws:"));
        }
      }
    }
    assertThat(xray).as("one X-Ray statement per function").isEqualTo(Functions.values().length);
  }

  @Test
  void wildcardsInsideArnsAreOnlyObjectPrefixesAndLogStreams() {
    for (Document doc : everyPolicyDocument()) {
      for (JsonNode s : doc.statements()) {
        for (String resource : strings(s.get("Resource"))) {
          if (!resource.equals("*") && resource.contains("*")) {
            assertThat(resource).as(doc.owner()).matches(
                "arn:aws:s3:::storage-bucket/(uploads/|processed/|quarantine/)?\\*|arn:aws:logs:.*:log-group:[a-z-]+:\\*");
          }
        }
      }
    }
  }

  @Test
  void noAllowHasAWildcardPrincipal() {
    for (Document doc : everyPolicyDocument()) {
      for (JsonNode s : doc.statements()) {
        if (s.get("Effect").asText().equals("Allow") && s.has("Principal")) {
          assertThat(s.get("Principal").isObject()).as(doc.owner()).isTrue();
          assertThat(s.get("Principal").get("Service").asText()).endsWith(".amazonaws.com");
        }
      }
    }
  }

  /**
   * A Deny is either the TLS guard or a write restriction on a resource policy: one write action
   * (sqs:SendMessage, s3:PutObject), for every principal but named roles or but presigned URLs
   * within their lifetime. Nothing else is denied, so nothing the functions need is.
   */
  @Test
  void everyDenyIsTheTlsGuardOrAWriteRestriction() {
    int writeRestrictions = 0;
    for (Document doc : everyPolicyDocument()) {
      for (JsonNode s : doc.statements()) {
        if (!s.get("Effect").asText().equals("Deny")) {
          continue;
        }
        if (s.at("/Condition/Bool/aws:SecureTransport").asText().equals("false")) {
          continue;
        }
        writeRestrictions++;
        assertThat(strings(s.get("Action"))).as(doc.owner()).singleElement().isIn("sqs:SendMessage", "s3:PutObject");
        assertThat(s.get("Principal").asText()).isEqualTo("*");
        JsonNode condition = s.get("Condition");
        assertThat(condition.size()).as(doc.owner() + " " + s.get("Sid")).isEqualTo(1);
        String operator = condition.fieldNames().next();
        assertThat(operator + " " + condition.get(operator).fieldNames().next()).as(doc.owner() + " " + s.get("Sid"))
            .isIn("ArnNotEquals aws:PrincipalArn", "StringNotEquals s3:authType", "NumericGreaterThan s3:signatureAge",
                "Null s3:if-none-match");
      }
    }
    // 2 tiers x (queue + DLQ), and 5 in the bucket policy (4 writers' rules, 1 single-use URL)
    assertThat(writeRestrictions).isEqualTo(2 * 2 + 5);
  }

  @Test
  void rolesTrustOnlyLambda() {
    for (MockResource role : deployment.all(ROLE)) {
      JsonNode statement = role.json("assumeRolePolicy").get("Statement");
      assertThat(statement).hasSize(1);
      assertThat(statement.get(0).at("/Principal/Service").asText()).isEqualTo("lambda.amazonaws.com");
      assertThat(strings(statement.get(0).get("Action"))).containsExactly("sts:AssumeRole");
    }
  }

  /** action -> resources of one role policy, for exact comparison. */
  static Map<String, Set<String>> grants(String policyName) {
    Map<String, Set<String>> grants = new TreeMap<>();
    for (JsonNode s : deployment.one(ROLE_POLICY, policyName).json("policy").get("Statement")) {
      assertThat(s.get("Effect").asText()).isEqualTo("Allow");
      for (String action : strings(s.get("Action"))) {
        grants.computeIfAbsent(action, a -> new TreeSet<>()).addAll(strings(s.get("Resource")));
      }
    }
    return grants;
  }

  static Set<String> set(String... values) {
    return new TreeSet<>(List.of(values));
  }

  static Map<String, Set<String>> withLogsAndTraces(String function, Map<String, Set<String>> grants) {
    Map<String, Set<String>> all = new TreeMap<>(grants);
    String logs = "arn:aws:logs:us-east-1:123456789012:log-group:" + function + "-logs:*";
    all.put("logs:CreateLogStream", set(logs));
    all.put("logs:PutLogEvents", set(logs));
    all.put("xray:PutTraceSegments", set("*"));
    all.put("xray:PutTelemetryRecords", set("*"));
    return all;
  }

  /**
   * Under highest-first with its default lending the worker sends to the DLQs, and capacity
   * tokens to the queue of the tier above the lowest, never to the lowest tier's.
   */
  @Test
  void theWorkerMayDoExactlyWhatItNeeds() {
    Set<String> queues = set(SQS + "tier-premium-queue", SQS + "tier-regular-queue");

    assertThat(grants("worker-policy")).isEqualTo(withLogsAndTraces("worker", Map.ofEntries(
        Map.entry("sqs:ReceiveMessage", queues),
        Map.entry("sqs:DeleteMessage", queues),
        Map.entry("sqs:GetQueueAttributes", queues),
        Map.entry("sqs:ChangeMessageVisibility", queues),
        Map.entry("sqs:SendMessage", set(SQS + "tier-premium-queue", SQS + "tier-premium-dlq", SQS + "tier-regular-dlq")),
        Map.entry("dynamodb:GetItem", set(VIDEOS)),
        Map.entry("dynamodb:UpdateItem", set(VIDEOS)),
        Map.entry("s3:GetObject", set(BUCKET + "/uploads/*")),
        Map.entry("s3:GetObjectVersion", set(BUCKET + "/uploads/*")),
        // rejectedInputs: delete (the default): a FAILED upload's admitted version goes.
        Map.entry("s3:DeleteObjectVersion", set(BUCKET + "/uploads/*")),
        Map.entry("s3:ListBucket", set(BUCKET)),
        Map.entry("s3:PutObject", set(BUCKET + "/processed/*")),
        Map.entry("s3:AbortMultipartUpload", set(BUCKET + "/processed/*")),
        Map.entry("events:PutEvents", set("arn:aws:events:us-east-1:123456789012:event-bus/default")))));
  }

  /**
   * Without s3:ListBucket S3 answers a read of a missing key with 403, which the worker retries
   * into a DLQ; with it, 404, and a deleted upload ends FAILED. AWS documents the 404 for
   * ListBucket on the bucket, and not that an s3:prefix condition is honoured for it, so the
   * grant carries no condition (a condition the 404 check ignored would quietly bring the 403
   * back). Only the worker reads objects, so only the worker gets it.
   */
  @Test
  void onlyTheWorkerMayListTheBucketSoAMissingUploadAnswers404() {
    JsonNode list = null;
    for (JsonNode s : deployment.one(ROLE_POLICY, "worker-policy").json("policy").get("Statement")) {
      if (strings(s.get("Action")).contains("s3:ListBucket")) {
        list = s;
      }
    }
    assertThat(list).as("a worker statement allows s3:ListBucket").isNotNull();
    assertThat(strings(list.get("Action"))).containsExactly("s3:ListBucket");
    assertThat(strings(list.get("Resource"))).containsExactly(BUCKET);
    assertThat(list.has("Condition")).as("a condition S3 may not apply to its 404 check").isFalse();
    assertThat(grants("router-policy")).doesNotContainKey("s3:ListBucket");
    assertThat(grants("presign-policy")).doesNotContainKey("s3:ListBucket");
  }

  @Test
  void theRouterMayDoExactlyWhatItNeeds() {
    assertThat(grants("router-policy")).isEqualTo(withLogsAndTraces("router", Map.of(
        "dynamodb:GetItem", set(VIDEOS, USERS),
        "dynamodb:PutItem", set(VIDEOS),
        "dynamodb:UpdateItem", set(VIDEOS),
        "sqs:SendMessage", set(SQS + "tier-premium-queue", SQS + "tier-regular-queue", SQS + "router-events-dlq"),
        // rejectedInputs: delete (the default): a REJECTED or ORPHANED upload's version goes.
        "s3:DeleteObjectVersion", set(BUCKET + "/uploads/*"))));
  }

  @Test
  void thePresignFunctionMayDoExactlyWhatItNeeds() {
    assertThat(grants("presign-policy")).isEqualTo(withLogsAndTraces("presign", Map.of(
        "dynamodb:PutItem", set(VIDEOS),
        "dynamodb:GetItem", set(VIDEOS, QUOTAS),
        "dynamodb:DeleteItem", set(VIDEOS),
        "dynamodb:BatchGetItem", set(VIDEOS),
        "dynamodb:UpdateItem", set(QUOTAS),
        "s3:PutObject", set(BUCKET + "/uploads/*"))));
  }

  @Test
  void theStatusFunctionMayOnlyReadVideosAndTheirOutputs() {
    assertThat(grants("status-policy")).isEqualTo(withLogsAndTraces("status", Map.of(
        "dynamodb:GetItem", set(VIDEOS),
        "dynamodb:Query", set(VIDEOS + "/index/byUserAndTime"),
        "s3:GetObject", set(BUCKET + "/processed/*"))));
  }
}
