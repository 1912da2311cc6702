package dev.priorityqueues.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import dev.priorityqueues.common.AwsClients;
import dev.priorityqueues.common.Log;
import dev.priorityqueues.common.Metrics;
import dev.priorityqueues.common.NewUpload;
import dev.priorityqueues.common.SendClaim;
import dev.priorityqueues.common.VideoStore;
import dev.priorityqueues.common.testing.CapturedLines;
import dev.priorityqueues.common.testing.TestStack;
import dev.priorityqueues.contract.ContractException;
import dev.priorityqueues.contract.EnvReader;
import dev.priorityqueues.contract.FunctionEnv;
import dev.priorityqueues.contract.Job;
import dev.priorityqueues.contract.Keys;
import dev.priorityqueues.contract.MetricNames;
import dev.priorityqueues.contract.Tables.Videos;
import dev.priorityqueues.contract.TierTable;
import dev.priorityqueues.contract.TierTable.Tier;
import dev.priorityqueues.local.servers.LambdaContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/** The router on real servers, fed S3's Object Created events; CloudTrail's API-call shape is refused. */
class RouterHandlerTest {

  static final String OBJECT_CREATED = "events/eventbridge-s3-object-created.json";
  static final String CLOUDTRAIL = "events/eventbridge-cloudtrail-putobject.json";
  static final long MAX_BYTES = 1_000_000;

  private TestStack stack;
  private AwsClients clients;
  private VideoStore videos;
  private final CapturedLines lines = new CapturedLines();

  @BeforeEach
  void stack() {
    stack = TestStack.builder("router").env(FunctionEnv.UPLOAD_MAX_BYTES, MAX_BYTES).build();
    clients = new AwsClients(new EnvReader(stack.env()));
    videos = new VideoStore(TestStack.dynamoDb(), stack.videosTable());
  }

  private RouterHandler handler(Map<String, String> overrides) {
    Clock clock = Clock.systemUTC();
    return new RouterHandler(RouterHandler.service(new EnvReader(stack.env(overrides)), clients, clock),
        Log.create("router", Log.Level.DEBUG, lines, clock), new Metrics("router", lines, clock));
  }

  private Map<String, String> route(ScheduledEvent event) {
    return handler(Map.of()).handleRequest(event, LambdaContext.of("router"));
  }

  /** A PENDING_UPLOAD record, as presign writes it, for {@code declared} bytes. */
  private String pending(String userId, long declared) {
    String key = Keys.uploadKey(userId, UUID.randomUUID(), "mp4");
    videos.createPending(new NewUpload(key, userId, "a.mp4", "video/mp4", declared, Instant.now(),
        Instant.now().plusSeconds(3600)));
    return key;
  }

  @SuppressWarnings("unchecked")
  static ScheduledEvent objectCreated(String bucket, String key, Long size) {
    ScheduledEvent event = EventLoader.loadScheduledEvent(OBJECT_CREATED);
    ((Map<String, Object>) event.getDetail().get("bucket")).put("name", bucket);
    Map<String, Object> object = (Map<String, Object>) event.getDetail().get("object");
    object.put("key", key);
    object.put("size", size);
    return event;
  }

