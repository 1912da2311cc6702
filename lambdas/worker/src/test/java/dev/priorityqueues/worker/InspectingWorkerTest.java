package dev.priorityqueues.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.priorityqueues.common.testing.SqsEventSource;
import dev.priorityqueues.common.testing.TestStack;
import dev.priorityqueues.contract.FunctionEnv;
import dev.priorityqueues.contract.Job;
import dev.priorityqueues.contract.Json;
import dev.priorityqueues.contract.Keys;
import dev.priorityqueues.contract.Tables.Videos;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import dev.priorityqueues.local.servers.LambdaContext;
import dev.priorityqueues.local.servers.LocalAws;
import dev.priorityqueues.worker.processing.InspectingProcessor;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The default processor end to end: real files in S3Proxy, results in S3 and on the records. */
class InspectingWorkerTest {

  @Test
  void inspectsRealVideosAndFailsEverythingElseForGood() {
    WorkerFixture fixture = new WorkerFixture(TestStack.builder("inspect").env(FunctionEnv.FLOW, "queue-level")
        .env(FunctionEnv.PROCESSOR, "inspect").env(FunctionEnv.PRIVACY, "5,delete,hashed").build());
    long earliest = java.time.Instant.now().plus(Duration.ofDays(5)).getEpochSecond();
    Map<String, Job> jobs = new LinkedHashMap<>();
    for (String sample : new String[] {"sample.mp4", "sample.mov", "sample.webm", "not-a-video.mp4", "audio-only.m4a"}) {
      String user = sample.replaceAll("[^a-z0-9]", "-");
      String key = Keys.uploadKey(user, UUID.randomUUID(), sample.substring(sample.lastIndexOf('.') + 1));
      TestStack.s3().putObject(b -> b.bucket(fixture.stack.bucket()).key(key),
          RequestBody.fromBytes(Samples.bytes(sample)));
      jobs.put(sample, fixture.queued("regular", user, key));
    }
    jobs.put("missing", fixture.queued("regular", "gone"));

    SqsEventSource.Batch batch = fixture.deliver(fixture.configuredHandler(), "regular", 10);

    assertThat(batch.messages()).hasSize(6);
    assertThat(batch.failedIds()).isEmpty();
    assertDone(fixture, jobs.get("sample.mp4"), "mp4", "1000", "64", "48");
    assertDone(fixture, jobs.get("sample.mov"), "mov", "2000", "80", "60");
    assertDone(fixture, jobs.get("sample.webm"), "webm", "1500", "96", "54");
    assertFailed(fixture, jobs.get("not-a-video.mp4"),
        "not a video: it is not an MP4, MOV or WebM container (it starts with 54 68 69 73 20 69 73 20)");
    assertFailed(fixture, jobs.get("audio-only.m4a"), "not a video: its movie has no video track");
    assertFailed(fixture, jobs.get("missing"), "the object " + jobs.get("missing").videoKey() + " no longer exists");
    long latest = java.time.Instant.now().plus(Duration.ofDays(5)).getEpochSecond();
    assertThat(jobs.values()).as("DONE and FAILED records expire recordRetentionDays (5) after they finished")
        .allSatisfy(job -> assertThat(Long.parseLong(fixture.stack.video(job.videoKey()).get("expiresAt").n()))
            .isBetween(earliest, latest));

    Map<String, Object> result = Json.parseObject("result", TestStack.s3().getObjectAsBytes(b -> b
        .bucket(fixture.stack.bucket()).key(Keys.resultKey(jobs.get("sample.mov").videoKey()))).asUtf8String());
    assertThat(result)
        .containsEntry("container", "mov").containsEntry("brand", "qt").containsEntry("durationMillis", 2000)
        .containsEntry("width", 80).containsEntry("height", 60).containsEntry("sizeBytes", 11746)
        .containsEntry("jobId", jobs.get("sample.mov").jobId()).containsKey("inspectedAt");
  }

