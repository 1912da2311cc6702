package dev.priorityqueues.common;

import static org.assertj.core.api.Assertions.assertThat;

import dev.priorityqueues.common.testing.TestStack;
import dev.priorityqueues.contract.Keys;
import dev.priorityqueues.contract.Tables.Videos;
import dev.priorityqueues.contract.VideoStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Every transition of the videos table on DynamoDB Local, including the refused ones. */
class VideoStoreTest {

  private static TestStack stack;
  private static VideoStore store;
  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
  private static int sequence;

  @BeforeAll
  static void createTable() {
    stack = TestStack.create("video-store");
    store = new VideoStore(TestStack.dynamoDb(), stack.videosTable(), RETENTION);
  }

  /** recordRetentionDays, here 7: each status change sets the TTL this long after it. */
  private static final Duration RETENTION = Duration.ofDays(7);

  private static String expiresAt(String key) {
    return stack.video(key).get("expiresAt").n();
  }

  private static String sevenDaysAfter(Instant at) {
    return Long.toString(at.plus(RETENTION).getEpochSecond());
  }

  private static String newPending() {
    String key = "uploads/u1/00000000-0000-0000-0000-" + String.format("%012d", ++sequence) + ".mp4";
    boolean created = store.createPending(
        new NewUpload(key, "u1", "cat.mp4", "video/mp4", 1000, T0, T0.plus(Duration.ofHours(1))));
    assertThat(created).isTrue();
    return key;
  }

  private static String newQueued(String jobId) {
    String key = newPending();
    assertThat(store.queue(key, jobId, "premium", 900L, "event-1", T0.plusSeconds(60))).isTrue();
    return key;
  }

  @Test
  void pendingRecordIsWrittenOnceWithItsTtl() {
    String key = newPending();
    assertThat(store.createPending(new NewUpload(key, "u2", "x.mp4", "video/mp4", 1, T0, T0))).isFalse();
    Map<String, AttributeValue> item = stack.video(key);
    assertThat(item.get(Videos.STATUS).s()).isEqualTo("PENDING_UPLOAD");
    assertThat(item.get(Videos.USER_ID).s()).isEqualTo("u1");
    assertThat(item.get(Videos.FILE_NAME).s()).isEqualTo("cat.mp4");
    assertThat(item.get(Videos.DECLARED_BYTES).n()).isEqualTo("1000");
    assertThat(item.get("expiresAt").n()).isEqualTo(Long.toString(T0.plus(Duration.ofHours(1)).getEpochSecond()));
  }

  @Test
  void queueingHappensOnceAndMovesTheTtlToTheRecordRetention() {
    String key = newPending();
    assertThat(store.queue(key, "job-1", "premium", 900L, "event-1", T0)).isTrue();
    assertThat(store.queue(key, "job-2", "regular", 900L, "event-2", T0)).isFalse();
    Video video = store.get(key).orElseThrow();
    assertThat(video.status()).isEqualTo(VideoStatus.QUEUED);
    assertThat(video.jobId()).isEqualTo("job-1");
    assertThat(video.tier()).isEqualTo("premium");
    assertThat(video.queuedAt()).isEqualTo(T0);
    assertThat(video.sent()).isFalse();
    assertThat(expiresAt(key)).as("the upload window's TTL gives way to the record retention")
        .isEqualTo(sevenDaysAfter(T0));
    assertThat(store.markSent(key, "job-2", T0)).as("another job may not mark it sent").isFalse();
    assertThat(store.markSent(key, "job-1", T0)).isTrue();
    assertThat(store.markSent(key, "job-1", T0.plusSeconds(1))).as("sent is set once").isFalse();
    assertThat(store.get(key).orElseThrow().sentAt()).isEqualTo(T0);
  }

