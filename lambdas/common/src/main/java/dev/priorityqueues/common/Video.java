package dev.priorityqueues.common;

import dev.priorityqueues.contract.Tables.Videos;
import dev.priorityqueues.contract.VideoStatus;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One item of the videos table, as the functions read it. Times are stored as epoch
 * milliseconds (numbers, so conditions can compare them); {@code expiresAt} is epoch seconds
 * because DynamoDB's TTL reads it.
 */
public record Video(
    String videoKey,
    VideoStatus status,
    String userId,
    String contentType,
    Long declaredBytes,
    Long uploadedBytes,
    String tier,
    String jobId,
    Instant queuedAt,
    Instant sentAt,
    Instant sendLeaseUntil,
    Instant leaseUntil,
    int attempts,
    int completions,
    String reason,
    Long queueWaitMillis,
    Instant finishedAt,
    Instant announcedAt,
    java.util.List<ProcessedOutput> outputs,
    String versionId,
    String eTag,
    String inputDisposition) {

  static Video from(Map<String, AttributeValue> item) {
    String key = string(item, Videos.KEY);
    String status = string(item, Videos.STATUS);
    VideoStatus parsed;
    try {
      parsed = VideoStatus.valueOf(status);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalStateException("video " + key + " has an unknown status '" + status + "'", e);
    }
    return new Video(
        key,
        parsed,
        string(item, Videos.USER_ID),
        string(item, Videos.CONTENT_TYPE),
        number(item, Videos.DECLARED_BYTES),
        number(item, Videos.UPLOADED_BYTES),
        string(item, Videos.TIER),
        string(item, Videos.JOB_ID),
        instant(item, Videos.QUEUED_AT),
        instant(item, Videos.SENT_AT),
        instant(item, Videos.SEND_LEASE_UNTIL),
        instant(item, Videos.LEASE_UNTIL),
        intValue(item, Videos.ATTEMPTS),
        intValue(item, Videos.COMPLETIONS),
        string(item, Videos.REASON),
        number(item, Videos.QUEUE_WAIT_MILLIS),
        instant(item, Videos.FINISHED_AT),
        instant(item, Videos.ANNOUNCED_AT),
        outputs(item.get(Videos.OUTPUTS)),
        string(item, Videos.VERSION_ID),
        string(item, Videos.ETAG),
        string(item, Videos.INPUT_DISPOSITION));
  }

  private static java.util.List<ProcessedOutput> outputs(AttributeValue value) {
    if (value == null || !value.hasL()) {
      return java.util.List.of();
    }
    return value.l().stream().map(AttributeValue::m).map(m -> new ProcessedOutput(
        m.get("kind").s(), m.get("name").s(), m.get("key").s(), Long.parseLong(m.get("bytes").n()),
        Integer.parseInt(m.get("width").n()), Integer.parseInt(m.get("height").n()),
        Long.parseLong(m.get("durationMillis").n()))).toList();
  }

  /** The job is on its queue: the router finished with this video. */
  public boolean sent() {
    return sentAt != null;
  }

  /** A router invocation holds the claim to send the job (it may be sending it right now). */
  public boolean sendClaimedAt(Instant now) {
    return sendLeaseUntil != null && !sendLeaseUntil.isBefore(now);
  }

  private static String string(Map<String, AttributeValue> item, String name) {
    AttributeValue value = item.get(name);
    return value == null ? null : value.s();
  }

  private static Long number(Map<String, AttributeValue> item, String name) {
    AttributeValue value = item.get(name);
    return value == null || value.n() == null ? null : Long.valueOf(value.n());
  }

  private static int intValue(Map<String, AttributeValue> item, String name) {
    Long value = number(item, name);
    return value == null ? 0 : value.intValue();
  }

  private static Instant instant(Map<String, AttributeValue> item, String name) {
    Long value = number(item, name);
    return value == null ? null : Instant.ofEpochMilli(value);
  }
}
