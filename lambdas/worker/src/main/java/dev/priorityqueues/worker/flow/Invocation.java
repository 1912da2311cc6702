package dev.priorityqueues.worker.flow;

import dev.priorityqueues.common.Log;
import dev.priorityqueues.common.Metrics;
import java.util.function.LongSupplier;

/** One invocation's log, metric counts and deadline. */
public final class Invocation {

  /**
   * Time kept back at the end of every invocation: the last job's status write, the deletes of
   * received messages and the response must fit after the last job finishes.
   */
  public static final long SAFETY_MARGIN_MILLIS = 1_500;

  private final Log log;
  private final Metrics.Recorder metrics;
  private final LongSupplier remainingMillis;

  public Invocation(Log log, Metrics.Recorder metrics, LongSupplier remainingMillis) {
    this.log = log;
    this.metrics = metrics;
    this.remainingMillis = remainingMillis;
  }

  public Log log() {
    return log;
  }

  public Metrics.Recorder metrics() {
    return metrics;
  }

  /** What Lambda's context says is left of this invocation. */
  public long remainingMillis() {
    return remainingMillis.getAsLong();
  }

  /** True when work expected to take {@code millis} finishes before the deadline, with margin. */
  public boolean canStart(long millis) {
    return remainingMillis() - SAFETY_MARGIN_MILLIS >= millis;
  }
}
