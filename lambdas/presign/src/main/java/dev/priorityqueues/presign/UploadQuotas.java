package dev.priorityqueues.presign;

import dev.priorityqueues.common.http.ApiError;
import dev.priorityqueues.contract.Keys;
import dev.priorityqueues.contract.Tables;
import dev.priorityqueues.contract.Tables.Quotas;
import dev.priorityqueues.contract.Tables.Videos;
import dev.priorityqueues.contract.VideoStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * Per-user quotas, enforced by DynamoDB's atomic conditional updates so that concurrent requests
 * can never pass a limit together:
 *
 * <ul>
 *   <li><b>Uploads in flight.</b> {@code inflight#<user>} holds the set of the user's video keys
 *       in flight; a new upload is {@code ADD}ed only if the set is smaller than the limit. A
 *       slot is freed when its video is no longer in flight, decided from the video's own record
 *       at the moment it matters (the user is at the limit): finished (DONE, FAILED, REJECTED,
 *       ORPHANED), out of the queues (DEAD_LETTERED), gone, or PENDING_UPLOAD whose URL expired
 *       (plus a grace for an upload still in transit). No function has to remember to give a
 *       slot back, so none can leak one: an upload that never comes, a crashed worker or a
 *       purged DLQ all end with the record saying so.
 *   <li><b>Bytes per UTC day.</b> {@code bytes#<user>#<day>} is {@code ADD}ed the declared size
 *       only while the sum stays within the limit; it expires (TTL) the day after its window.
 * </ul>
 *
 * Over a quota the request is refused with 429 and a {@code Retry-After} in seconds.
 */
final class UploadQuotas {

  /** An upload that started just before its URL expired may still be arriving. */
  static final Duration UPLOAD_GRACE = Duration.ofMinutes(15);

  /** The in-flight set outlives any job (SQS keeps a message at most 14 days); then it goes. */
  static final Duration IN_FLIGHT_TTL = Duration.ofDays(15);

  /** Retry-After when no slot has a known end (every slot is queued or processing). */
  static final Duration BUSY_RETRY = Duration.ofMinutes(1);

  private static final Set<VideoStatus> FINISHED = Set.of(VideoStatus.DONE, VideoStatus.FAILED, VideoStatus.REJECTED,
      VideoStatus.ORPHANED, VideoStatus.DEAD_LETTERED);

  private final DynamoDbClient dynamoDb;
  private final String quotasTable;
  private final String videosTable;
  private final int maxInFlight;
  private final long maxBytesPerDay;
  private final Duration urlExpiry;

  UploadQuotas(DynamoDbClient dynamoDb, String quotasTable, String videosTable, int maxInFlight, long maxBytesPerDay,
      Duration urlExpiry) {
    this.dynamoDb = Objects.requireNonNull(dynamoDb, "dynamoDb");
    this.quotasTable = Objects.requireNonNull(quotasTable, "quotasTable");
    this.videosTable = Objects.requireNonNull(videosTable, "videosTable");
    this.maxInFlight = maxInFlight;
    this.maxBytesPerDay = maxBytesPerDay;
    this.urlExpiry = urlExpiry;
  }

  /**
   * Takes an in-flight slot for {@code videoKey} (whose PENDING_UPLOAD record exists already)
   * and {@code bytes} of the day's quota, or throws a 429 {@link ApiError} having taken neither.
   */
  void admit(String user, String videoKey, long bytes, Instant now) {
    if (!takeSlot(user, videoKey, now)) {
      Duration retry = freeFinishedSlots(user, now);
      if (!takeSlot(user, videoKey, now)) {
        throw tooMany("you have " + maxInFlight + " uploads in flight, the most allowed; wait until one finishes", retry);
      }
    }
    try {
      if (!addBytes(user, bytes, now)) {
        Instant windowEnd = dayOf(now).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        throw tooMany("the upload of " + bytes + " bytes would take you over your " + maxBytesPerDay
            + " bytes for today (UTC); the quota renews at " + windowEnd, Duration.between(now, windowEnd));
      }
    } catch (RuntimeException e) {
      releaseSlots(user, List.of(videoKey));
      throw e;
    }
  }

  /** Warms the client without writing: a read of a key no user has. */
  void prime() {
    dynamoDb.getItem(b -> b.tableName(quotasTable).key(Map.of(Quotas.KEY, s(Quotas.inFlightKey(Keys.PRIME)))));
  }

  private boolean takeSlot(String user, String videoKey, Instant now) {
    try {
      dynamoDb.updateItem(b -> b.tableName(quotasTable)
          .key(Map.of(Quotas.KEY, s(inFlightKey(user))))
          .updateExpression("ADD #slots :slot SET #ttl = :ttl")
          .conditionExpression("attribute_not_exists(#slots) OR size(#slots) < :max")
          .expressionAttributeNames(Map.of("#slots", Quotas.SLOTS, "#ttl", Tables.TTL))
          .expressionAttributeValues(Map.of(
              ":slot", AttributeValue.fromSs(List.of(videoKey)),
              ":ttl", n(now.plus(IN_FLIGHT_TTL).getEpochSecond()),
              ":max", n(maxInFlight)))
          .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.NONE));
      return true;
    } catch (ConditionalCheckFailedException e) {
      return false;
    }
  }

  private boolean addBytes(String user, long bytes, Instant now) {
    LocalDate day = dayOf(now);
    long expires = day.plusDays(2).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
    try {
      dynamoDb.updateItem(b -> b.tableName(quotasTable)
          .key(Map.of(Quotas.KEY, s(Quotas.bytesKey(user, day))))
          .updateExpression("ADD #bytes :bytes SET #ttl = :ttl")
          .conditionExpression("attribute_not_exists(#bytes) OR #bytes <= :room")
          .expressionAttributeNames(Map.of("#bytes", Quotas.BYTES, "#ttl", Tables.TTL))
          .expressionAttributeValues(Map.of(
              ":bytes", n(bytes),
              ":ttl", n(expires),
              ":room", n(maxBytesPerDay - bytes))));
      return true;
    } catch (ConditionalCheckFailedException e) {
      return false;
    }
  }

  /**
   * Reads the user's slots and their videos, frees the slots of videos no longer in flight, and
   * says when a slot will free itself at the latest known (a pending URL's end), for Retry-After.
   */
  private Duration freeFinishedSlots(String user, Instant now) {
    Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(quotasTable)
        .key(Map.of(Quotas.KEY, s(inFlightKey(user)))).consistentRead(true)).item();
    AttributeValue slots = item == null ? null : item.get(Quotas.SLOTS);
    if (slots == null || !slots.hasSs() || slots.ss().isEmpty()) {
      return BUSY_RETRY;
    }
    Map<String, Map<String, AttributeValue>> records = records(slots.ss());
    List<String> finished = new ArrayList<>();
    Duration soonest = null;
    for (String key : slots.ss()) {
      Map<String, AttributeValue> record = records.get(key);
      VideoStatus status = record == null ? null : VideoStatus.valueOf(record.get(Videos.STATUS).s());
      if (record == null || FINISHED.contains(status)) {
        finished.add(key);
      } else if (status == VideoStatus.PENDING_UPLOAD) {
        Instant abandonedAt = Instant.ofEpochMilli(Long.parseLong(record.get(Videos.CREATED_AT).n()))
            .plus(urlExpiry).plus(UPLOAD_GRACE);
        if (!abandonedAt.isAfter(now)) {
          finished.add(key);
        } else if (soonest == null || Duration.between(now, abandonedAt).compareTo(soonest) < 0) {
          soonest = Duration.between(now, abandonedAt);
        }
      }
    }
    releaseSlots(user, finished);
    return soonest == null ? BUSY_RETRY : soonest;
  }

  /** The videos of {@code keys} (at most 100: one BatchGetItem), strongly consistent, by key. */
  private Map<String, Map<String, AttributeValue>> records(List<String> keys) {
    Map<String, Map<String, AttributeValue>> found = new HashMap<>();
    Map<String, KeysAndAttributes> request = Map.of(videosTable, KeysAndAttributes.builder()
        .keys(keys.stream().map(k -> Map.of(Videos.KEY, s(k))).toList())
        .consistentRead(true)
        .projectionExpression("#key, #status, #created")
        .expressionAttributeNames(Map.of("#key", Videos.KEY, "#status", Videos.STATUS, "#created", Videos.CREATED_AT))
        .build());
    for (int round = 0; round < 5 && !request.isEmpty(); round++) {
      Map<String, KeysAndAttributes> unread = request;
      var response = dynamoDb.batchGetItem(b -> b.requestItems(unread));
      response.responses().getOrDefault(videosTable, List.of())
          .forEach(record -> found.put(record.get(Videos.KEY).s(), record));
      request = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
    }
    if (!request.isEmpty()) {
      throw new IllegalStateException("DynamoDB left keys unread after 5 rounds while checking the quota of in-flight uploads");
    }
    return found;
  }

  private void releaseSlots(String user, List<String> videoKeys) {
    if (videoKeys.isEmpty()) {
      return;
    }
    dynamoDb.updateItem(b -> b.tableName(quotasTable)
        .key(Map.of(Quotas.KEY, s(inFlightKey(user))))
        .updateExpression("DELETE #slots :done")
        .expressionAttributeNames(Map.of("#slots", Quotas.SLOTS))
        .expressionAttributeValues(Map.of(":done", AttributeValue.fromSs(videoKeys))));
  }

  private static ApiError tooMany(String message, Duration retryAfter) {
    long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    return new ApiError(429, "quota_exceeded", message, Map.of("Retry-After", Long.toString(seconds)));
  }

  private static String inFlightKey(String user) {
    return Quotas.inFlightKey(user);
  }

  private static LocalDate dayOf(Instant now) {
    return LocalDate.ofInstant(now, ZoneOffset.UTC);
  }

  private static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }

  private static AttributeValue n(long value) {
    return AttributeValue.fromN(Long.toString(value));
  }
}
