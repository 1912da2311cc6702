package dev.priorityqueues.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.priorityqueues.contract.Keys;
import dev.priorityqueues.contract.MessageAttributes;
import dev.priorityqueues.contract.VideoStatus;
import dev.priorityqueues.infra.StackOutputs;
import dev.priorityqueues.local.cloud.LocalCloud;
import dev.priorityqueues.local.cloud.Uploader;
import dev.priorityqueues.local.cloud.Videos;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * The whole pipeline on the local cloud, from the dev stack file: presign → upload → S3 event →
 * EventBridge rule → router → tier queue → mapping → worker → DONE, with IAM enforced. The stack
 * runs with a customer-managed key ({@code kmsKey: create}), so every call on a queue, table or
 * the bucket is also checked for the {@code kms:} actions AWS would need from the caller's role;
 * the other suites run the dev stack as it is, without one.
 */
class PipelineTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static LocalCloud cloud;

  /** Completion events, delivered by the local bus to a rule this test declares. */
  private static final List<String> completions = new java.util.concurrent.CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() {
    cloud = E2e.start(Map.of("kmsKey", "create"), UnaryOperator.identity());
    cloud.bus().addListener("test-completions",
        "{\"source\":[\"priority-queues\"],\"detail-type\":[\"Video Processed\",\"Video Failed\"]}", completions::add);
    E2e.user(cloud, "premium-user", "pro");
    E2e.user(cloud, "free-user", "free");
    // Subjects as common identity providers issue them; the users table holds them exactly.
    E2e.user(cloud, "auth0|5f7c8ec7c33c6c004bbafe82", "pro");
    E2e.user(cloud, "google-oauth2|104812345678901234567", "free");
    E2e.user(cloud, "samlp|corp|jane.doe@example.com", "pro");
    E2e.user(cloud, "Zoë/用户/..", "pro");
  }

  @AfterAll
  static void stop() {
    cloud.close();
  }

  @ParameterizedTest(name = "{0} → {2}")
  @CsvSource({
    "premium-user, sample.mp4, premium, video/mp4, mp4",
    "free-user, sample.webm, regular, video/webm, webm",
    "unregistered-user, sample.mov, regular, video/quicktime, mov",
    "auth0|5f7c8ec7c33c6c004bbafe82, sample.mp4, premium, video/mp4, mp4",
    "google-oauth2|104812345678901234567, sample.webm, regular, video/webm, webm",
    "samlp|corp|jane.doe@example.com, sample.mov, premium, video/quicktime, mov",
    "Zoë/用户/.., sample.mp4, premium, video/mp4, mp4",
  })
  void everyUploadIsTranscodedOnItsUsersTier(String user, String sample, String tier, String contentType,
      String container) {
    String key = E2e.upload(cloud, user, sample, contentType);
    assertThat(key).startsWith(Keys.UPLOADS_PREFIX + Keys.folderOf(user) + "/");

    Videos.Record record = E2e.awaitTerminal(cloud, key, WAIT);
    assertThat(record.status()).isEqualTo(VideoStatus.DONE);
    assertThat(record.tier()).isEqualTo(tier);
    assertThat(record.userId()).isEqualTo(user);
    assertThat(record.completions()).isEqualTo(1);
    assertThat(record.queueWaitMillis()).isNotNull().isNotNegative();
    // The default stack transcodes: the renditions and the thumbnail are in the bucket and on the record.
    Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> item = cloud.dynamoDb().getItem(b -> b
        .tableName(cloud.output("videosTableName")).key(Map.of("videoKey",
            software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(key))).consistentRead(true)).item();
    assertThat(item.get("container").s()).isEqualTo(container);
    List<Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue>> outputs =
        item.get("outputs").l().stream().map(software.amazon.awssdk.services.dynamodb.model.AttributeValue::m).toList();
    assertThat(outputs).extracting(o -> o.get("kind").s()).containsExactly("rendition", "thumbnail");
    for (Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> output : outputs) {
      byte[] bytes = cloud.s3().getObjectAsBytes(b -> b.bucket(cloud.output("bucketName"))
          .key(output.get("key").s())).asByteArray();
      assertThat((long) bytes.length).isEqualTo(Long.parseLong(output.get("bytes").n()));
      if (output.get("kind").s().equals("rendition")) {
        var info = dev.priorityqueues.worker.processing.ContainerProbe.probe(
            dev.priorityqueues.worker.processing.ByteSource.of(bytes));
        assertThat(info.container()).isEqualTo("mp4");
        assertThat((long) info.height()).isEqualTo(Long.parseLong(output.get("height").n()));
      }
    }
    E2e.await(() -> completions.stream().anyMatch(e -> e.contains(key)), WAIT, "the Video Processed event of " + key);
    assertThat(completions.stream().filter(e -> e.contains(key)))
        .singleElement().asString().contains("\"detail-type\":\"Video Processed\"").contains("\"tier\":\"" + tier + "\"");
    assertThat(cloud.iam().orElseThrow().denials()).as("the shipped policies allow every call").isEmpty();
  }

  /**
   * The upload URL is single-use: after the video is DONE, a second PUT through the same URL is
   * refused with 412 (S3 conditional writes), no event follows, and the record still describes
   * the stored bytes.
   */
  /** Every tier queue and DLQ, the events DLQ, the three tables and the bucket are under the one created key. */
  @Test
  void everyQueueTableAndTheBucketIsUnderTheCreatedKey() {
    Map<String, String> keys = cloud.customerKeys();
    assertThat(keys.values()).as("one key").containsOnly(keys.values().iterator().next())
        .allSatisfy(arn -> assertThat(arn).startsWith("arn:aws:kms:").contains(":key/"));
    assertThat(keys.keySet()).filteredOn(arn -> arn.startsWith("arn:aws:sqs:")).hasSize(5);
    assertThat(keys.keySet()).filteredOn(arn -> arn.startsWith("arn:aws:dynamodb:")).hasSize(3);
    assertThat(keys).containsKey("arn:aws:s3:::" + cloud.output("bucketName"));
  }

  @Test
  void aReplayedUploadUrlIsRefusedAndTheVideoKeepsItsBytes() {
    Uploader uploader = new Uploader(java.net.URI.create(cloud.output("uploadEndpoint")));
    byte[] original = E2e.sample("sample.mp4");
    Uploader.Presigned presigned = uploader.presign(
        cloud.identity().issue("premium-user", java.time.Duration.ofMinutes(5)), "a.mp4", "video/mp4", original.length);
    uploader.put(presigned, original);
    assertThat(E2e.awaitTerminal(cloud, presigned.key(), WAIT).status()).isEqualTo(VideoStatus.DONE);
    // The worker publishes the completion event just after it records DONE: count once it is out.
    E2e.await(() -> cloud.bus().recentEvents().stream()
        .anyMatch(e -> e.contains(presigned.key()) && e.contains("Video Processed")), WAIT,
        "the Video Processed event of " + presigned.key());
    long events = cloud.bus().recentEvents().stream().filter(e -> e.contains(presigned.key())).count();

    byte[] other = original.clone();
    other[other.length - 1] ^= 1;
    assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(Uploader.UploadException.class,
        () -> uploader.put(presigned, other)).status()).isEqualTo(412);

    assertThat(cloud.s3().getObjectAsBytes(b -> b.bucket(cloud.output("bucketName")).key(presigned.key())).asByteArray())
        .isEqualTo(original);
    assertThat(cloud.bus().recentEvents().stream().filter(e -> e.contains(presigned.key())).count()).isEqualTo(events);
    assertThat(Videos.get(cloud.dynamoDb(), cloud.output("videosTableName"), presigned.key()).orElseThrow().completions())
        .isEqualTo(1);
  }

  /**
   * Through the API as a client meets it, under the shipped policies: the dev stack's quota of
   * uploads in flight (100) holds, the next request gets 429 with Retry-After and leaves no record.
   */
  @Test
  void aUserOverTheInFlightQuotaGets429WithRetryAfter() throws Exception {
    Uploader uploader = new Uploader(java.net.URI.create(cloud.output("uploadEndpoint")));
    String token = cloud.identity().issue("quota-user", java.time.Duration.ofMinutes(5));
    for (int i = 0; i < 100; i++) {
      uploader.presign(token, "a.mp4", "video/mp4", 10);
    }

    java.net.http.HttpResponse<String> refused = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(cloud.output("uploadEndpoint")))
            .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                "{\"fileName\":\"a.mp4\",\"contentType\":\"video/mp4\",\"sizeBytes\":10}")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());

    assertThat(refused.statusCode()).isEqualTo(429);
    // The soonest unused URL stops counting 15 minutes after its 15 minutes: at most 1800 s away.
    assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 1800L);
    assertThat(refused.body()).contains("quota_exceeded").contains("you have 100 uploads in flight");
    assertThat(cloud.dynamoDb().scan(b -> b.tableName(cloud.output("videosTableName")).filterExpression("userId = :u")
        .expressionAttributeValues(Map.of(":u", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(
            "quota-user")))).count()).isEqualTo(100);
    assertThat(cloud.iam().orElseThrow().denials()).as("the shipped policies allow the quota's calls").isEmpty();
  }

  @Test
  void aDuplicatedEventProducesNoSecondJob() {
    String key = E2e.upload(cloud, "premium-user", "sample.mp4", "video/mp4");
    Videos.Record first = E2e.awaitTerminal(cloud, key, WAIT);
    String event = cloud.bus().recentEvents().stream().filter(e -> e.contains(key)).findFirst().orElseThrow();

    cloud.bus().put(event);
    cloud.bus().put(event);
    E2e.await(() -> cloud.bus().stats().pending() == 0, WAIT, "the replayed events to be delivered");

    Videos.Record after = Videos.get(cloud.dynamoDb(), cloud.output("videosTableName"), key).orElseThrow();
    assertThat(after.status()).isEqualTo(VideoStatus.DONE);
    assertThat(after.completions()).isEqualTo(1);
    assertThat(after.finishedAt()).isEqualTo(first.finishedAt());
  }

  /**
   * On S3 a read of a missing key answers 404 only to a role that may list the bucket, else 403
   * (the local cloud answers the same). The worker's policy grants s3:ListBucket, so an upload
   * deleted while its job waited ends FAILED with its reason at once, not retried into a DLQ.
   */
  @Test
  void anUploadDeletedBeforeItsJobRanEndsFailedWithItsReason() {
    var deleting = E2e.deleteUploadsBeforeTheirJobIsSent(cloud, "deleting-user");
    try {
      String key = E2e.upload(cloud, "deleting-user", "sample.mp4", "video/mp4");

      Videos.Record record = E2e.awaitTerminal(cloud, key, WAIT);
      assertThat(record.status()).isEqualTo(VideoStatus.FAILED);
      assertThat(record.reason()).matches("the object " + java.util.regex.Pattern.quote(key)
          + " \\(version [^)]+\\) no longer exists");
      assertThat(record.attempts()).as("failed on its first attempt, never retried").isEqualTo(1);
      assertThat(cloud.iam().orElseThrow().denials()).isEmpty();
    } finally {
      cloud.calls().removeHook(deleting);
    }
  }

  /**
   * rejectedInputs: delete (the default). An upload that fails inspection ends FAILED with its
   * reason, and the worker deletes the version it admitted, so no version or delete marker of
   * the key is left; an object written outside presign (ORPHANED) is deleted the same way by the
   * router. Both records keep the reason and say what became of the input; IAM allowed each call.
   */
  @Test
  void anInputThatFailsOrHasNoRecordIsDeletedAndItsRecordKeepsTheReason() {
    String bucket = cloud.output("bucketName");
    String failed = E2e.upload(cloud, "impostor-user", "not-a-video.mp4", "video/mp4");
    String orphan = Keys.uploadKey("nobody", java.util.UUID.randomUUID(), "mp4");
    cloud.s3().putObject(b -> b.bucket(bucket).key(orphan).ifNoneMatch("*"),
        software.amazon.awssdk.core.sync.RequestBody.fromBytes(E2e.sample("sample.mp4")));

    Videos.Record record = E2e.awaitTerminal(cloud, failed, WAIT);
    assertThat(record.status()).isEqualTo(VideoStatus.FAILED);
    assertThat(record.reason()).startsWith("not a video");
    for (String key : List.of(failed, orphan)) {
      E2e.await(() -> "DELETED".equals(attribute(key, "inputDisposition")), WAIT, "the input of " + key + " to be deleted");
      var versions = cloud.s3().listObjectVersions(b -> b.bucket(bucket).prefix(key));
      assertThat(versions.versions()).as("no version of " + key + " is kept").isEmpty();
      assertThat(versions.deleteMarkers()).as("deleted by version, not hidden by a marker").isEmpty();
    }
    assertThat(attribute(orphan, "status")).isEqualTo("ORPHANED");
    assertThat(attribute(orphan, "reason")).isEqualTo("the object arrived with no upload record");
    assertThat(cloud.iam().orElseThrow().denials()).as("the shipped policies allow the deletes").isEmpty();
  }

  /**
   * The erasure path on a real pipeline's data: a user's DONE video (upload, renditions,
   * thumbnail, record), a rejected-and-deleted one, their users item and quota counters are all
   * removed, every object version included; another user's video is untouched.
   */
  @Test
  void erasingAUserRemovesTheirRecordsObjectsAndCountersAndNothingElse() {
    String bucket = cloud.output("bucketName");
    String user = "samlp|corp|erase.me@example.com";
    E2e.user(cloud, user, "pro");
    String done = E2e.upload(cloud, user, "sample.mp4", "video/mp4");
    String kept = E2e.upload(cloud, "premium-user", "sample.webm", "video/webm");
    assertThat(E2e.awaitTerminal(cloud, done, WAIT).status()).isEqualTo(VideoStatus.DONE);
    assertThat(E2e.awaitTerminal(cloud, kept, WAIT).status()).isEqualTo(VideoStatus.DONE);
    String folder = Keys.UPLOADS_PREFIX + Keys.folderOf(user) + "/";
    assertThat(cloud.s3().listObjectVersions(b -> b.bucket(bucket).prefix(Keys.PROCESSED_PREFIX + folder)).versions())
        .as("renditions and thumbnail").hasSizeGreaterThanOrEqualTo(2);

    var erasure = new dev.priorityqueues.local.cloud.UserErasure(cloud.dynamoDb(), cloud.s3(),
        new dev.priorityqueues.local.cloud.UserErasure.Stack(bucket, cloud.output("videosTableName"),
            cloud.output("usersTableName"), cloud.output(StackOutputs.QUOTAS_TABLE_NAME)), java.time.Clock.systemUTC());
    var dryRun = erasure.erase(user, true);
    assertThat(dryRun.videoRecords()).containsExactly(done);
    assertThat(attribute(done, "status")).as("a dry run removes nothing").isEqualTo("DONE");

    var report = erasure.erase(user, false);

    assertThat(report.videoRecords()).containsExactly(done);
    assertThat(report.objectVersionsTotal()).isEqualTo(dryRun.objectVersionsTotal()).isGreaterThanOrEqualTo(3);
    assertThat(report.userItems()).isEqualTo(1);
    assertThat(report.quotaCounters()).as("the in-flight set and today's bytes").isEqualTo(2);
    assertThat(attribute(done, "status")).isNull();
    for (String prefix : List.of(folder, Keys.PROCESSED_PREFIX + folder, Keys.QUARANTINE_PREFIX + folder)) {
      var left = cloud.s3().listObjectVersions(b -> b.bucket(bucket).prefix(prefix));
      assertThat(left.versions()).as(prefix).isEmpty();
      assertThat(left.deleteMarkers()).as(prefix).isEmpty();
    }
    assertThat(erasure.erase(user, false).objectVersionsTotal()).as("a second run finds nothing").isZero();
    assertThat(attribute(kept, "status")).as("another user's video stays").isEqualTo("DONE");
  }

  private static String attribute(String key, String name) {
    var item = cloud.dynamoDb().getItem(b -> b.tableName(cloud.output("videosTableName")).consistentRead(true)
        .key(Map.of("videoKey", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(key)))).item();
    return item == null || !item.containsKey(name) ? null : item.get(name).s();
  }

  @Test
  void aPoisonMessageLandsInItsTiersDeadLetterQueueWithItsReason() {
    Map<String, String> queues = cloud.output("queueUrls");
    Map<String, String> dlqs = cloud.output("dlqUrls");
    cloud.sqs().sendMessage(b -> b.queueUrl(queues.get("regular")).messageBody("{\"version\":1,\"videoKey\":42}"));

    Message[] dead = new Message[1];
    E2e.await(() -> {
      List<Message> messages = cloud.sqs().receiveMessage(b -> b.queueUrl(dlqs.get("regular")).waitTimeSeconds(1)
          .messageAttributeNames("All").messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
      dead[0] = messages.isEmpty() ? null : messages.get(0);
      return dead[0] != null;
    }, Duration.ofSeconds(60), "the poison message in the regular DLQ");
    assertThat(dead[0].body()).isEqualTo("{\"version\":1,\"videoKey\":42}");
    assertThat(dead[0].messageAttributes().get(MessageAttributes.FAILURE_REASON).stringValue())
        .contains("job message");
    int maxReceiveCount = 5;
    assertThat(Integer.parseInt(dead[0].messageAttributes().get(MessageAttributes.RECEIVE_COUNT).stringValue()))
        .isEqualTo(maxReceiveCount);
  }

  @Test
  void exportsEveryDocumentedOutputWithRealLocalValues() throws Exception {
    List<String> declared = Arrays.stream(StackOutputs.class.getDeclaredFields())
        .filter(f -> Modifier.isStatic(f.getModifiers()) && f.getType() == String.class)
        .map(PipelineTest::value)
        .toList();
    assertThat(cloud.outputs().keySet()).containsExactlyInAnyOrderElementsOf(declared);
    List<String> tiers = cloud.output("tierOrder");
    assertThat(tiers).containsExactly("premium", "regular");
    for (String name : List.of("queueUrls", "queueArns", "dlqUrls", "dlqArns")) {
      Map<String, String> byTier = cloud.output(name);
      assertThat(byTier.keySet()).as(name).containsExactlyInAnyOrderElementsOf(tiers);
    }
    Map<String, String> queueUrls = cloud.output("queueUrls");
    for (String url : queueUrls.values()) {
      assertThat(url).startsWith(cloud.aws().sqsEndpoint().toString());
      cloud.sqs().getQueueAttributes(b -> b.queueUrl(url));
    }
    assertThat((String) cloud.output("uploadEndpoint")).isEqualTo(cloud.api().endpoint() + "/uploads");
  }

  private static String value(Field field) {
    try {
      return (String) field.get(null);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }
}
