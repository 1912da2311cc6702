package dev.priorityqueues.contract;

/**
 * Defaults and bounds of the flows' tuning, in one place: the program's config keys default to
 * these, and the worker falls back to them when a variable is unset.
 */
public final class FlowDefaults {
  private FlowDefaults() {}

  /** highest-first: higher-tier jobs taken before each message of the invocation's own batch. */
  public static final int STEAL_BUDGET = 3;

  public static final int STEAL_BUDGET_MAX = 100;

  /**
   * highest-first: capacity tokens an invocation sends to an idle higher tier's queue when it
   * finds a backlog below it; 0 turns lending off. At most 10, one SendMessageBatch. On by
   * default because it paid in every side-by-side run (docs/benchmarks/lending-16-slots.md and
   * priority-flows-at-scale.md): an idle mapping otherwise stays at its first 5 batches.
   */
  public static final int LEND_TOKENS = 2;

  public static final int LEND_TOKENS_MAX = 10;

  /** highest-first: keep taking work after the own batch while time allows. */
  public static final boolean DRAIN = true;

  /** consumer-level: deferrals of one message before it is processed anyway. */
  public static final int MAX_DEFERRALS = 3;

  public static final int MAX_DEFERRALS_MAX = 100;

  /** consumer-level: delay of a deferred message's re-send, in seconds (SQS allows up to 900). */
  public static final int DEFER_DELAY_SECONDS = 5;

  public static final int DEFER_DELAY_SECONDS_MAX = 900;

  /** How long one backlog reading (consumer-level) or one empty steal (highest-first) is reused, ms. */
  public static final int BACKLOG_CACHE_MILLIS = 1_000;

  public static final int BACKLOG_CACHE_MILLIS_MAX = 60_000;

  /** consumer-level: a higher tier counts as busy this long after any non-zero reading, ms. */
  public static final int BACKLOG_HOLD_MILLIS = 2_000;

  public static final int BACKLOG_HOLD_MILLIS_MAX = 600_000;

  /** Base of a failed job's exponential retry backoff, in seconds. */
  public static final int RETRY_BACKOFF_SECONDS = 2;

  public static final int RETRY_BACKOFF_SECONDS_MAX = 900;
}
