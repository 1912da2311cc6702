package dev.priorityqueues.contract;

/** Attribute names of the two DynamoDB tables. Both tables use {@link #TTL} for expiry. */
public final class Tables {
  private Tables() {}

  /** TTL attribute of both tables: epoch seconds. */
  public static final String TTL = "expiresAt";

  /** The videos table: one item per object key. */
  public static final class Videos {
    private Videos() {}

    public static final String KEY = "videoKey";
    public static final String USER_ID = "userId";
    public static final String STATUS = "status";
    public static final String CONTENT_TYPE = "contentType";
    /** The file name the client declared; metadata only, never part of the key. */
    public static final String FILE_NAME = "fileName";
    public static final String DECLARED_BYTES = "declaredBytes";
    public static final String UPLOADED_BYTES = "uploadedBytes";
    /** The S3 version id and ETag of the object the router admitted; the worker reads exactly it. */
    public static final String VERSION_ID = "versionId";
    public static final String ETAG = "eTag";
    public static final String TIER = "tier";
    public static final String JOB_ID = "jobId";
    public static final String EVENT_ID = "eventId";
    public static final String CREATED_AT = "createdAt";
    public static final String QUEUED_AT = "queuedAt";
    public static final String SENT_AT = "sentAt";
    /** The router's send claim: who may send the job ({@link #SEND_CLAIM}) and until when. */
    public static final String SEND_CLAIM = "sendClaim";
    public static final String SEND_LEASE_UNTIL = "sendLeaseUntil";
    public static final String STARTED_AT = "startedAt";
    public static final String FINISHED_AT = "finishedAt";
    public static final String QUEUE_WAIT_MILLIS = "queueWaitMillis";
    public static final String LEASE_UNTIL = "leaseUntil";
    public static final String ATTEMPTS = "attempts";
    public static final String COMPLETIONS = "completions";
    public static final String REASON = "reason";
    /**
     * What became of the upload of a REJECTED, ORPHANED or FAILED video: {@code DELETED},
     * {@code QUARANTINED} (then {@link #QUARANTINE_KEY} says where) or {@code GONE} (it was no
     * longer there).
     */
    public static final String INPUT_DISPOSITION = "inputDisposition";
    public static final String QUARANTINE_KEY = "quarantineKey";
    public static final String RESULT_KEY = "resultKey";
    public static final String CONTAINER = "container";
    public static final String DURATION_MILLIS = "durationMillis";
    public static final String WIDTH = "width";
    public static final String HEIGHT = "height";
    /**
     * What processing produced: a list of maps {kind: rendition|thumbnail, name, key, bytes,
     * width, height, durationMillis}; absent for a video with only {@link #RESULT_KEY}.
     */
    public static final String OUTPUTS = "outputs";

    /**
     * The index of a user's videos, newest first: hash {@link #USER_ID}, range
     * {@link #CREATED_AT} (epoch ms), every attribute projected. Records without a user (an
     * orphaned object of an unknown key) are not in it.
     */
    public static final String BY_USER_INDEX = "byUserAndTime";
    /** When the worker published the video's completion event; set once. */
    public static final String ANNOUNCED_AT = "announcedAt";
  }

  /**
   * The quotas table: per-user counters presign keeps. {@code inflight#<userId>} holds
   * {@link #SLOTS}, the string set of the user's video keys in flight; {@code bytes#<userId>#<day>}
   * holds {@link #BYTES}, the bytes declared that UTC day. Both carry {@link Tables#TTL}, so a
   * window's counter goes with its window.
   */
  public static final class Quotas {
    private Quotas() {}

    public static final String KEY = "quotaKey";
    public static final String SLOTS = "slots";
    public static final String BYTES = "bytes";

    /** The key of a user's in-flight set. */
    public static String inFlightKey(String userId) {
      return "inflight#" + userId;
    }

    /** The key of a user's bytes on one UTC day ({@code yyyy-MM-dd}). */
    public static String bytesKey(String userId, java.time.LocalDate day) {
      return "bytes#" + userId + "#" + day;
    }
  }

  /** The users table: one item per user id. */
  public static final class Users {
    private Users() {}

    public static final String KEY = "userId";
    public static final String SUBSCRIPTION = "subscription";
  }
}