  /**
   * What S3 answers decides the ending: 403 (S3's answer to a role that may not list the bucket,
   * whether or not the object exists) is retried with the reason, never FAILED; 404 (the object
   * was deleted) is FAILED for good, not retried into the DLQ.
   */
  @Test
  void aRefusedReadIsRetriedWithWhyAndADeletedUploadFailsForGood() {
    WorkerFixture fixture = new WorkerFixture(TestStack.builder("denied").env(FunctionEnv.FLOW, "queue-level")
        .env(FunctionEnv.RETRY_BACKOFF_SECONDS, 0).build());
    String bucket = fixture.stack.bucket();
    String key = Keys.uploadKey("someone", UUID.randomUUID(), "mp4");
    TestStack.s3().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(Samples.bytes("sample.mp4")));
    Job job = fixture.queued("regular", "someone", key);

    // S3Proxy refuses an unsigned request with 403 AccessDenied, as S3 refuses a role without the grant.
    try (S3Client anonymous = S3Client.builder().endpointOverride(LocalAws.shared().s3Endpoint()).region(Region.US_EAST_1)
        .credentialsProvider(AnonymousCredentialsProvider.create()).forcePathStyle(true).build()) {
      SqsEventSource.Batch refused = fixture.deliver(
          fixture.handler(new InspectingProcessor(anonymous, bucket, Clock.systemUTC())), "regular", 1);
      assertThat(refused.failedIds()).hasSize(1);
    }
    Map<String, AttributeValue> retried = fixture.stack.video(key);
    assertThat(retried.get(Videos.STATUS).s()).isEqualTo("QUEUED");
    assertThat(retried.get(Videos.REASON).s()).isEqualTo("processing failed: UploadReadDenied: S3 denied reading " + key
        + " (403 AccessDenied): the role needs s3:GetObject on the object, and s3:ListBucket on the bucket for S3"
        + " to answer a missing object with 404 rather than 403");

    TestStack.s3().deleteObject(b -> b.bucket(bucket).key(key));
    // The configured worker transcodes: it gets the default timeout, or it would not start a job.
    SqsEventSource.Batch gone = fixture.deliver(fixture.configuredHandler(), "regular", 1,
        LambdaContext.withRemaining("worker", Duration.ofSeconds(900)));

