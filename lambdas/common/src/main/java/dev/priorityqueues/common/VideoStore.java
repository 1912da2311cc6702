package dev.priorityqueues.common;

import dev.priorityqueues.contract.Keys;
import dev.priorityqueues.contract.Retention;
import dev.priorityqueues.contract.Tables;
import dev.priorityqueues.contract.Tables.Videos;
import dev.priorityqueues.contract.VideoStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * The videos table, shared by the three functions. Every status change is a conditional write,
 * so it happens once however many times an event or message is delivered; a method returns
 * {@code false} (or a {@link Claim} saying why) when its condition does not hold, and throws
 * only for real errors, which callers let propagate so that the delivery is retried.
 */
public final class VideoStore {

  private static final String CLAIMABLE =
      "#status IN (:queued, :deadLettered) OR (#status = :processing AND leaseUntil < :now)";

  private final DynamoDbClient dynamoDb;
  private final String table;
  private final Duration recordRetention;

  /** A store whose records, once past PENDING_UPLOAD, expire after the program's default retention. */
  public VideoStore(DynamoDbClient dynamoDb, String table) {
    this(dynamoDb, table, Duration.ofDays(Retention.DEFAULT_RECORD_DAYS));
  }

  /**
   * A store whose every status change past PENDING_UPLOAD sets the record's TTL to
   * {@code recordRetention} after it, so no record (user id, file name) outlives it, finished
   * or not ({@code recordRetentionDays}).
   */
  public VideoStore(DynamoDbClient dynamoDb, String table, Duration recordRetention) {
    this.dynamoDb = Objects.requireNonNull(dynamoDb, "dynamoDb");
    this.table = Objects.requireNonNull(table, "table");
    this.recordRetention = Objects.requireNonNull(recordRetention, "recordRetention");
  }

  /** How long a record lives after its last status change. */
  public Duration recordRetention() {
    return recordRetention;
  }

  private AttributeValue expiry(Instant at) {
    return n(Retention.expiresAtEpochSeconds(at.toEpochMilli(), recordRetention));
  }

  /** A strongly consistent read, so a write just made is always seen. */
  public Optional<Video> get(String videoKey) {
    Map<String, AttributeValue> item =
        dynamoDb.getItem(b -> b.tableName(table).key(key(videoKey)).consistentRead(true)).item();
    return item == null || item.isEmpty() ? Optional.empty() : Optional.of(Video.from(item));
  }

  /**
   * One real, harmless request (an eventually consistent read of a key that never exists), so a
   * SnapStart snapshot holds a warmed-up client: marshalling, signing, endpoint resolution.
   */
  public void prime() {
    dynamoDb.getItem(b -> b.tableName(table).key(key(Keys.PRIME_VIDEO_KEY)));
  }

  // ---- presign ----------------------------------------------------------------------------

  /** Writes the PENDING_UPLOAD record; false if the key exists already. */
  public boolean createPending(NewUpload upload) {
    Map<String, AttributeValue> item = new LinkedHashMap<>();
    item.put(Videos.KEY, s(upload.videoKey()));
    item.put(Videos.USER_ID, s(upload.userId()));
    item.put(Videos.STATUS, s(VideoStatus.PENDING_UPLOAD.name()));
    item.put(Videos.CONTENT_TYPE, s(upload.contentType()));
    item.put(Videos.FILE_NAME, s(upload.fileName()));
    item.put(Videos.DECLARED_BYTES, n(upload.declaredBytes()));
    item.put(Videos.CREATED_AT, n(upload.createdAt().toEpochMilli()));
    item.put(Tables.TTL, n(upload.expiresAt().getEpochSecond()));
    return putIfAbsent(item);
  }

  /**
   * Removes a PENDING_UPLOAD record whose URL was never handed out (presign refused the request
   * after writing it, e.g. over quota); false if it is no longer pending.
   */
  public boolean removePending(String videoKey) {
    try {
      dynamoDb.deleteItem(b -> b.tableName(table).key(key(videoKey))
          .conditionExpression("#status = :pending")
          .expressionAttributeNames(Map.of("#status", Videos.STATUS))
          .expressionAttributeValues(Map.of(":pending", s(VideoStatus.PENDING_UPLOAD.name()))));
      return true;
    } catch (ConditionalCheckFailedException e) {
      return false;
    }
  }

  // ---- router -----------------------------------------------------------------------------

