package dev.priorityqueues.worker.flow;

import dev.priorityqueues.contract.MetricNames;
import dev.priorityqueues.contract.TierTable;
import dev.priorityqueues.contract.TierTable.Tier;
import dev.priorityqueues.worker.flow.Delivery.Origin;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The flow that beats both seeds (docs/flows.md). An invocation never yields and never waits:
 *
 * <ol>
 *   <li><b>Steal.</b> Before each message of its own batch, it receives from each higher tier,
 *       highest first (a short poll for one message), and runs what it gets first: up to
 *       {@code stealBudget} jobs per own message, which bounds how long the own batch (the lower
 *       tier) waits. A stolen message is a real receive: deleted on success, and retried or
 *       dead-lettered by the same rules as any other.
 *   <li><b>Own batch.</b> Then the own message.
 *   <li><b>Drain.</b> After the batch, while the remaining time covers another job, it sweeps
 *       every tier highest first and runs the first message it finds, stopping at the first
 *       sweep that finds none. Capacity reserved for a tier therefore never idles while any
 *       tier has work.
 * </ol>
 *
 * Time is budgeted with the {@link JobTimer}: a steal is made only if the rest of the own batch
 * still fits after it, and nothing starts that cannot finish before the deadline. A higher tier
 * found empty is not polled again for {@code emptyCacheMillis} by steals, so an idle premium
 * queue costs one receive per window, not one per job.
 */
public final class HighestFirstFlow implements PriorityFlow {

  private final JobRunner runner;
  private final Queues queues;
  private final TierTable tiers;
  private final int stealBudget;
  private final boolean drain;
  private final long emptyCacheMillis;
  private final Clock clock;
  /** Tier name → when a steal last found its queue empty (epoch millis). */
  private final Map<String, Long> foundEmptyAt = new ConcurrentHashMap<>();

  public HighestFirstFlow(JobRunner runner, Queues queues, TierTable tiers, int stealBudget, boolean drain,
      long emptyCacheMillis, Clock clock) {
    this.runner = runner;
    this.queues = queues;
    this.tiers = tiers;
    this.stealBudget = stealBudget;
    this.drain = drain;
    this.emptyCacheMillis = emptyCacheMillis;
    this.clock = clock;
  }

  @Override
  public void run(List<Delivery> batch, Invocation invocation, Settlement settlement) {
    JobTimer timer = runner.timer();
    for (int i = 0; i < batch.size(); i++) {
      Delivery own = batch.get(i);
      List<Tier> higher = tiers.higherThan(own.tier());
      int ownStillToRun = batch.size() - i;
      for (int stolen = 0; stolen < stealBudget && !higher.isEmpty(); stolen++) {
        if (!invocation.canStart((ownStillToRun + 1) * timer.expectedMillis())) {
          break;
        }
        Optional<Delivery> taken = takeFirst(higher, Origin.STOLEN, true, invocation);
        if (taken.isEmpty()) {
          break;
        }
        settlement.settle(taken.get(), runner.run(taken.get(), invocation));
        invocation.metrics().count(MetricNames.STEALS, taken.get().tier().name());
      }
      settlement.settle(own, runner.run(own, invocation));
    }
    while (drain && invocation.canStart(timer.expectedMillis())) {
      Optional<Delivery> taken = takeFirst(tiers.all(), Origin.DRAINED, false, invocation);
      if (taken.isEmpty()) {
        break;
      }
      settlement.settle(taken.get(), runner.run(taken.get(), invocation));
      invocation.metrics().count(MetricNames.DRAINED, taken.get().tier().name());
    }
  }

  /**
   * One message from the first of {@code candidates} (highest first) that has one. Steals skip a
   * tier found empty within the cache window; a drain sweep asks every tier.
   */
  private Optional<Delivery> takeFirst(List<Tier> candidates, Origin origin, boolean useEmptyCache,
      Invocation invocation) {
    for (Tier tier : candidates) {
      long now = clock.millis();
      Long emptyAt = foundEmptyAt.get(tier.name());
      if (useEmptyCache && emptyAt != null && now - emptyAt < emptyCacheMillis) {
        continue;
      }
      Optional<Delivery> taken;
      try {
        taken = queues.receiveOne(tier, origin);
      } catch (SdkException e) {
        invocation.log().warn("could not receive from a tier; skipping it this time", e, "fromTier", tier.name());
        continue;
      }
      if (taken.isPresent()) {
        foundEmptyAt.remove(tier.name());
        return taken;
      }
      foundEmptyAt.put(tier.name(), now);
    }
    return Optional.empty();
  }
}
