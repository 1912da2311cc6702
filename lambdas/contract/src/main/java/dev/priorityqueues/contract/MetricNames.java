package dev.priorityqueues.contract;

/**
 * CloudWatch metrics the functions publish through the embedded metric format (EMF log lines),
 * so the program can build alarms and dashboards on the same names. Every metric has the
 * dimensions {@link #FUNCTION} and {@link #TIER} (tier {@code none} when unknown); most are
 * counts, the two job times are values in milliseconds (one per job, so percentiles work).
 */
public final class MetricNames {
  private MetricNames() {}

  public static final String NAMESPACE = "PriorityQueues";

  /** Dimension: the function id (presign, router, worker). */
  public static final String FUNCTION = "Function";
  /** Dimension: the tier name, or {@code none}. */
  public static final String TIER = "Tier";

  /** router: an object arrived with no video record and was marked ORPHANED. */
  public static final String ORPHANS = "Orphans";
  /** router: an upload broke its declared or allowed size and was marked REJECTED. */
  public static final String REJECTS = "Rejects";
  /** router: a job was put on its tier queue. */
  public static final String JOBS_QUEUED = "JobsQueued";
  /** worker (consumer-level): a message was deferred because a higher tier was busy. */
  public static final String DEFERRALS = "Deferrals";
  /** worker (highest-first): a higher-tier job taken by an invocation of a lower tier. */
  public static final String STEALS = "Steals";
  /** worker (highest-first): a job taken after the invocation's own batch. */
  public static final String DRAINED = "Drained";
  /** worker (highest-first): capacity tokens sent to an idle higher tier's queue. */
  public static final String TOKENS_LENT = "TokensLent";
  /** worker (highest-first): invocations a capacity token started. */
  public static final String TOKEN_INVOCATIONS = "TokenInvocations";
  /** worker: a message the worker moved to its tier's DLQ itself. */
  public static final String DEAD_LETTERS = "DeadLetters";
  /** worker: a job finished (status DONE). */
  public static final String JOBS_DONE = "JobsDone";
  /** worker: a job failed for good (status FAILED). */
  public static final String JOBS_FAILED = "JobsFailed";
  /** worker: a job failed transiently and will be retried after a backoff. */
  public static final String RETRIES = "Retries";
  /** worker, milliseconds: from the router queueing a job to the worker claiming it. */
  public static final String QUEUE_WAIT = "JobQueueWait";
  /** worker, milliseconds: from the router queueing a job to the worker recording it DONE. */
  public static final String END_TO_END = "JobEndToEnd";
}