  /** Records an object that arrived with no record; false if a record appeared meanwhile. */
  public boolean markOrphaned(String videoKey, String userId, Long uploadedBytes, String eventId, Instant now) {
    Map<String, AttributeValue> item = new LinkedHashMap<>();
    item.put(Videos.KEY, s(videoKey));
    item.put(Videos.STATUS, s(VideoStatus.ORPHANED.name()));
    if (userId != null) {
      item.put(Videos.USER_ID, s(userId));
    }
    if (uploadedBytes != null) {
      item.put(Videos.UPLOADED_BYTES, n(uploadedBytes));
    }
    item.put(Videos.EVENT_ID, s(eventId));
    item.put(Videos.CREATED_AT, n(now.toEpochMilli()));
    item.put(Videos.REASON, s("the object arrived with no upload record"));
    item.put(Tables.TTL, expiry(now));
    return putIfAbsent(item);
  }

  /** PENDING_UPLOAD → REJECTED with the reason; false if the video was no longer pending. */
  public boolean reject(String videoKey, String reason, Long uploadedBytes, String eventId, Instant now) {
    return apply(videoKey, fromPending(
        new Update("SET #status = :rejected, reason = :reason, eventId = :eventId, finishedAt = :now")
            .value(":rejected", s(VideoStatus.REJECTED.name()))
            .value(":reason", s(reason))
            .value(":eventId", s(eventId))
            .value(":now", n(now.toEpochMilli())),
        uploadedBytes, expiry(now)));
  }

  /**
   * PENDING_UPLOAD → QUEUED with a new job; the TTL moves from the upload window to the record
   * retention. False if the video was no longer pending (another delivery got there first).
   */
  public boolean queue(
      String videoKey, String jobId, String tier, Long uploadedBytes, String eventId, Instant queuedAt) {
    return queue(videoKey, jobId, tier, uploadedBytes, eventId, queuedAt, null);
  }

  /**
   * As {@link #queue(String, String, String, Long, String, Instant)}, and in the same write takes
   * the send claim ({@link #claimSend}), so the delivery that queues is the one that sends.
   */
  public boolean queue(String videoKey, String jobId, String tier, Long uploadedBytes, String eventId, Instant queuedAt,
      SendClaim claim) {
    return queue(videoKey, jobId, tier, uploadedBytes, eventId, queuedAt, claim, null, null);
  }

  /**
   * As {@link #queue(String, String, String, Long, String, Instant, SendClaim)}, recording the
   * object's version id and ETag from the event, so every (re-)sent job pins the admitted bytes.
   */
  public boolean queue(String videoKey, String jobId, String tier, Long uploadedBytes, String eventId, Instant queuedAt,
      SendClaim claim, String versionId, String eTag) {
    Update update =
        new Update("SET #status = :queued, jobId = :jobId, tier = :tier, queuedAt = :queuedAt, eventId = :eventId")
            .value(":queued", s(VideoStatus.QUEUED.name()))
            .value(":jobId", s(jobId))
            .value(":tier", s(tier))
            .value(":queuedAt", n(queuedAt.toEpochMilli()))
            .value(":eventId", s(eventId));
    if (claim != null) {
      update.set(Videos.SEND_CLAIM + " = :claim, " + Videos.SEND_LEASE_UNTIL + " = :leaseUntil")
          .value(":claim", s(claim.token()))
          .value(":leaseUntil", n(claim.leaseUntil().toEpochMilli()));
    }
    if (versionId != null) {
      update.set(Videos.VERSION_ID + " = :versionId").value(":versionId", s(versionId));
    }
    if (eTag != null) {
      update.set(Videos.ETAG + " = :eTag").value(":eTag", s(eTag));
    }
    return apply(videoKey, fromPending(update, uploadedBytes, expiry(queuedAt)));
  }

  /**
   * The router's transitions: only from PENDING_UPLOAD; the size if known; the TTL from the
   * upload window's to the record retention's.
   */
  private static Update fromPending(Update update, Long uploadedBytes, AttributeValue expiresAt) {
    if (uploadedBytes != null) {
      update.set("uploadedBytes = :uploaded").value(":uploaded", n(uploadedBytes));
    }
    return update
        .set(Tables.TTL + " = :expiresAt")
        .value(":expiresAt", expiresAt)
        .name("#status", Videos.STATUS)
        .value(":pending", s(VideoStatus.PENDING_UPLOAD.name()))
        .condition("#status = :pending");
  }