    assertThat(gone.messages()).hasSize(1);
    assertThat(gone.failedIds()).isEmpty();
    assertFailed(fixture, job, "the object " + key + " no longer exists");
    assertThat(fixture.deadLetters("regular")).isEmpty();
  }

  /**
   * A forced overwrite made outside the URL (the bucket policy stops anyone else) after the
   * router admitted the upload does not change what the job reads: the job pins the version S3's
   * event reported, so the admitted bytes are inspected, not the new ones. In a bucket without
   * versioning the pin is the ETag, and the job fails with the reason instead of reading bytes
   * nobody checked.
   */
  @Test
  void aForcedOverwriteDoesNotChangeWhatTheJobReads() {
    WorkerFixture fixture = new WorkerFixture(TestStack.builder("pinned").env(FunctionEnv.FLOW, "queue-level")
        .env(FunctionEnv.PROCESSOR, "inspect").build());
    String bucket = fixture.stack.bucket();
    Map<String, Job> jobs = new LinkedHashMap<>();
    for (String pin : new String[] {"version", "etag"}) {
      String key = Keys.uploadKey("pinned", UUID.randomUUID(), "mp4");
      var admitted = TestStack.s3().putObject(b -> b.bucket(bucket).key(key),
          RequestBody.fromBytes(Samples.bytes("sample.mp4")));
      Job recorded = fixture.recorded("regular", "pinned", key);
      Job job = new Job(recorded.jobId(), recorded.bucket(), key, recorded.userId(), recorded.tier(), recorded.enqueuedAt(),
          pin.equals("version") ? admitted.versionId() : null, admitted.eTag().replace("\"", ""));
      fixture.send("regular", job.toJson(), "pinned");
      TestStack.s3().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(Samples.bytes("not-a-video.mp4")));
      jobs.put(pin, job);
    }

    SqsEventSource.Batch batch = fixture.deliver(fixture.configuredHandler(), "regular", 10);

    assertThat(batch.messages()).hasSize(2);
    assertThat(batch.failedIds()).isEmpty();
    assertDone(fixture, jobs.get("version"), "mp4", "1000", "64", "48");
    Job etag = jobs.get("etag");
    assertFailed(fixture, etag, "the object " + etag.videoKey() + " (ETag \"" + etag.eTag() + "\") was replaced after it"
        + " was uploaded; only the uploaded bytes are processed");
  }

  /**
   * rejectedInputs: an upload that fails inspection ends FAILED with its reason, and the version
   * the job pinned is deleted for good or moved under quarantine/; the record says which.
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"delete", "quarantine"})
  void anInputThatIsNotAVideoIsDeletedOrQuarantined(String mode) {
    WorkerFixture fixture = new WorkerFixture(TestStack.builder("disposal").env(FunctionEnv.FLOW, "queue-level")
        .env(FunctionEnv.PROCESSOR, "inspect").env(FunctionEnv.PRIVACY, "90," + mode + ",hashed").build());
    String bucket = fixture.stack.bucket();
    String key = Keys.uploadKey("impostor", UUID.randomUUID(), "mp4");
    var admitted = TestStack.s3().putObject(b -> b.bucket(bucket).key(key),
        RequestBody.fromBytes(Samples.bytes("not-a-video.mp4")));
    Job recorded = fixture.recorded("regular", "impostor", key);
    Job job = new Job(recorded.jobId(), recorded.bucket(), key, recorded.userId(), recorded.tier(), recorded.enqueuedAt(),
        admitted.versionId(), null);
    fixture.send("regular", job.toJson(), "impostor");

    SqsEventSource.Batch batch = fixture.deliver(fixture.configuredHandler(), "regular", 1);

    assertThat(batch.failedIds()).isEmpty();
    assertFailed(fixture, job,
        "not a video: it is not an MP4, MOV or WebM container (it starts with 54 68 69 73 20 69 73 20)");
    var versions = TestStack.s3().listObjectVersions(b -> b.bucket(bucket).prefix(key));
    assertThat(versions.versions()).isEmpty();
    assertThat(versions.deleteMarkers()).isEmpty();
    Map<String, AttributeValue> item = fixture.stack.video(key);
    if (mode.equals("delete")) {
      assertThat(item.get(Videos.INPUT_DISPOSITION).s()).isEqualTo("DELETED");
    } else {
      assertThat(item.get(Videos.INPUT_DISPOSITION).s()).isEqualTo("QUARANTINED");
      assertThat(item.get(Videos.QUARANTINE_KEY).s()).isEqualTo(Keys.quarantineKey(key));
      assertThat(TestStack.s3().getObjectAsBytes(b -> b.bucket(bucket).key(Keys.quarantineKey(key))).asByteArray())
          .isEqualTo(Samples.bytes("not-a-video.mp4"));
    }
  }

  private static void assertDone(WorkerFixture fixture, Job job, String container, String millis, String width,
      String height) {
    Map<String, AttributeValue> item = fixture.stack.video(job.videoKey());
    assertThat(item.get(Videos.STATUS).s()).isEqualTo("DONE");
    assertThat(item.get(Videos.CONTAINER).s()).isEqualTo(container);
    assertThat(item.get(Videos.DURATION_MILLIS).n()).isEqualTo(millis);
    assertThat(item.get(Videos.WIDTH).n()).isEqualTo(width);
    assertThat(item.get(Videos.HEIGHT).n()).isEqualTo(height);
    assertThat(item.get(Videos.RESULT_KEY).s()).isEqualTo(Keys.resultKey(job.videoKey()));
  }

  private static void assertFailed(WorkerFixture fixture, Job job, String reason) {
    Map<String, AttributeValue> item = fixture.stack.video(job.videoKey());
    assertThat(item.get(Videos.STATUS).s()).isEqualTo("FAILED");
    assertThat(item.get(Videos.REASON).s()).isEqualTo(reason);
  }
}
