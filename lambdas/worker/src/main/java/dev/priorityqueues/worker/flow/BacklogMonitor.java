package dev.priorityqueues.worker.flow;

import dev.priorityqueues.common.Log;
import dev.priorityqueues.contract.TierTable.Tier;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * consumer-level: is a higher tier busy? Reads SQS's ApproximateNumberOfMessages, which is
 * eventually consistent (it can read 0 for a while after messages arrive, and non-zero after
 * they are gone), with two explicit rules:
 *
 * <ul>
 *   <li><b>cache</b>: one reading per tier is reused for {@code cacheMillis} by every message of
 *       this execution environment, so the check costs one call per tier per window, not per
 *       message;
 *   <li><b>hold</b>: a tier read above zero stays busy for {@code holdMillis} even if later
 *       readings say zero, so a lagging zero does not let lower tiers jump ahead.
 * </ul>
 *
 * A false "busy" costs a deferral, which the deferral limit bounds; a false "idle" costs one
 * out-of-order job. When the attribute cannot be read the tier counts as idle: the worker
 * degrades to queue-level rather than stalling.
 */
public final class BacklogMonitor {

  private record Reading(long visible, long readAt, long lastBusyAt) {}

  private final Queues queues;
  private final long cacheMillis;
  private final long holdMillis;
  private final Clock clock;
  private final Map<String, Reading> readings = new HashMap<>();

  public BacklogMonitor(Queues queues, long cacheMillis, long holdMillis, Clock clock) {
    this.queues = queues;
    this.cacheMillis = cacheMillis;
    this.holdMillis = holdMillis;
    this.clock = clock;
  }

  /** The highest of {@code tiers} that is busy, checking highest first and stopping there. */
  public synchronized Optional<Tier> firstBusy(List<Tier> tiers, Log log) {
    for (Tier tier : tiers) {
      if (busy(tier, log)) {
        return Optional.of(tier);
      }
    }
    return Optional.empty();
  }

  private boolean busy(Tier tier, Log log) {
    long now = clock.millis();
    Reading reading = readings.get(tier.name());
    if (reading == null || now - reading.readAt() >= cacheMillis) {
      long visible;
      try {
        visible = queues.visibleMessages(tier);
      } catch (SdkException e) {
        log.warn("cannot read a higher tier's backlog; treating it as idle", e, "higherTier", tier.name());
        visible = 0;
      }
      long lastBusyAt = visible > 0 ? now : reading == null ? Long.MIN_VALUE : reading.lastBusyAt();
      reading = new Reading(visible, now, lastBusyAt);
      readings.put(tier.name(), reading);
    }
    return reading.visible() > 0 || (reading.lastBusyAt() != Long.MIN_VALUE && now - reading.lastBusyAt() < holdMillis);
  }
}