  /**
   * Takes the claim to send a QUEUED job that is not yet on its queue: only one router invocation
   * holds it at a time, until its lease ends. The lease outlives the claiming invocation, so only
   * a dead invocation's claim can be taken over (the caller re-sends then). False if the job was
   * sent, or another invocation holds a live claim, or the video is no longer this job's QUEUED.
   */
  public boolean claimSend(String videoKey, String jobId, SendClaim claim, Instant now) {
    return apply(
        videoKey,
        new Update("SET " + Videos.SEND_CLAIM + " = :claim, " + Videos.SEND_LEASE_UNTIL + " = :leaseUntil")
            .name("#status", Videos.STATUS)
            .name("#lease", Videos.SEND_LEASE_UNTIL)
            .value(":claim", s(claim.token()))
            .value(":leaseUntil", n(claim.leaseUntil().toEpochMilli()))
            .value(":queued", s(VideoStatus.QUEUED.name()))
            .value(":jobId", s(jobId))
            .value(":now", n(now.toEpochMilli()))
            .condition("#status = :queued AND jobId = :jobId AND attribute_not_exists(" + Videos.SENT_AT + ")"
                + " AND (attribute_not_exists(#lease) OR #lease < :now)"));
  }

  /**
   * Gives the send claim back after a failed send, so a retry need not wait for the lease; false
   * if this claim no longer holds (or the job was marked sent).
   */
  public boolean releaseSend(String videoKey, SendClaim claim) {
    return apply(
        videoKey,
        new Update("REMOVE " + Videos.SEND_CLAIM + ", " + Videos.SEND_LEASE_UNTIL)
            .value(":claim", s(claim.token()))
            .condition(Videos.SEND_CLAIM + " = :claim AND attribute_not_exists(" + Videos.SENT_AT + ")"));
  }

  /** Notes that the job is on its queue, ending the send claim; false if another delivery noted it first. */
  public boolean markSent(String videoKey, String jobId, Instant sentAt) {
    return apply(
        videoKey,
        new Update("SET sentAt = :sentAt")
            .value(":sentAt", n(sentAt.toEpochMilli()))
            .value(":jobId", s(jobId))
            .remove(Videos.SEND_CLAIM, Videos.SEND_LEASE_UNTIL)
            .condition("jobId = :jobId AND attribute_not_exists(sentAt)"));
  }

  // ---- worker -----------------------------------------------------------------------------

  /**
   * Claims the video for one job: QUEUED or DEAD_LETTERED (a redrive), or PROCESSING whose lease
   * has expired (a worker died), becomes PROCESSING with a lease and one more attempt.
   */
  public Claim claim(String videoKey, String jobId, Instant now, Instant leaseUntil, long queueWaitMillis) {
    Update update =
        new Update(
                "SET #status = :processing, startedAt = :now, leaseUntil = :lease, queueWaitMillis = :wait,"
                    + " attempts = if_not_exists(attempts, :zero) + :one, " + Tables.TTL + " = :expiresAt")
            .value(":expiresAt", expiry(now))
            .name("#status", Videos.STATUS)
            .value(":processing", s(VideoStatus.PROCESSING.name()))
            .value(":queued", s(VideoStatus.QUEUED.name()))
            .value(":deadLettered", s(VideoStatus.DEAD_LETTERED.name()))
            .value(":now", n(now.toEpochMilli()))
            .value(":lease", n(leaseUntil.toEpochMilli()))
            .value(":wait", n(Math.max(0, queueWaitMillis)))
            .value(":zero", n(0))
            .value(":one", n(1))
            .value(":jobId", s(jobId))
            .condition("jobId = :jobId AND (" + CLAIMABLE + ")");
    try {
      UpdateItemResponse response =
          dynamoDb.updateItem(
              update.request(table, key(videoKey))
                  .returnValues(ReturnValue.ALL_NEW)
                  .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                  .build());
      return new Claim.Claimed(Video.from(response.attributes()).attempts(), now);
    } catch (ConditionalCheckFailedException e) {
      Optional<Video> current =
          e.hasItem() && !e.item().isEmpty() ? Optional.of(Video.from(e.item())) : get(videoKey);
      return whyNotClaimed(current, jobId, now);
    }
  }

  private static Claim whyNotClaimed(Optional<Video> current, String jobId, Instant now) {
    if (current.isEmpty()) {
      return new Claim.Missing();
    }
    Video video = current.get();
    if (video.status() == VideoStatus.DONE || video.status() == VideoStatus.FAILED) {
      return new Claim.AlreadyFinished(video.status());
    }
    if (!jobId.equals(video.jobId())) {
      return new Claim.NotClaimable(
          "job " + jobId + " is not the video's job (" + video.jobId() + "); the video is " + video.status());
    }
    if (video.status() == VideoStatus.PROCESSING) {
      return new Claim.HeldElsewhere(video.leaseUntil() == null ? now : video.leaseUntil());
    }
    if (video.status() == VideoStatus.QUEUED || video.status() == VideoStatus.DEAD_LETTERED) {
      // The record changed between the write and the read: another worker claimed and released it.
      return new Claim.HeldElsewhere(now);
    }
    return new Claim.NotClaimable("the video is " + video.status() + ", not queued");
  }

