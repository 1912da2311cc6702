package dev.priorityqueues.contract;

/**
 * Names of the environment variables the program sets on each function. In AWS they are the
 * function's environment; locally the same names arrive through each handler's injectable
 * configuration map. Handlers read them once, at construction, through {@link EnvReader}.
 */
public final class FunctionEnv {
  private FunctionEnv() {}

  // Shared by every function.
  /** The tier table as JSON, highest priority first: see {@link TierTable}. */
  public static final String TIERS = "PQ_TIERS";
  /** The tier for unknown users and subscriptions. */
  public static final String DEFAULT_TIER = "PQ_DEFAULT_TIER";
  /** DynamoDB table of videos, keyed by object key. */
  public static final String VIDEOS_TABLE = "PQ_VIDEOS_TABLE";
  /** DynamoDB table of users, keyed by user id, holding each user's subscription. */
  public static final String USERS_TABLE = "PQ_USERS_TABLE";
  /** The upload bucket. */
  public static final String BUCKET = "PQ_BUCKET";
  /**
   * {@code <recordRetentionDays>,<rejectedInputs>,<logUserIds>} ({@link PrivacyEnv}): how long a
   * video record lives after its last status change, what becomes of an upload that is REJECTED,
   * ORPHANED or FAILED ({@link RejectedInputs}), and how the logs write user ids
   * ({@link UserPseudonyms}; hashed when unset). Required by the router and the worker.
   */
  public static final String PRIVACY = "PQ_PRIVACY";

  // Presign.
  /** Largest upload accepted, in bytes. */
  public static final String UPLOAD_MAX_BYTES = "PQ_UPLOAD_MAX_BYTES";
  /** Comma-separated content types a client may upload. */
  public static final String UPLOAD_CONTENT_TYPES = "PQ_UPLOAD_CONTENT_TYPES";
  /**
   * Comma-separated OAuth scopes of which a token must carry one ({@link Scopes}): presign's are
   * jwtScopes, the status function's statusJwtScopes.
   */
  public static final String JWT_SCOPES = "PQ_JWT_SCOPES";
  /** Lifetime of a presigned URL, in seconds (at most {@link UploadLimits#MAX_UPLOAD_URL_SECONDS}). */
  public static final String UPLOAD_URL_EXPIRY_SECONDS = "PQ_UPLOAD_URL_EXPIRY_SECONDS";
  /** How long a PENDING_UPLOAD record lives before DynamoDB's TTL removes it, in seconds. */
  public static final String PENDING_UPLOAD_TTL_SECONDS = "PQ_PENDING_UPLOAD_TTL_SECONDS";
  /** DynamoDB table of per-user quota counters ({@link Tables.Quotas}). */
  public static final String QUOTAS_TABLE = "PQ_QUOTAS_TABLE";
  /** Most uploads one user may have in flight (presigned and not yet finished). */
  public static final String QUOTA_UPLOADS_IN_FLIGHT = "PQ_QUOTA_UPLOADS_IN_FLIGHT";
  /** Most bytes one user may declare for upload per UTC day. */
  public static final String QUOTA_BYTES_PER_DAY = "PQ_QUOTA_BYTES_PER_DAY";

  // Router.
  /**
   * {@code true} (default): jobs carry the uploader as their {@code MessageGroupId}, which makes a
   * standard queue an SQS fair queue with one tenant per user.
   */
  public static final String FAIR_QUEUES = "PQ_FAIR_QUEUES";

