package dev.priorityqueues.local.sqs;

import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * How many concurrent batches an SQS event source mapping may run, over time, as Lambda scales it
 * (docs/local-cloud.md gives the source of each number).
 *
 * <ul>
 *   <li><b>On demand</b>: 5 concurrent batches when messages appear; up to 300 more per minute
 *       while messages remain; never above {@code maximumConcurrency}, or 1,250 per mapping.
 *   <li><b>Provisioned</b> ({@code provisionedPollerConfig}): the minimum pollers are always there,
 *       each running up to 10 concurrent invokes; up to 1,000 more concurrency per minute, to the
 *       maximum pollers × 10.
 * </ul>
 *
 * <p>Both scale down when the queue is idle: each empty long poll retires one unit of concurrency,
 * down to the starting level. AWS does not publish its scale-down rate; this is the local model's.
 *
 * <p>Time comes from an injectable clock in nanoseconds of <em>AWS time</em>, so a test can step
 * it, and a time-scaled benchmark can run the ramp faster by the same factor as its jobs.
 */
public final class MappingScaling {

  public static final int ON_DEMAND_START = 5;
  public static final int ON_DEMAND_PER_MINUTE = 300;
  public static final int ON_DEMAND_MAXIMUM = 1_250;
  public static final int INVOKES_PER_POLLER = 10;
  public static final int PROVISIONED_PER_MINUTE = 1_000;

  private static final long NANOS_PER_MINUTE = 60_000_000_000L;

  private final int start;
  private final int ceiling;
  private final int perMinute;
  private final LongSupplier clock;
  private int level;
  /** Growth earned but not yet a whole unit, in nanoseconds × units per minute (exact, no rounding drift). */
  private long credit;
  private long lastNanos;
  private boolean backlog;

  private MappingScaling(int start, int ceiling, int perMinute, LongSupplier clock) {
    this.ceiling = ceiling;
    this.start = Math.min(start, ceiling);
    this.perMinute = perMinute;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.level = this.start;
    this.lastNanos = clock.getAsLong();
  }

  /**
   * On-demand scaling, capped by {@code maximumConcurrency} if set and by {@code limit} (what the
   * function can run: the local cloud never lets a mapping hold messages it cannot invoke).
   */
  public static MappingScaling onDemand(Integer maximumConcurrency, int limit, LongSupplier clock) {
    int cap = Math.min(ON_DEMAND_MAXIMUM, limit);
    if (maximumConcurrency != null) {
      cap = Math.min(cap, maximumConcurrency);
    }
    return new MappingScaling(ON_DEMAND_START, Math.max(1, cap), ON_DEMAND_PER_MINUTE, clock);
  }

  /** Provisioned mode: {@code minimumPollers} × 10 at once, growing to {@code maximumPollers} × 10. */
  public static MappingScaling provisioned(int minimumPollers, int maximumPollers, int limit, LongSupplier clock) {
    if (minimumPollers < 1 || maximumPollers < minimumPollers) {
      throw new IllegalArgumentException(
          "provisioned pollers need 1 <= minimum <= maximum, got " + minimumPollers + ".." + maximumPollers);
    }
    int cap = Math.max(1, Math.min(limit, maximumPollers * INVOKES_PER_POLLER));
    return new MappingScaling(minimumPollers * INVOKES_PER_POLLER, cap, PROVISIONED_PER_MINUTE, clock);
  }

  /** The concurrency the mapping may use now. */
  public synchronized int allowed() {
    advance();
    return level;
  }

  /** The most the mapping can ever reach. */
  public int ceiling() {
    return ceiling;
  }

  /** A poll's outcome: messages keep the ramp growing; an empty poll retires one unit. */
  public synchronized void polled(boolean gotMessages) {
    advance();
    backlog = gotMessages;
    if (!gotMessages) {
      level = Math.max(start, level - 1);
      credit = 0;
    }
  }

  private void advance() {
    long now = clock.getAsLong();
    long elapsed = Math.max(0, now - lastNanos);
    lastNanos = now;
    if (backlog && level < ceiling) {
      credit += elapsed * perMinute;
      long units = credit / NANOS_PER_MINUTE;
      credit -= units * NANOS_PER_MINUTE;
      level = (int) Math.min(ceiling, level + units);
    }
  }

  /** A clock of AWS time that runs {@code factor} times faster than the machine's. */
  public static LongSupplier scaledClock(double factor) {
    if (!(factor > 0)) {
      throw new IllegalArgumentException("time scale must be > 0, got " + factor);
    }
    long origin = System.nanoTime();
    return () -> (long) ((System.nanoTime() - origin) * factor);
  }
}
