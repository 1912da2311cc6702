package dev.priorityqueues.contract;

/** SQS message attributes the worker sets. */
public final class MessageAttributes {
  private MessageAttributes() {}

  /** consumer-level: how many times this job was deferred (re-sent) so far. */
  public static final String DEFERRALS = "pq-deferrals";

  /**
   * highest-first: marks a capacity token, a message with no job that a lower tier's invocation
   * sends to an idle higher tier's queue so that tier's mapping starts an invocation, which then
   * drains the tiers with work (docs/flows.md, "Lending idle capacity").
   */
  public static final String CAPACITY_TOKEN = "pq-capacity-token";

  /** Set on a message the worker dead-letters itself: why it failed. */
  public static final String FAILURE_REASON = "pq-failure-reason";

  /** Set on a message the worker dead-letters itself: its receive count on the source queue. */
  public static final String RECEIVE_COUNT = "pq-receive-count";

  /** Set on a message the worker dead-letters itself: the ARN of the queue it came from. */
  public static final String SOURCE_QUEUE_ARN = "pq-source-queue-arn";
}
