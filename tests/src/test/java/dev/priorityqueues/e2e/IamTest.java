package dev.priorityqueues.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.priorityqueues.contract.VideoStatus;
import dev.priorityqueues.local.cloud.LocalCloud;
import dev.priorityqueues.local.cloud.Videos;
import dev.priorityqueues.local.deploy.Declared;
import dev.priorityqueues.local.iam.IamEnforcement;
import dev.priorityqueues.local.sdk.Caller;
import dev.priorityqueues.local.servers.LocalAws;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.AccessDeniedException;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * The local cloud enforces the role policies the program writes. The shipped policies let the
 * whole pipeline run (PipelineTest asserts no call is denied); this suite removes one permission
 * and shows that exactly the call which needed it fails — and that the upload is still not lost.
 */
class IamTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void withoutSendMessageTheRouterFailsExactlyThereAndTheEventGoesToTheEventsDlq() throws Exception {
    try (LocalCloud cloud = E2e.start(Map.of(), o -> o.policies(policies -> without(policies, "router", "sqs:SendMessage",
        "tier-regular-queue")))) {
      String key = E2e.upload(cloud, "someone", "sample.mp4", "video/mp4");

      Message[] failure = new Message[1];
      E2e.await(() -> {
        List<Message> messages = cloud.sqs().receiveMessage(b -> b.queueUrl(cloud.output("eventsDlqUrl")).waitTimeSeconds(1))
            .messages();
        failure[0] = messages.isEmpty() ? null : messages.get(0);
        return failure[0] != null;
      }, Duration.ofSeconds(30), "the router's failure record in the events DLQ");

      Set<IamEnforcement.Denial> denials = Set.copyOf(cloud.iam().orElseThrow().denials());
      assertThat(denials).singleElement().satisfies(d -> {
        assertThat(d.function()).startsWith("router");
        assertThat(d.action()).isEqualTo("sqs:SendMessage");
        assertThat(d.resource()).endsWith(":tier-regular-queue");
      });
      JsonNode record = JSON.readTree(failure[0].body());
      assertThat(record.at("/requestContext/condition").asText()).isEqualTo("RetriesExhausted");
      assertThat(record.at("/requestContext/approximateInvokeCount").asInt()).isEqualTo(3);
      assertThat(record.at("/requestPayload/detail/object/key").asText()).isEqualTo(key);
      assertThat(record.at("/responsePayload/errorMessage").asText()).contains("not authorized to perform: sqs:SendMessage");
      // The record says QUEUED without sentAt: replaying the event from the DLQ finishes the job.
      Videos.Record video = Videos.get(cloud.dynamoDb(), cloud.output("videosTableName"), key).orElseThrow();
      assertThat(video.status()).isEqualTo(VideoStatus.QUEUED);
    }
  }

  @Test
  void withoutUpdateItemTheWorkerFailsExactlyThere() {
    try (LocalCloud cloud = E2e.start(Map.of(), o -> o.policies(policies -> without(policies, "worker", "dynamodb:UpdateItem", "")))) {
      E2e.upload(cloud, "someone", "sample.mp4", "video/mp4");
      E2e.await(() -> !cloud.iam().orElseThrow().denials().isEmpty(), Duration.ofSeconds(30), "a denied call");
      Set<String> denied = cloud.iam().orElseThrow().denials().stream()
          .map(d -> d.function().replaceAll("-.*", "") + " " + d.action()).collect(Collectors.toSet());
      assertThat(denied).containsExactly("worker dynamodb:UpdateItem");
    }
  }

  /**
   * The same deleted upload as in PipelineTest, with the worker's s3:ListBucket removed: S3 (and
   * so the local cloud) answers the read of the missing key with 403 AccessDenied, which the
   * worker must retry, and the job goes to its DLQ instead of ending FAILED.
   */
  @Test
  void withoutListBucketADeletedUploadIsDeniedAndDeadLetteredNotFailed() {
    try (LocalCloud cloud = E2e.start(Map.of("retryBackoffSeconds", "0"),
        o -> o.policies(policies -> without(policies, "worker", "s3:ListBucket", "")))) {
      var deleting = E2e.deleteUploadsBeforeTheirJobIsSent(cloud, "someone");
      try {
        String key = E2e.upload(cloud, "someone", "sample.mp4", "video/mp4");
        String table = cloud.output("videosTableName");
        E2e.await(() -> Videos.get(cloud.dynamoDb(), table, key).map(r -> r.status() == VideoStatus.DEAD_LETTERED)
            .orElse(false), Duration.ofSeconds(60), "the job to be dead-lettered");

        Videos.Record video = Videos.get(cloud.dynamoDb(), table, key).orElseThrow();
        assertThat(video.reason()).contains("UploadReadDenied: S3 denied reading " + key + " (403 AccessDenied)");
        Set<String> denied = cloud.iam().orElseThrow().denials().stream()
            .map(d -> d.function().replaceAll("-.*", "") + " " + d.action() + " " + d.resource()).collect(Collectors.toSet());
        assertThat(denied).containsExactly("worker s3:ListBucket arn:aws:s3:::" + cloud.output("bucketName"));
      } finally {
        cloud.calls().removeHook(deleting);
      }
    }
  }

  /**
   * The program's queue and bucket policies, as deployed: the status role is given sqs:SendMessage
   * and s3:PutObject on everything by its own policy, and still every write is refused with an
   * explicit deny in the resource-based policy; the worker (highest-first, no lending) may not
   * send to a tier queue by either policy; an upload through presign's presigned URL still lands.
   * An operator's role named in operatorRoleArns may send to a tier queue (a DLQ redrive sends
   * with its starter's permissions); another role whose own policy allows the same may not.
   */
  @Test
  void theQueueAndBucketPoliciesRefuseWritesARolesOwnPolicyAllows() {
    String grant = "{\"Sid\":\"Everything\",\"Effect\":\"Allow\",\"Action\":[\"sqs:SendMessage\",\"s3:PutObject\"],"
        + "\"Resource\":\"*\"}";
    String send = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Redrive\",\"Effect\":\"Allow\","
        + "\"Action\":\"sqs:SendMessage\",\"Resource\":\"*\"}]}";
    String operator = "arn:aws:iam::" + LocalAws.ACCOUNT_ID + ":role/ops-redrive";
    try (LocalCloud cloud = E2e.start(Map.of("operatorRoleArns", operator), o -> o.policies(policies -> {
      List<Declared.RolePolicy> edited = new ArrayList<>(policies.stream().map(p -> !p.role().startsWith("status")
          ? p : new Declared.RolePolicy(p.role(), p.name(), p.document().replaceFirst("\\[", "[" + grant + ","))).toList());
      edited.add(new Declared.RolePolicy("ops-redrive", "redrive", send));
      edited.add(new Declared.RolePolicy("ops-other", "redrive", send));
      return edited;
    }))) {
      String status = cloud.functionNames().stream().filter(n -> n.startsWith("status")).findFirst().orElseThrow();
      String worker = cloud.functionNames().stream().filter(n -> n.startsWith("worker")).findFirst().orElseThrow();
      Map<String, String> queues = cloud.output("queueUrls");
      Map<String, String> dlqs = cloud.output("dlqUrls");
      String bucket = cloud.output("bucketName");

      for (String queue : List.of(queues.get("premium"), dlqs.get("regular"))) {
        assertThatThrownBy(() -> Caller.function(status).run(() -> cloud.sqs().sendMessage(b -> b.queueUrl(queue).messageBody("x"))))
            .isInstanceOfSatisfying(SqsException.class, e -> assertThat(e.getMessage())
                .contains("not authorized to perform: sqs:SendMessage").contains("with an explicit deny in a resource-based policy"));
      }
      for (String key : List.of("uploads/someone/forged.mp4", "processed/forged/out.mp4")) {
        assertThatThrownBy(() -> Caller.function(status).run(() ->
                cloud.s3().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("forged"))))
            .isInstanceOf(AccessDeniedException.class);
      }
      assertThatThrownBy(() -> Caller.function(worker).run(() ->
              cloud.sqs().sendMessage(b -> b.queueUrl(queues.get("regular")).messageBody("x"))))
          // Its own policy grants nothing there either, but IAM names the explicit Deny, which wins.
          .isInstanceOfSatisfying(SqsException.class, e -> assertThat(e.getMessage())
              .contains("not authorized to perform: sqs:SendMessage").contains("with an explicit deny in a resource-based policy"));
      assertThat(cloud.iam().orElseThrow().denials()).extracting(d -> d.function().replaceAll("-.*", "") + " " + d.action())
          .containsExactly("status sqs:SendMessage", "status sqs:SendMessage", "status s3:PutObject", "status s3:PutObject",
              "worker sqs:SendMessage");

      IamEnforcement iam = cloud.iam().orElseThrow();
      Map<String, String> queueArns = cloud.output("queueArns");
      for (String queueArn : queueArns.values()) {
        assertThat(iam.decide("operator", "ops-redrive", "sqs:SendMessage", queueArn, Map.of("aws:SecureTransport", "true",
            "aws:PrincipalArn", iam.roleArn("ops-redrive"))).allowed()).as("the listed operator, to %s", queueArn).isTrue();
        assertThat(iam.decide("operator", "ops-other", "sqs:SendMessage", queueArn, Map.of("aws:SecureTransport", "true",
            "aws:PrincipalArn", iam.roleArn("ops-other"))).deciding())
            .isEqualTo("explicit deny in the resource policy (OnlyThePipelineSends)");
      }

      String key = E2e.upload(cloud, "someone", "sample.mp4", "video/mp4");
      assertThat(cloud.s3().headObject(b -> b.bucket(bucket).key(key)).contentLength()).isPositive();
    }
  }

  /**
   * With a customer-managed key, the worker's role without kms:Decrypt: its mappings' receives
   * are refused, exactly as SQS refuses a consumer that cannot decrypt (KmsAccessDenied), and
   * the job waits on its queue; nothing else is denied.
   */
  @Test
  void underACustomerKeyTheWorkerWithoutKmsDecryptCannotReceiveAndTheJobWaits() {
    try (LocalCloud cloud = E2e.start(Map.of("kmsKey", "create"),
        o -> o.policies(policies -> without(policies, "worker", "kms:Decrypt", "")))) {
      String key = E2e.upload(cloud, "someone", "sample.mp4", "video/mp4");
      String table = cloud.output("videosTableName");
      E2e.await(() -> Videos.get(cloud.dynamoDb(), table, key).map(r -> r.status() == VideoStatus.QUEUED).orElse(false),
          Duration.ofSeconds(30), "the router to queue the job");
      E2e.await(() -> cloud.iam().orElseThrow().denials().stream().anyMatch(d -> d.action().equals("kms:Decrypt")),
          Duration.ofSeconds(30), "a refused receive");
      String keyArn = cloud.customerKeys().get("arn:aws:s3:::" + cloud.output("bucketName"));
      Set<String> denied = cloud.iam().orElseThrow().denials().stream()
          .map(d -> d.function().replaceAll("-.*", "") + " " + d.action() + " " + d.resource()).collect(Collectors.toSet());
      assertThat(denied).containsExactly("worker kms:Decrypt " + keyArn);
      assertThat(Videos.get(cloud.dynamoDb(), table, key).orElseThrow().status()).isEqualTo(VideoStatus.QUEUED);
    }
  }

  /**
   * rejectedInputs: quarantine, with the program's own policies enforced: the worker moves a
   * FAILED upload and the router an ORPHANED one under quarantine/ (a copy from the admitted
   * version, then that version deleted), and no call either makes is denied; the bucket policy's
   * write restriction on quarantine/ lets exactly those two roles through.
   */
  @Test
  void inQuarantineModeTheRouterAndWorkerMoveRejectedUploadsWithNothingDenied() {
    try (LocalCloud cloud = E2e.start(Map.of("rejectedInputs", "quarantine"), o -> o)) {
      String bucket = cloud.output("bucketName");
      String failed = E2e.upload(cloud, "impostor-user", "not-a-video.mp4", "video/mp4");
      String orphan = dev.priorityqueues.contract.Keys.uploadKey("nobody", java.util.UUID.randomUUID(), "mp4");
      cloud.s3().putObject(b -> b.bucket(bucket).key(orphan).ifNoneMatch("*"), RequestBody.fromString("orphan"));

      String table = cloud.output("videosTableName");
      for (String key : List.of(failed, orphan)) {
        E2e.await(() -> "QUARANTINED".equals(item(cloud, table, key).map(i -> i.get("inputDisposition"))
            .map(software.amazon.awssdk.services.dynamodb.model.AttributeValue::s).orElse(null)),
            Duration.ofSeconds(30), "the input of " + key + " to be quarantined");
        assertThat(cloud.s3().listObjectVersions(b -> b.bucket(bucket).prefix(key)).versions()).as(key).isEmpty();
        assertThat(cloud.s3().headObject(b -> b.bucket(bucket).key("quarantine/" + key)).contentLength()).isPositive();
      }
      assertThat(item(cloud, table, failed).orElseThrow().get("status").s()).isEqualTo("FAILED");
      assertThat(cloud.iam().orElseThrow().denials()).as("exactly what quarantine needs is allowed").isEmpty();
    }
  }

  private static java.util.Optional<Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue>> item(
      LocalCloud cloud, String table, String key) {
    var found = cloud.dynamoDb().getItem(b -> b.tableName(table).consistentRead(true)
        .key(Map.of("videoKey", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(key)))).item();
    return found == null || found.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(found);
  }

  /** The role policies with one action removed from the statements of one function's role. */
  static List<Declared.RolePolicy> without(List<Declared.RolePolicy> policies, String role, String action, String onResourceEnding) {
    List<Declared.RolePolicy> edited = new ArrayList<>();
    for (Declared.RolePolicy policy : policies) {
      if (!policy.role().startsWith(role)) {
        edited.add(policy);
        continue;
      }
      try {
        ObjectNode document = (ObjectNode) JSON.readTree(policy.document());
        ArrayNode kept = JSON.createArrayNode();
        for (JsonNode statement : document.get("Statement")) {
          boolean hasAction = JSON.convertValue(statement.get("Action"), List.class).contains(action)
              || statement.get("Action").asText().equals(action);
          boolean onResource = statement.get("Resource").toString().contains(onResourceEnding);
          if (hasAction && onResource) {
            ObjectNode copy = statement.deepCopy();
            ArrayNode actions = JSON.createArrayNode();
            statement.get("Action").forEach(a -> {
              if (!a.asText().equals(action)) {
                actions.add(a);
              }
            });
            if (actions.isEmpty()) {
              continue;
            }
            copy.set("Action", actions);
            kept.add(copy);
          } else {
            kept.add(statement);
          }
        }
        document.set("Statement", kept);
        edited.add(new Declared.RolePolicy(policy.role(), policy.name(), document.toString()));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    return edited;
  }
}