  /**
   * PROCESSING → DONE with the result, if this claim still holds: the record as written (which
   * the completion event is built from, with no second read), or empty if the claim was lost.
   */
  public Optional<Video> complete(String videoKey, String jobId, int attempt, Instant finishedAt, Completion result) {
    Update update =
        new Update(
                "SET #status = :done, finishedAt = :finishedAt, container = :container,"
                    + " completions = if_not_exists(completions, :zero) + :one")
            .value(":done", s(VideoStatus.DONE.name()))
            .value(":finishedAt", n(finishedAt.toEpochMilli()))
            .value(":container", s(result.container()))
            .value(":zero", n(0))
            .value(":one", n(1))
            .set(Tables.TTL + " = :expiresAt")
            .value(":expiresAt", expiry(finishedAt));
    if (result.resultKey() != null) {
      update.set("resultKey = :resultKey").value(":resultKey", s(result.resultKey()));
    }
    if (result.durationMillis() != null) {
      update.set("durationMillis = :duration").value(":duration", n(result.durationMillis()));
    }
    if (!result.outputs().isEmpty()) {
      // The whole list is replaced, so a re-run leaves the same outputs, never duplicates.
      update.set(Videos.OUTPUTS + " = :outputs").value(":outputs", outputs(result.outputs()));
    }
    if (result.width() != null && result.height() != null) {
      update.set("width = :width, height = :height")
          .value(":width", n(result.width()))
          .value(":height", n(result.height()));
    }
    return applyReturning(videoKey, holdingClaim(update.remove(Videos.LEASE_UNTIL, Videos.REASON), jobId, attempt));
  }

  /** PROCESSING → FAILED for good, with the reason, if this claim still holds: as {@link #complete}. */
  public Optional<Video> fail(String videoKey, String jobId, int attempt, Instant finishedAt, String reason) {
    Update update =
        new Update("SET #status = :failed, finishedAt = :finishedAt, reason = :reason, " + Tables.TTL + " = :expiresAt")
            .value(":expiresAt", expiry(finishedAt))
            .value(":failed", s(VideoStatus.FAILED.name()))
            .value(":finishedAt", n(finishedAt.toEpochMilli()))
            .value(":reason", s(reason))
            .remove(Videos.LEASE_UNTIL);
    return applyReturning(videoKey, holdingClaim(update, jobId, attempt));
  }

  /**
   * Notes that the video's completion event is published; false if it was noted already. Only
   * a finished video is announced.
   */
  public boolean markAnnounced(String videoKey, String jobId, Instant now) {
    Update update = new Update("SET " + Videos.ANNOUNCED_AT + " = :now")
        .name("#status", Videos.STATUS)
        .value(":now", n(now.toEpochMilli()))
        .value(":jobId", s(jobId))
        .value(":done", s(VideoStatus.DONE.name()))
        .value(":failed", s(VideoStatus.FAILED.name()))
        .condition("jobId = :jobId AND #status IN (:done, :failed) AND attribute_not_exists(" + Videos.ANNOUNCED_AT + ")");
    return apply(videoKey, update);
  }

  /** PROCESSING → QUEUED after a transient failure, so the retry can claim at once. */
  public boolean release(String videoKey, String jobId, int attempt, String reason) {
    Update update =
        new Update("SET #status = :queued, reason = :reason")
            .value(":queued", s(VideoStatus.QUEUED.name()))
            .value(":reason", s(reason))
            .remove(Videos.LEASE_UNTIL);
    return apply(videoKey, holdingClaim(update, jobId, attempt));
  }

  /** Marks the job's video DEAD_LETTERED with the reason, unless someone is working on it. */
  public boolean markDeadLettered(String videoKey, String jobId, String reason, Instant now) {
    Update update =
        new Update("SET #status = :deadLettered, reason = :reason, " + Tables.TTL + " = :expiresAt")
            .value(":expiresAt", expiry(now))
            .name("#status", Videos.STATUS)
            .value(":deadLettered", s(VideoStatus.DEAD_LETTERED.name()))
            .value(":reason", s(reason))
            .value(":queued", s(VideoStatus.QUEUED.name()))
            .value(":processing", s(VideoStatus.PROCESSING.name()))
            .value(":now", n(now.toEpochMilli()))
            .value(":jobId", s(jobId))
            .remove(Videos.LEASE_UNTIL)
            .condition("jobId = :jobId AND (" + CLAIMABLE + ")");
    return apply(videoKey, update);
  }

