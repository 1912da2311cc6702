package dev.priorityqueues.contract;

/**
 * The events the worker publishes to EventBridge when a video ends DONE or FAILED, for the next
 * steps of the pipeline. The stack exports the source and detail types, so consumers' rules
 * never copy strings by hand.
 */
public final class CompletionEvents {
  private CompletionEvents() {}

  public static final String SOURCE = "priority-queues";
  public static final String PROCESSED = "Video Processed";
  public static final String FAILED = "Video Failed";

  /** EventBridge's name for the account's default bus. */
  public static final String DEFAULT_BUS = "default";
}
