package dev.priorityqueues.worker.flow;

/** How one delivery ended, and whether its message is done with (deleted). */
public enum Outcome {
  /** Processed; the video is DONE. */
  DONE(true),
  /** Failed for good (not a video, ...); the video is FAILED. */
  FAILED(true),
  /** A redelivery of work already finished (or a job that is not this video's): no effect. */
  DUPLICATE(true),
  /** Moved to the tier's DLQ by the worker, with its reason. */
  DEAD_LETTERED(true),
  /** consumer-level: re-sent with a delay because a higher tier was busy. */
  DEFERRED(true),
  /** highest-first: a capacity token; it did its work by starting an invocation. */
  TOKEN(true),
  /** Left on the queue to be received again after a backoff. */
  RETRY(false);

  private final boolean acknowledged;

  Outcome(boolean acknowledged) {
    this.acknowledged = acknowledged;
  }

  /** True when the message must be deleted: nothing more will happen to it. */
  public boolean acknowledged() {
    return acknowledged;
  }
}