  private static List<Message> messages(Tier tier) {
    return TestStack.sqs().receiveMessage(b -> b.queueUrl(tier.queueUrl()).maxNumberOfMessages(10)
        .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
  }

  private Map<String, AttributeValue> record(String key) {
    return stack.video(key);
  }

  @Test
  void refusesToStartWithoutAnUploadLimit() {
    assertThatThrownBy(() -> handler(Map.of(FunctionEnv.UPLOAD_MAX_BYTES, "")))
        .hasMessage("PQ_UPLOAD_MAX_BYTES is not set; the Pulumi program sets it (a whole number from 1 to 5368709120)");
  }

  @Test
  void refusesToStartWithoutARecordRetention() {
    assertThatThrownBy(() -> handler(Map.of(FunctionEnv.PRIVACY, "")))
        .hasMessage("PQ_PRIVACY is not set; the Pulumi program sets it");
  }

  @Test
  void rejectedAndOrphanedRecordsExpireAfterTheConfiguredRetention() {
    RouterHandler handler = handler(Map.of(FunctionEnv.PRIVACY, "3,delete,hashed"));
    String rejected = pending("dave", 100);
    String orphan = Keys.uploadKey("mallory", UUID.randomUUID(), "mp4");
    long earliest = Instant.now().plus(Duration.ofDays(3)).getEpochSecond();

    handler.handleRequest(objectCreated(stack.bucket(), rejected, 101L), LambdaContext.of("router"));
    handler.handleRequest(objectCreated(stack.bucket(), orphan, 5L), LambdaContext.of("router"));

    long latest = Instant.now().plus(Duration.ofDays(3)).getEpochSecond();
    for (String key : List.of(rejected, orphan)) {
      assertThat(Long.parseLong(record(key).get("expiresAt").n())).as(key).isBetween(earliest, latest);
    }
  }

  @Test
  void theFixturesAreWhatAwsSends() {
    ScheduledEvent created = EventLoader.loadScheduledEvent(OBJECT_CREATED);
    assertThat(created.getDetailType()).isEqualTo("Object Created");
    assertThat(created.getSource()).isEqualTo("aws.s3");
    assertThat(created.getTime().getMillis()).isEqualTo(Instant.parse("2026-11-22T10:00:05Z").toEpochMilli());
    ScheduledEvent trail = EventLoader.loadScheduledEvent(CLOUDTRAIL);
    assertThat(trail.getDetailType()).isEqualTo("AWS API Call via CloudTrail");
    assertThat(trail.getDetail()).containsEntry("eventName", "PutObject");
  }

  @Test
  void queuesAnUploadOnItsUsersTierWithTheQueueTimeAndTheUserAsGroup() {
    stack.putUser("alice", "pro");
    String key = pending("alice", 7136);

    Map<String, String> result = route(objectCreated(stack.bucket(), key, 7136L));

    assertThat(result).containsEntry("outcome", "QUEUED").containsEntry("tier", "premium").containsEntry("videoKey", key);
    Map<String, AttributeValue> item = record(key);
    assertThat(item.get(Videos.STATUS).s()).isEqualTo("QUEUED");
    assertThat(item.get(Videos.TIER).s()).isEqualTo("premium");
    assertThat(item.get(Videos.JOB_ID).s()).isEqualTo(result.get("jobId"));
    assertThat(item.get(Videos.UPLOADED_BYTES).n()).isEqualTo("7136");
    assertThat(item).containsKeys(Videos.QUEUED_AT, Videos.SENT_AT, Videos.EVENT_ID);
    assertThat(Long.parseLong(item.get("expiresAt").n())).as("recordRetentionDays (90) after queueing, not the upload window")
        .isBetween(Instant.now().plus(Duration.ofDays(90)).getEpochSecond() - 60, Instant.now().plus(Duration.ofDays(90)).getEpochSecond());
    // The version S3's event reported is the one admitted: the record and the job pin it.
    assertThat(item.get(Videos.VERSION_ID).s()).isEqualTo("Yx3kP9qT2mZ8vW4nR6sL1bJ7hF5dC0aE");
    assertThat(item.get(Videos.ETAG).s()).isEqualTo("5e1b3f8a9c7d2e4f6a8b0c1d3e5f7a9b");
    List<Message> sent = messages(stack.tier("premium"));
    assertThat(sent).singleElement().satisfies(message -> {
      Job job = Job.fromJson(message.body());
      assertThat(job.jobId()).isEqualTo(result.get("jobId"));
      assertThat(job.videoKey()).isEqualTo(key);
      assertThat(job.userId()).isEqualTo("alice");
      assertThat(job.tier()).isEqualTo("premium");
      assertThat(job.bucket()).isEqualTo(stack.bucket());
      assertThat(job.enqueuedAt().toEpochMilli()).isEqualTo(Long.parseLong(item.get(Videos.QUEUED_AT).n()));
      assertThat(job.versionId()).isEqualTo("Yx3kP9qT2mZ8vW4nR6sL1bJ7hF5dC0aE");
      assertThat(job.eTag()).isEqualTo("5e1b3f8a9c7d2e4f6a8b0c1d3e5f7a9b");
      assertThat(message.attributesAsStrings()).containsEntry("MessageGroupId", "alice");
    });
    assertThat(messages(stack.tier("regular"))).isEmpty();
    assertThat(lines.metric(MetricNames.JOBS_QUEUED, "premium")).isEqualTo(1);
    assertThat(lines.withMessage("video queued")).singleElement().satisfies(line ->
        assertThat(line).containsEntry("videoKey", key).containsEntry("tier", "premium").containsEntry("subscription", "pro"));
  }

  /**
   * The user id comes from the record (the exact subject), not from the key's escaped folder: the
   * tier lookup and the job use it as it is, and the group id fits SQS's rules.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"auth0|5f7c8ec7c33c6c004bbafe82", "google-oauth2|104812345678901234567",
      "samlp|corp|jane.doe@example.com", "Zoë 用户 😀 a/b ..", "€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€"})
  void routesAnySubjectByItsExactIdOnItsTier(String subject) {
    stack.putUser(subject, "pro");
    String key = pending(subject, 10);

    assertThat(route(objectCreated(stack.bucket(), key, 10L))).containsEntry("outcome", "QUEUED").containsEntry("tier", "premium");
    assertThat(messages(stack.tier("premium"))).singleElement().satisfies(message -> {
      assertThat(Job.fromJson(message.body()).userId()).isEqualTo(subject);
      assertThat(message.attributesAsStrings().get("MessageGroupId"))
          .isEqualTo(Keys.messageGroupOf(subject)).matches("[\\x21-\\x7E]{1,128}");
    });
    assertThat(record(key).get(Videos.USER_ID).s()).isEqualTo(subject);
  }

  @Test
  void duplicateDeliveriesProduceOneJob() {
    stack.putUser("bob", "basic");
    String key = pending("bob", 100);
    ScheduledEvent event = objectCreated(stack.bucket(), key, 100L);

    assertThat(route(event)).containsEntry("outcome", "QUEUED");
    assertThat(route(event)).containsEntry("outcome", "DUPLICATE").containsEntry("reason", "the video is QUEUED");

    assertThat(messages(stack.tier("regular"))).hasSize(1);
    assertThat(messages(stack.tier("premium"))).isEmpty();
  }

  @Test
  void unknownUsersAndSubscriptionsGetTheDefaultTier() {
    String unknownUser = pending("nobody-knows-me", 10);
    stack.putUser("legacy", "gold-legacy");
    String unknownSubscription = pending("legacy", 10);

    assertThat(route(objectCreated(stack.bucket(), unknownUser, 10L))).containsEntry("tier", "regular");
    assertThat(route(objectCreated(stack.bucket(), unknownSubscription, 10L))).containsEntry("tier", "regular");
    assertThat(messages(stack.tier("regular"))).hasSize(2);
    assertThat(lines.withMessage("video queued"))
        .extracting(line -> line.get("userId") + " " + line.get("subscription") + " → " + line.get("tier"))
        .containsExactly("nobody-knows-me (none: default tier) → regular", "legacy gold-legacy → regular");
  }

  @Test
  void anObjectWithoutARecordIsMarkedOrphanedCountedAndNotEnqueued() {
    String key = Keys.uploadKey("mallory|1", UUID.randomUUID(), "mp4");
    ScheduledEvent event = objectCreated(stack.bucket(), key, 50L);

    assertThat(route(event)).containsEntry("outcome", "ORPHANED");
    assertThat(route(event)).as("a second delivery finds the orphan record").containsEntry("outcome", "DUPLICATE");

    Map<String, AttributeValue> item = record(key);
    assertThat(item.get(Videos.STATUS).s()).isEqualTo("ORPHANED");
    assertThat(item.get(Videos.USER_ID).s()).as("decoded from the key's folder").isEqualTo("mallory|1");
    assertThat(item.get(Videos.UPLOADED_BYTES).n()).isEqualTo("50");
    assertThat(messages(stack.tier("regular"))).isEmpty();
    assertThat(messages(stack.tier("premium"))).isEmpty();
    assertThat(lines.metric(MetricNames.ORPHANS, "none")).isEqualTo(1);
    assertThat(lines.withMessage("object has no upload record; marked ORPHANED and not enqueued"))
        .singleElement().satisfies(line -> assertThat(line).containsEntry("level", "WARN").containsEntry("videoKey", key));
  }

  @Test
  void anUploadLargerThanDeclaredOrAllowedIsRejectedWithItsReason() {
    String overDeclared = pending("dave", 100);
    String overLimit = pending("dave", 5_000_000);

    assertThat(route(objectCreated(stack.bucket(), overDeclared, 101L)))
        .containsEntry("outcome", "REJECTED").containsEntry("reason", "uploaded 101 bytes but declared 100");
    assertThat(route(objectCreated(stack.bucket(), overLimit, 2_000_000L)))
        .containsEntry("outcome", "REJECTED").containsEntry("reason", "uploaded 2000000 bytes; the limit is 1000000");

    assertThat(record(overDeclared).get(Videos.STATUS).s()).isEqualTo("REJECTED");
    assertThat(record(overDeclared).get(Videos.REASON).s()).isEqualTo("uploaded 101 bytes but declared 100");
    assertThat(record(overLimit).get(Videos.REASON).s()).isEqualTo("uploaded 2000000 bytes; the limit is 1000000");
    assertThat(messages(stack.tier("regular"))).isEmpty();
    assertThat(lines.metric(MetricNames.REJECTS, null)).isEqualTo(2);
  }

  /** An object really in the stack's bucket, and its event with the version S3 gave it. */
  @SuppressWarnings("unchecked")
  private ScheduledEvent stored(String key, String content) {
    String version = TestStack.s3().putObject(b -> b.bucket(stack.bucket()).key(key),
        software.amazon.awssdk.core.sync.RequestBody.fromString(content)).versionId();
    ScheduledEvent event = objectCreated(stack.bucket(), key, (long) content.length());
    ((Map<String, Object>) event.getDetail().get("object")).put("version-id", version);
    return event;
  }

  private static software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse versions(String bucket, String key) {
    return TestStack.s3().listObjectVersions(b -> b.bucket(bucket).prefix(key));
  }

  @Test
  void aRejectedOrOrphanedUploadIsDeletedForGoodAndItsRecordKeepsTheReason() {
    String rejected = pending("dave", 3);
    String orphan = Keys.uploadKey("mallory", UUID.randomUUID(), "mp4");

    assertThat(route(stored(rejected, "four"))).containsEntry("outcome", "REJECTED");
    assertThat(route(stored(orphan, "orphan"))).containsEntry("outcome", "ORPHANED");

    for (String key : List.of(rejected, orphan)) {
      assertThat(versions(stack.bucket(), key).versions()).as(key).isEmpty();
      assertThat(versions(stack.bucket(), key).deleteMarkers()).as("by version, not behind a marker").isEmpty();
      assertThat(record(key).get(Videos.INPUT_DISPOSITION).s()).isEqualTo("DELETED");
    }
    assertThat(record(rejected).get(Videos.REASON).s()).isEqualTo("uploaded 4 bytes but declared 3");
  }

  @Test
  void inQuarantineModeTheAdmittedVersionMovesUnderQuarantine() {
    String rejected = pending("dave", 3);
    ScheduledEvent event = stored(rejected, "four");

    Map<String, String> result = handler(Map.of(FunctionEnv.PRIVACY, "90,quarantine,hashed"))
        .handleRequest(event, LambdaContext.of("router"));

    assertThat(result).containsEntry("outcome", "REJECTED");
    assertThat(versions(stack.bucket(), rejected).versions()).isEmpty();
    assertThat(record(rejected).get(Videos.INPUT_DISPOSITION).s()).isEqualTo("QUARANTINED");
    assertThat(record(rejected).get(Videos.QUARANTINE_KEY).s()).isEqualTo("quarantine/" + rejected);
    assertThat(TestStack.s3().getObjectAsBytes(b -> b.bucket(stack.bucket()).key("quarantine/" + rejected)).asUtf8String())
        .isEqualTo("four");
  }

  /** logUserIds' default: the router's lines name the uploader only by pseudonym, in every field. */
  @Test
  void byDefaultNoLineCarriesTheUploadersRawId() {
    String user = "samlp|corp|erin.7731@example.com";
    stack.putUser(user, "pro");
    Clock clock = Clock.systemUTC();
    EnvReader env = new EnvReader(stack.env());
    RouterHandler handler = new RouterHandler(RouterHandler.service(env, clients, clock),
        Log.create("router", env, lines, clock), new Metrics("router", lines, clock));
    String queued = pending(user, 10);
    String rejected = pending(user, 3);

    handler.handleRequest(objectCreated(stack.bucket(), queued, 10L), LambdaContext.of("router"));
    handler.handleRequest(stored(rejected, "four"), LambdaContext.of("router"));

    String pseudonym = new dev.priorityqueues.contract.UserPseudonyms(stack.videosTable()).of(user);
    assertThat(lines.lines()).hasSizeGreaterThan(3)
        .noneMatch(line -> line.contains("erin.7731") || line.contains(Keys.folderOf(user)));
    assertThat(lines.withMessage("video queued")).singleElement().satisfies(line -> assertThat(line)
        .containsEntry("userId", pseudonym).containsEntry("videoKey", queued.replace(Keys.folderOf(user), pseudonym)));
    assertThat(lines.withMessage("upload rejected")).singleElement()
        .satisfies(line -> assertThat(line).containsEntry("userId", pseudonym));
  }

  /** A delivery that recorded REJECTED but died before the input was gone: the retry removes it. */
  @Test
  void aRetryFinishesTheDisposalAnEarlierDeliveryLeftUndone() {
    String rejected = pending("dave", 3);
    ScheduledEvent event = stored(rejected, "four");
    videos.reject(rejected, "uploaded 4 bytes but declared 3", 4L, "earlier", Instant.now());

    assertThat(route(event)).containsEntry("outcome", "DUPLICATE");

    assertThat(versions(stack.bucket(), rejected).versions()).isEmpty();
    assertThat(record(rejected).get(Videos.INPUT_DISPOSITION).s()).isEqualTo("DELETED");
  }

  @Test
  void aFailedSendLosesNothingTheRetryFinishesTheJob() {
    stack.putUser("erin", "premium");
    String key = pending("erin", 10);
    ScheduledEvent event = objectCreated(stack.bucket(), key, 10L);
    List<Tier> broken = stack.tiers().all().stream()
        .map(t -> new Tier(t.name(), t.rank(), t.queueUrl() + "-gone", t.queueArn(), t.dlqUrl(), t.dlqArn(),
            t.subscriptions(), t.maxReceiveCount()))
        .toList();

    assertThatThrownBy(() -> handler(Map.of(FunctionEnv.TIERS, TierTable.toJson(broken)))
        .handleRequest(event, LambdaContext.of("router"))).isInstanceOf(RuntimeException.class);
    assertThat(record(key).get(Videos.STATUS).s()).isEqualTo("QUEUED");
    assertThat(record(key)).doesNotContainKey(Videos.SENT_AT)
        .as("the failed delivery gave its send claim back").doesNotContainKeys(Videos.SEND_CLAIM, Videos.SEND_LEASE_UNTIL);
    assertThat(lines.withMessage("routing failed; Lambda retries the event, then sends it to the events DLQ")).hasSize(1);

    Map<String, String> retried = route(event);
    assertThat(retried).containsEntry("outcome", "RESENT").containsEntry("jobId", record(key).get(Videos.JOB_ID).s());
    assertThat(messages(stack.tier("premium"))).singleElement().satisfies(m -> {
      assertThat(Job.fromJson(m.body()).enqueuedAt().toEpochMilli())
          .isEqualTo(Long.parseLong(record(key).get(Videos.QUEUED_AT).n()));
      assertThat(Job.fromJson(m.body()).versionId()).as("the re-sent job pins the admitted version")
          .isEqualTo("Yx3kP9qT2mZ8vW4nR6sL1bJ7hF5dC0aE");
    });
    assertThat(record(key)).containsKey(Videos.SENT_AT);
    assertThat(route(event)).containsEntry("outcome", "DUPLICATE");
  }

  /**
   * A delivery that queued the job and died before sending it (no exception, so no release)
   * leaves its claim: a retry waits while the lease may still cover a live sender, fails cleanly
   * before its own timeout if the lease outlasts it, and sends once the lease has ended.
   */
  @Test
  void aClaimLeftByADeadDeliveryIsTakenOverOnlyAfterItsLease() {
    String key = pending("frank", 10);
    ScheduledEvent event = objectCreated(stack.bucket(), key, 10L);
    Instant leaseUntil = Instant.now().plusSeconds(3).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    assertThat(videos.queue(key, "job-of-the-dead", "regular", 10L, "event-0", Instant.now(),
        new SendClaim("dead-invocation", leaseUntil))).isTrue();

    RouterHandler retry = handler(Map.of());
    assertThatThrownBy(() -> retry.handleRequest(event, LambdaContext.withRemaining("router", Duration.ofMillis(1500))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("video " + key + " is being sent by another delivery, whose claim lasts until " + leaseUntil
            + "; the retry sends the job if that delivery never did");
    assertThat(messages(stack.tier("regular"))).as("nothing sent while the claim may be live").isEmpty();

    Map<String, String> later = retry.handleRequest(event, LambdaContext.withRemaining("router", Duration.ofSeconds(10)));
    assertThat(Instant.now()).isAfter(leaseUntil);
    assertThat(later).containsEntry("outcome", "RESENT").containsEntry("jobId", "job-of-the-dead");
    assertThat(messages(stack.tier("regular"))).singleElement()
        .satisfies(m -> assertThat(Job.fromJson(m.body()).jobId()).isEqualTo("job-of-the-dead"));
    assertThat(record(key)).containsKey(Videos.SENT_AT).doesNotContainKeys(Videos.SEND_CLAIM, Videos.SEND_LEASE_UNTIL);
  }

  @Test
  void primingReadsButWritesNothing() {
    RouterHandler.service(new EnvReader(stack.env()), clients, Clock.systemUTC()).prime();
    assertThat(TestStack.dynamoDb().scan(b -> b.tableName(stack.videosTable())).count()).isZero();
    assertThat(messages(stack.tier("regular"))).isEmpty();
  }

  // ---- malformed events: each is refused with a sentence that says what is wrong ----

  static Stream<Arguments> malformedEvents() {
    return Stream.of(
        refused("another source", OBJECT_CREATED, e -> e.setSource("aws.ec2"),
            "event source 'aws.ec2' is not aws.s3; the router takes S3 object events"),
        refused("another detail-type", OBJECT_CREATED, e -> e.setDetailType("Object Deleted"),
            "detail-type 'Object Deleted' is not one the router takes: 'Object Created'"),
        refused("no id", OBJECT_CREATED, e -> e.setId(null), "event has no id"),
        refused("no detail", OBJECT_CREATED, e -> e.setDetail(null),
            "event 5d9f6c1e-3b7a-4c2e-9f1d-8a6b4e2c0d7f has no detail"),
        refused("no bucket", OBJECT_CREATED, e -> e.getDetail().remove("bucket"), "Object Created detail has no 'bucket'"),
        refused("bucket as a string", OBJECT_CREATED, e -> e.getDetail().put("bucket", "pq-uploads"),
            "Object Created detail field 'bucket' must be an object, not a string"),
        refused("no key", OBJECT_CREATED, e -> object(e).remove("key"), "Object Created detail object has no 'key'"),
        refused("numeric key", OBJECT_CREATED, e -> object(e).put("key", 42),
            "Object Created detail object field 'key' must be a string, not a number"),
        refused("negative size", OBJECT_CREATED, e -> object(e).put("size", -1),
            "Object Created detail object field 'size' must be from 0 to 9223372036854775807, not -1"),
        refused("fractional size", OBJECT_CREATED, e -> object(e).put("size", 1.5),
            "Object Created detail object field 'size' must be a whole number, not a number"),
        refused("size as words", OBJECT_CREATED, e -> object(e).put("size", "big"),
            "Object Created detail object field 'size' must be a whole number, not a string"),
        refused("another bucket", OBJECT_CREATED, e -> bucket(e).put("name", "someone-elses-bucket"),
            "event 5d9f6c1e-3b7a-4c2e-9f1d-8a6b4e2c0d7f is for bucket 'someone-elses-bucket'; this router serves '{bucket}'"),
        refused("a key outside uploads/", OBJECT_CREATED, e -> object(e).put("key", "processed/x.json"),
            "object key 'processed/x.json' is not under uploads/; the rule should match only that prefix"),
        // The seed's shape, as CloudTrail emits it: not a source (README, "Upload events").
        refused("a CloudTrail PutObject call", CLOUDTRAIL, e -> { },
            "event c3677697-1f2e-47b5-bdeb-5b5e5a7b0d66 is a CloudTrail API call; the router takes S3's own"
                + " 'Object Created' notifications only (EventBridge notifications on the bucket)"));
  }

  private static Arguments refused(String name, String fixture, Consumer<ScheduledEvent> change, String message) {
    return Arguments.of(name, fixture, change, message);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(ScheduledEvent event) {
    return (Map<String, Object>) event.getDetail().get("object");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> bucket(ScheduledEvent event) {
    return (Map<String, Object>) event.getDetail().get("bucket");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedEvents")
  void refusesMalformedEventsWithAClearErrorAndChangesNothing(
      String name, String fixture, Consumer<ScheduledEvent> change, String message) {
    String key = pending("frank", 10);
    ScheduledEvent event = EventLoader.loadScheduledEvent(fixture);
    if (event.getDetail().get("bucket") instanceof Map<?, ?>) {
      bucket(event).put("name", stack.bucket());
      object(event).put("key", key);
    }
    event.setDetail(event.getDetail() == null ? null : new LinkedHashMap<>(event.getDetail()));
    change.accept(event);

    assertThatThrownBy(() -> route(event))
        .isInstanceOf(ContractException.class)
        .hasMessage(message.replace("{bucket}", stack.bucket()));
    assertThat(record(key).get(Videos.STATUS).s()).isEqualTo("PENDING_UPLOAD");
    assertThat(messages(stack.tier("regular"))).isEmpty();
    assertThat(lines.withMessage("event refused")).singleElement()
        .satisfies(line -> assertThat(line).containsEntry("level", "ERROR"));
  }
}