  @Test
  void oneSendClaimAtATimeUntilItsLeaseEndsOrTheJobIsSent() {
    SendClaim first = new SendClaim("claim-1", T0.plusSeconds(30));
    String key = newPending();
    assertThat(store.queue(key, "job-1", "premium", 900L, "event-1", T0, first)).isTrue();
    assertThat(store.get(key).orElseThrow().sendClaimedAt(T0.plusSeconds(30))).isTrue();
    assertThat(store.get(key).orElseThrow().sendClaimedAt(T0.plusSeconds(31))).isFalse();

    SendClaim second = new SendClaim("claim-2", T0.plusSeconds(90));
    assertThat(store.claimSend(key, "job-1", second, T0.plusSeconds(30))).as("the lease is live").isFalse();
    assertThat(store.claimSend(key, "job-2", second, T0.plusSeconds(31))).as("another job").isFalse();
    assertThat(store.claimSend(key, "job-1", second, T0.plusSeconds(31))).as("the lease ended").isTrue();
    assertThat(store.releaseSend(key, first)).as("only the holder gives the claim back").isFalse();
    assertThat(store.releaseSend(key, second)).isTrue();
    assertThat(stack.video(key)).doesNotContainKeys(Videos.SEND_CLAIM, Videos.SEND_LEASE_UNTIL);

    SendClaim third = new SendClaim("claim-3", T0.plusSeconds(120));
    assertThat(store.claimSend(key, "job-1", third, T0.plusSeconds(32))).as("released: free at once").isTrue();
    assertThat(store.markSent(key, "job-1", T0.plusSeconds(33))).isTrue();
    assertThat(stack.video(key)).as("sent ends the claim").doesNotContainKeys(Videos.SEND_CLAIM, Videos.SEND_LEASE_UNTIL);
    assertThat(store.claimSend(key, "job-1", new SendClaim("claim-4", T0.plusSeconds(999)), T0.plusSeconds(500)))
        .as("a sent job is never claimed again").isFalse();
    assertThat(store.releaseSend(key, third)).isFalse();
  }

  @Test
  void rejectionKeepsTheReasonAndOnlyAppliesToPendingVideos() {
    String key = newPending();
    assertThat(store.reject(key, "too big", 5000L, "event-1", T0)).isTrue();
    assertThat(store.reject(key, "again", 5000L, "event-2", T0)).isFalse();
    assertThat(store.queue(key, "job-1", "premium", 1L, "event-3", T0)).isFalse();
    Video video = store.get(key).orElseThrow();
    assertThat(video.status()).isEqualTo(VideoStatus.REJECTED);
    assertThat(video.reason()).isEqualTo("too big");
    assertThat(video.uploadedBytes()).isEqualTo(5000L);
  }

  @Test
  void orphansAreMarkedOnlyWhenThereIsNoRecord() {
    String key = "uploads/u9/" + java.util.UUID.randomUUID() + ".mp4";
    assertThat(store.markOrphaned(key, "u9", 10L, "event-1", T0)).isTrue();
    assertThat(store.markOrphaned(key, "u9", 10L, "event-2", T0)).isFalse();
    assertThat(store.get(key).orElseThrow().status()).isEqualTo(VideoStatus.ORPHANED);
    assertThat(store.markOrphaned(newPending(), null, null, "event-3", T0)).isFalse();
  }

  @Test
  void aClaimIsExclusiveUntilItsLeaseExpires() {
    String key = newQueued("job-1");
    Instant start = T0.plusSeconds(120);
    Claim first = store.claim(key, "job-1", start, start.plusSeconds(60), 60_000);
    assertThat(first).isEqualTo(new Claim.Claimed(1, start));
    assertThat(store.claim(key, "job-1", start.plusSeconds(1), start.plusSeconds(61), 0))
        .isEqualTo(new Claim.HeldElsewhere(start.plusSeconds(60)));
    Claim afterExpiry = store.claim(key, "job-1", start.plusSeconds(61), start.plusSeconds(121), 0);
    assertThat(afterExpiry).isEqualTo(new Claim.Claimed(2, start.plusSeconds(61)));
    assertThat(store.complete(key, "job-1", 1, start.plusSeconds(62), new Completion("mp4", 1L, 2, 3, "r")))
        .as("the first claim lost its lease").isEmpty();
    assertThat(store.complete(key, "job-1", 2, start.plusSeconds(62), new Completion("mp4", 1000L, 64, 48, "processed/x")))
        .as("the record as written, for the completion event").get()
        .isEqualTo(store.get(key).orElseThrow());
    Video video = store.get(key).orElseThrow();
    assertThat(video.status()).isEqualTo(VideoStatus.DONE);
    assertThat(video.completions()).isEqualTo(1);
    assertThat(video.attempts()).isEqualTo(2);
    assertThat(video.leaseUntil()).isNull();
    Map<String, AttributeValue> item = stack.video(key);
    assertThat(item.get(Videos.QUEUE_WAIT_MILLIS).n()).isEqualTo("0");
    assertThat(item.get(Videos.WIDTH).n()).isEqualTo("64");
    assertThat(item.get(Videos.DURATION_MILLIS).n()).isEqualTo("1000");
    assertThat(item.get(Videos.RESULT_KEY).s()).isEqualTo("processed/x");
    assertThat(store.claim(key, "job-1", start.plusSeconds(500), start.plusSeconds(600), 0))
        .isEqualTo(new Claim.AlreadyFinished(VideoStatus.DONE));
  }