  /**
   * Notes what became of the upload of a video that will never be processed (REJECTED, ORPHANED
   * or FAILED); false if it was noted already or the video is in another state.
   */
  public boolean markInputDisposed(String videoKey, InputDisposal.Result result) {
    Update update = new Update("SET " + Videos.INPUT_DISPOSITION + " = :disposition")
        .name("#status", Videos.STATUS)
        .value(":disposition", s(result.disposition().name()))
        .value(":rejected", s(VideoStatus.REJECTED.name()))
        .value(":orphaned", s(VideoStatus.ORPHANED.name()))
        .value(":failed", s(VideoStatus.FAILED.name()))
        .condition("#status IN (:rejected, :orphaned, :failed) AND attribute_not_exists(" + Videos.INPUT_DISPOSITION + ")");
    if (result.quarantineKey() != null) {
      update.set(Videos.QUARANTINE_KEY + " = :quarantineKey").value(":quarantineKey", s(result.quarantineKey()));
    }
    return apply(videoKey, update);
  }

  static AttributeValue outputs(java.util.List<ProcessedOutput> outputs) {
    return AttributeValue.fromL(outputs.stream().map(o -> {
      Map<String, AttributeValue> item = new LinkedHashMap<>();
      o.toMap().forEach((name, value) -> item.put(name,
          value instanceof Number number ? n(number.longValue()) : s(value.toString())));
      return AttributeValue.fromM(item);
    }).toList());
  }

  private static Update holdingClaim(Update update, String jobId, int attempt) {
    return update
        .name("#status", Videos.STATUS)
        .value(":processing", s(VideoStatus.PROCESSING.name()))
        .value(":jobId", s(jobId))
        .value(":attempt", n(attempt))
        .condition("#status = :processing AND jobId = :jobId AND attempts = :attempt");
  }

  /** A new item, unless one with its key exists: false then. */
  private boolean putIfAbsent(Map<String, AttributeValue> item) {
    try {
      dynamoDb.putItem(
          b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(" + Videos.KEY + ")"));
      return true;
    } catch (ConditionalCheckFailedException e) {
      return false;
    }
  }

  /** The update, returning the whole record after it; empty when its condition failed. */
  private Optional<Video> applyReturning(String videoKey, Update update) {
    try {
      return Optional.of(Video.from(
          dynamoDb.updateItem(update.request(table, key(videoKey)).returnValues(ReturnValue.ALL_NEW).build()).attributes()));
    } catch (ConditionalCheckFailedException e) {
      return Optional.empty();
    }
  }

  private boolean apply(String videoKey, Update update) {
    try {
      dynamoDb.updateItem(update.request(table, key(videoKey)).build());
      return true;
    } catch (ConditionalCheckFailedException e) {
      return false;
    }
  }

  private static Map<String, AttributeValue> key(String videoKey) {
    return Map.of(Videos.KEY, s(videoKey));
  }

  static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }

  static AttributeValue n(long value) {
    return AttributeValue.fromN(Long.toString(value));
  }

  /** A small builder for one UpdateItem: SET clauses, REMOVE names, a condition, placeholders. */
  private static final class Update {
    private final StringBuilder set;
    private final StringBuilder remove = new StringBuilder();
    private final Map<String, String> names = new HashMap<>();
    private final Map<String, AttributeValue> values = new HashMap<>();
    private String condition;

    Update(String setClause) {
      this.set = new StringBuilder(setClause);
    }

    Update set(String assignment) {
      set.append(", ").append(assignment);
      return this;
    }

    Update remove(String... attributes) {
      for (String attribute : attributes) {
        remove.append(remove.isEmpty() ? " REMOVE " : ", ").append(attribute);
      }
      return this;
    }

    Update name(String placeholder, String name) {
      names.put(placeholder, name);
      return this;
    }

    Update value(String placeholder, AttributeValue value) {
      values.put(placeholder, value);
      return this;
    }

    Update condition(String expression) {
      this.condition = expression;
      return this;
    }

    UpdateItemRequest.Builder request(String table, Map<String, AttributeValue> key) {
      UpdateItemRequest.Builder builder =
          UpdateItemRequest.builder()
              .tableName(table)
              .key(key)
              .updateExpression(set.toString() + remove)
              .conditionExpression(condition)
              .expressionAttributeValues(values);
      if (!names.isEmpty()) {
        builder.expressionAttributeNames(names);
      }
      return builder;
    }
  }
}