  // Worker.
  /** The priority flow: see {@link Flow}. */
  public static final String FLOW = "PQ_FLOW";
  /** highest-first: most higher-tier jobs taken before each message of the worker's own batch. */
  public static final String STEAL_BUDGET = "PQ_STEAL_BUDGET";
  /** highest-first: capacity tokens lent to an idle higher tier (0 = off). */
  public static final String LEND_TOKENS = "PQ_LEND_TOKENS";
  /** highest-first: after its own batch, keep taking work, highest tier first, while time allows. */
  public static final String DRAIN = "PQ_DRAIN";
  /** consumer-level: how many times one message may be deferred before it is processed anyway. */
  public static final String MAX_DEFERRALS = "PQ_MAX_DEFERRALS";
  /** consumer-level: the delay, in seconds, of a deferred message's re-send. */
  public static final String DEFER_DELAY_SECONDS = "PQ_DEFER_DELAY_SECONDS";
  /**
   * How long one reading of a higher tier's backlog is reused, in milliseconds: consumer-level's
   * ApproximateNumberOfMessages, and highest-first's empty receive (a tier a steal found empty is
   * not polled again by steals for this long).
   */
  public static final String BACKLOG_CACHE_MILLIS = "PQ_BACKLOG_CACHE_MILLIS";
  /** consumer-level: a higher tier counts as busy for this long after any reading above zero. */
  public static final String BACKLOG_HOLD_MILLIS = "PQ_BACKLOG_HOLD_MILLIS";
  /** Base of the exponential retry backoff for a failed job, in seconds. */
  public static final String RETRY_BACKOFF_SECONDS = "PQ_RETRY_BACKOFF_SECONDS";
  /**
   * The video processor: {@code transcode} (default) makes renditions, a watermark and a
   * thumbnail with FFmpeg; {@code inspect} parses the container and writes a result object;
   * {@code simulated:<millis>} only holds the worker for that long, for benchmarks.
   */
  public static final String PROCESSOR = "PQ_PROCESSOR";
  /** transcode: the ffmpeg binary; {@link Transcoding#LAMBDA_FFMPEG} (the layer's) when unset. */
  public static final String FFMPEG = "PQ_FFMPEG";
  /** transcode: the rendition heights, comma-separated (see {@link Transcoding#parseRenditions}). */
  public static final String RENDITIONS = "PQ_RENDITIONS";
  /** transcode: the watermark's corner, or none. */
  public static final String WATERMARK_CORNER = "PQ_WATERMARK_CORNER";
  /** transcode: where in the video the thumbnail is taken, in milliseconds. */
  public static final String THUMBNAIL_OFFSET_MILLIS = "PQ_THUMBNAIL_OFFSET_MILLIS";
  /** transcode: seconds of video one vCPU processes per second (the time budget's speed factor). */
  public static final String TRANSCODE_SPEED = "PQ_TRANSCODE_SPEED";
  /** The worker's own timeout in seconds, so the time budget knows what a fresh invocation has. */
  public static final String WORKER_TIMEOUT_SECONDS = "PQ_WORKER_TIMEOUT_SECONDS";
  /** transcode: the scratch directory for one job; /tmp when unset. */
  public static final String SCRATCH_DIR = "PQ_SCRATCH_DIR";
  /** The EventBridge bus (name or ARN) for completion events; the default bus when unset. */
  public static final String EVENT_BUS = "PQ_EVENT_BUS";
  /** Set by Lambda itself: the function's memory in MB, from which its vCPUs follow. */
  public static final String AWS_LAMBDA_FUNCTION_MEMORY_SIZE = "AWS_LAMBDA_FUNCTION_MEMORY_SIZE";

  // Standard AWS SDK variables the local cloud uses to point handlers at loopback.
  public static final String AWS_REGION = "AWS_REGION";
  public static final String AWS_ACCESS_KEY_ID = "AWS_ACCESS_KEY_ID";
  public static final String AWS_SECRET_ACCESS_KEY = "AWS_SECRET_ACCESS_KEY";
  public static final String AWS_ENDPOINT_URL_SQS = "AWS_ENDPOINT_URL_SQS";
  public static final String AWS_ENDPOINT_URL_DYNAMODB = "AWS_ENDPOINT_URL_DYNAMODB";
  public static final String AWS_ENDPOINT_URL_S3 = "AWS_ENDPOINT_URL_S3";
  public static final String AWS_ENDPOINT_URL_EVENTBRIDGE = "AWS_ENDPOINT_URL_EVENTBRIDGE";

  /**
   * Lambda's own log level variable (set by the function's logging config when the format is
   * JSON): TRACE, DEBUG, INFO, WARN, ERROR or FATAL. The functions' JSON logs honour it;
   * INFO when unset.
   */
  public static final String AWS_LAMBDA_LOG_LEVEL = "AWS_LAMBDA_LOG_LEVEL";
}