  @Test
  void aReleasedClaimCanBeTakenAgainAtOnce() {
    String key = newQueued("job-1");
    Claim.Claimed claim = (Claim.Claimed) store.claim(key, "job-1", T0, T0.plusSeconds(900), 5);
    assertThat(store.release(key, "job-1", claim.attempt(), "S3 timed out")).isTrue();
    assertThat(store.release(key, "job-1", claim.attempt(), "twice")).isFalse();
    assertThat(store.claim(key, "job-1", T0.plusSeconds(1), T0.plusSeconds(900), 5)).isInstanceOf(Claim.Claimed.class);
    assertThat(store.get(key).orElseThrow().reason()).isEqualTo("S3 timed out");
  }

  @Test
  void failureIsTerminal() {
    String key = newQueued("job-1");
    Claim.Claimed claim = (Claim.Claimed) store.claim(key, "job-1", T0, T0.plusSeconds(900), 5);
    assertThat(store.fail(key, "job-1", claim.attempt(), T0.plusSeconds(1), "not a video"))
        .get().extracting(Video::status, Video::reason).containsExactly(VideoStatus.FAILED, "not a video");
    assertThat(store.claim(key, "job-1", T0.plusSeconds(2), T0.plusSeconds(900), 5))
        .isEqualTo(new Claim.AlreadyFinished(VideoStatus.FAILED));
    assertThat(store.get(key).orElseThrow().reason()).isEqualTo("not a video");
  }

  @Test
  void deadLetteredVideosCanBeClaimedAgainByARedrive() {
    String key = newQueued("job-1");
    assertThat(store.markDeadLettered(key, "job-other", "nope", T0)).isFalse();
    assertThat(store.markDeadLettered(key, "job-1", "poison", T0)).isTrue();
    assertThat(store.get(key).orElseThrow().status()).isEqualTo(VideoStatus.DEAD_LETTERED);
    assertThat(store.claim(key, "job-1", T0, T0.plusSeconds(60), 0)).isInstanceOf(Claim.Claimed.class);
    assertThat(store.markDeadLettered(key, "job-1", "while held", T0.plusSeconds(1)))
        .as("a live lease is not dead-lettered").isFalse();
  }

  @Test
  void claimsThatCanNeverSucceedSayWhy() {
    assertThat(store.claim("uploads/nobody/x.mp4", "job-1", T0, T0, 0)).isEqualTo(new Claim.Missing());
    String queued = newQueued("job-1");
    assertThat(store.claim(queued, "job-2", T0, T0, 0))
        .isEqualTo(new Claim.NotClaimable("job job-2 is not the video's job (job-1); the video is QUEUED"));
    String pending = newPending();
    assertThat(store.claim(pending, "job-1", T0, T0, 0))
        .isEqualTo(new Claim.NotClaimable("job job-1 is not the video's job (null); the video is PENDING_UPLOAD"));
  }

  @Test
  void everyStatusChangeSetsTheTtlSoNoRecordLivesForever() {
    String rejected = newPending();
    store.reject(rejected, "too big", 5000L, "event-1", T0.plusSeconds(5));
    assertThat(expiresAt(rejected)).as("REJECTED").isEqualTo(sevenDaysAfter(T0.plusSeconds(5)));

    String orphan = "uploads/u9/" + java.util.UUID.randomUUID() + ".mp4";
    store.markOrphaned(orphan, "u9", 10L, "event-1", T0.plusSeconds(6));
    assertThat(expiresAt(orphan)).as("ORPHANED").isEqualTo(sevenDaysAfter(T0.plusSeconds(6)));

    String done = newQueued("job-1");
    store.claim(done, "job-1", T0.plusSeconds(100), T0.plusSeconds(200), 0);
    assertThat(expiresAt(done)).as("PROCESSING").isEqualTo(sevenDaysAfter(T0.plusSeconds(100)));
    store.complete(done, "job-1", 1, T0.plusSeconds(150), new Completion("mp4", 1L, 2, 2, "processed/r"));
    assertThat(expiresAt(done)).as("DONE").isEqualTo(sevenDaysAfter(T0.plusSeconds(150)));

    String failed = newQueued("job-1");
    store.claim(failed, "job-1", T0.plusSeconds(100), T0.plusSeconds(200), 0);
    store.fail(failed, "job-1", 1, T0.plusSeconds(170), "not a video");
    assertThat(expiresAt(failed)).as("FAILED").isEqualTo(sevenDaysAfter(T0.plusSeconds(170)));

    String deadLettered = newQueued("job-1");
    store.markDeadLettered(deadLettered, "job-1", "poison", T0.plusSeconds(300));
    assertThat(expiresAt(deadLettered)).as("DEAD_LETTERED").isEqualTo(sevenDaysAfter(T0.plusSeconds(300)));
  }

  @Test
  void primingReadsASentinelThatNeverExists() {
    store.prime();
    assertThat(store.get(Keys.PRIME_VIDEO_KEY)).isEmpty();
  }
}
