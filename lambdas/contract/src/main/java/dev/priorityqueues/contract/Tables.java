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
    public static final String TIER = "tier";
    public static final String JOB_ID = "jobId";
    public static final String EVENT_ID = "eventId";
    public static final String CREATED_AT = "createdAt";
    public static final String QUEUED_AT = "queuedAt";
    public static final String SENT_AT = "sentAt";
    public static final String STARTED_AT = "startedAt";
    public static final String FINISHED_AT = "finishedAt";
    public static final String QUEUE_WAIT_MILLIS = "queueWaitMillis";
    public static final String LEASE_UNTIL = "leaseUntil";
    public static final String ATTEMPTS = "attempts";
    public static final String COMPLETIONS = "completions";
    public static final String REASON = "reason";
    public static final String RESULT_KEY = "resultKey";
    public static final String CONTAINER = "container";
    public static final String DURATION_MILLIS = "durationMillis";
    public static final String WIDTH = "width";
    public static final String HEIGHT = "height";
    /** What the worker made: a list of maps, see ProcessedOutput (kind, name, key, bytes, width, height, durationMillis). */
    public static final String OUTPUTS = "outputs";
    /** When the worker published the video's completion event; set once. */
    public static final String ANNOUNCED_AT = "announcedAt";
  }

  /** The users table: one item per user id. */
  public static final class Users {
    private Users() {}

    public static final String KEY = "userId";
    public static final String SUBSCRIPTION = "subscription";
  }
}
