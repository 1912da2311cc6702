package dev.priorityqueues.contract;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The job the router puts on a tier queue: which video, whose, which tier, and when it was
 * enqueued. The body is JSON with a version, so the format can evolve without guessing.
 *
 * <p>{@code versionId} and {@code eTag} pin the exact object the router admitted (from S3's
 * event): the worker reads that version, so bytes written to the key later never reach the job.
 * Either may be null (a bucket without versioning has no version id).
 */
public record Job(
    String jobId, String bucket, String videoKey, String userId, String tier, Instant enqueuedAt,
    String versionId, String eTag) {

  /** A job for whatever object the key holds now: tests and tools that write their own objects. */
  public Job(String jobId, String bucket, String videoKey, String userId, String tier, Instant enqueuedAt) {
    this(jobId, bucket, videoKey, userId, tier, enqueuedAt, null, null);
  }

  public static final int VERSION = 1;

  /** SQS accepts up to 1 MiB; a job is a few hundred bytes, so anything large is not a job. */
  public static final int MAX_BODY_CHARS = 8 * 1024;

  public Job {
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(videoKey, "videoKey");
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(tier, "tier");
    Objects.requireNonNull(enqueuedAt, "enqueuedAt");
  }

  public String toJson() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("version", VERSION);
    body.put("jobId", jobId);
    body.put("bucket", bucket);
    body.put("videoKey", videoKey);
    body.put("userId", userId);
    body.put("tier", tier);
    body.put("enqueuedAt", enqueuedAt.toString());
    if (versionId != null) {
      body.put("versionId", versionId);
    }
    if (eTag != null) {
      body.put("eTag", eTag);
    }
    return Json.write(body);
  }

  /** Parses a message body, or throws a {@link ContractException} that says what is wrong. */
  public static Job fromJson(String body) {
    String what = "job message";
    if (body != null && body.length() > MAX_BODY_CHARS) {
      throw new ContractException(what + " is " + body.length() + " characters; a job is at most " + MAX_BODY_CHARS);
    }
    Map<String, Object> json = Json.parseObject(what, body);
    long version = Json.integer(json, "version", what, 1, Integer.MAX_VALUE);
    if (version != VERSION) {
      throw new ContractException(what + " has version " + version + "; this worker reads version " + VERSION);
    }
    String videoKey = Json.string(json, "videoKey", what);
    if (!videoKey.startsWith(Keys.UPLOADS_PREFIX)) {
      throw new ContractException(what + " videoKey '" + videoKey + "' is not under " + Keys.UPLOADS_PREFIX);
    }
    String enqueuedAt = Json.string(json, "enqueuedAt", what);
    Instant at;
    try {
      at = Instant.parse(enqueuedAt);
    } catch (DateTimeParseException e) {
      throw new ContractException(what + " enqueuedAt '" + enqueuedAt + "' is not an ISO-8601 instant");
    }
    return new Job(
        Json.string(json, "jobId", what),
        Json.string(json, "bucket", what),
        videoKey,
        Json.string(json, "userId", what),
        Json.string(json, "tier", what),
        at,
        optionalString(json, "versionId", what),
        optionalString(json, "eTag", what));
  }

  private static String optionalString(Map<String, Object> json, String field, String what) {
    return json.get(field) == null ? null : Json.string(json, field, what);
  }
}
