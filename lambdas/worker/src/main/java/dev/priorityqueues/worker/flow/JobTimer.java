package dev.priorityqueues.worker.flow;

/**
 * How long a job takes, as an exponentially weighted moving average of the jobs this execution
 * environment ran, so the worker never starts work that cannot finish before its deadline.
 */
public final class JobTimer {

  /** Weight of the newest job: recent jobs matter most, one outlier does not dominate. */
  static final double ALPHA = 0.3;

  private double expected;

  public JobTimer(long initialMillis) {
    this.expected = Math.max(0, initialMillis);
  }

  public synchronized long expectedMillis() {
    return Math.round(expected);
  }

  public synchronized void record(long millis) {
    expected = ALPHA * Math.max(0, millis) + (1 - ALPHA) * expected;
  }
}
