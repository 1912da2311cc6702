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
 * <p><b>Lending</b> (with {@code lendTokens} above 0). A mapping starts invocations only for its own
 * queue's messages, so a higher tier's idle concurrency cannot help a lower tier's backlog. An
 * invocation of a lower tier that found a higher tier empty (a steal) and then drains work of a
 * tier below it sends that higher tier's queue {@code lendTokens} capacity tokens (one
 * SendMessageBatch, once per invocation). Each token makes the idle mapping start an invocation,
 * which acknowledges the token and drains. Tokens bound themselves: a token that a steal or a
 * drain receives means the mapping it was meant for is busy, so it is deleted, and a tier that is
 * not empty gets no more.
 *
 * <p>Time is budgeted with the {@link JobTimer}: a steal is made only if the rest of the own batch
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
  private final int lendTokens;
  /** Tier name → when a steal last found its queue empty (epoch millis). */
  private final Map<String, Long> foundEmptyAt = new ConcurrentHashMap<>();

  public HighestFirstFlow(JobRunner runner, Queues queues, TierTable tiers, int stealBudget, boolean drain,
      long emptyCacheMillis, Clock clock, int lendTokens) {
    this.runner = runner;
    this.queues = queues;
    this.tiers = tiers;
    this.stealBudget = stealBudget;
    this.drain = drain;
    this.emptyCacheMillis = emptyCacheMillis;
    this.clock = clock;
    this.lendTokens = lendTokens;
  }

  public HighestFirstFlow(JobRunner runner, Queues queues, TierTable tiers, int stealBudget, boolean drain,
      long emptyCacheMillis, Clock clock) {
    this(runner, queues, tiers, stealBudget, drain, emptyCacheMillis, clock, 0);
  }

  @Override
  public void run(List<Delivery> batch, Invocation invocation, Settlement settlement) {
    JobTimer timer = runner.timer();
    Lending lending = new Lending();
    for (int i = 0; i < batch.size(); i++) {
      Delivery own = batch.get(i);
      if (own.capacityToken()) {
        // A token only starts this invocation; its work is the drain below.
        settlement.settle(own, Outcome.TOKEN);
        if (!lending.tokenCounted) {
          lending.tokenCounted = true;
          invocation.metrics().count(MetricNames.TOKEN_INVOCATIONS, own.tier().name());
        }
        continue;
      }
      lending.ownJobs = true;
      List<Tier> higher = tiers.higherThan(own.tier());
      int ownStillToRun = batch.size() - i;
      for (int stolen = 0; stolen < stealBudget && !higher.isEmpty(); stolen++) {
        if (!invocation.canStart((ownStillToRun + 1) * timer.expectedMillis())) {
          break;
        }
        Optional<Delivery> taken = takeFirst(higher, Origin.STOLEN, true, invocation, settlement, lending);
        if (taken.isEmpty()) {
          break;
        }
        settlement.settle(taken.get(), runner.run(taken.get(), invocation));
        invocation.metrics().count(MetricNames.STEALS, taken.get().tier().name());
      }
      settlement.settle(own, runner.run(own, invocation));
    }
    while (drain && invocation.canStart(timer.expectedMillis())) {
      Optional<Delivery> taken = takeFirst(tiers.all(), Origin.DRAINED, false, invocation, settlement, lending);
      if (taken.isEmpty()) {
        break;
      }
      lend(lending, taken.get().tier(), invocation);
      settlement.settle(taken.get(), runner.run(taken.get(), invocation));
      invocation.metrics().count(MetricNames.DRAINED, taken.get().tier().name());
    }
  }

  /**
   * One message from the first of {@code candidates} (highest first) that has one. Steals skip a
   * tier found empty within the cache window; a drain sweep asks every tier.
   */
  private Optional<Delivery> takeFirst(List<Tier> candidates, Origin origin, boolean useEmptyCache,
      Invocation invocation, Settlement settlement, Lending lending) {
    for (Tier tier : candidates) {
      long now = clock.millis();
      Long emptyAt = foundEmptyAt.get(tier.name());
      if (useEmptyCache && emptyAt != null && now - emptyAt < emptyCacheMillis) {
        if (lending.idle == null) {
          lending.idle = tier;
        }
        continue;
      }
      Optional<Delivery> taken;
      try {
        taken = queues.receiveOne(tier, origin);
      } catch (SdkException e) {
        invocation.log().warn("could not receive from a tier; skipping it this time", e, "fromTier", tier.name());
        continue;
      }
      if (taken.isPresent() && taken.get().capacityToken()) {
        // The mapping this token was for is busy: the token is surplus, and the tier is not idle.
        settlement.settle(taken.get(), Outcome.TOKEN);
        foundEmptyAt.remove(tier.name());
        continue;
      }
      if (taken.isPresent()) {
        foundEmptyAt.remove(tier.name());
        return taken;
      }
      foundEmptyAt.put(tier.name(), now);
      if (origin == Origin.STOLEN && lending.idle == null) {
        lending.idle = tier;
      }
    }
    return Optional.empty();
  }

  /**
   * Lends the first higher tier a steal found idle to the backlog of {@code drainedTier} below
   * it: once per invocation, and only by an invocation that ran a job of its own batch (a token's
   * invocation never lends, so tokens cannot breed tokens).
   */
  private void lend(Lending lending, Tier drainedTier, Invocation invocation) {
    if (lendTokens == 0 || lending.sent || !lending.ownJobs || lending.idle == null
        || !tiers.higherThan(drainedTier).contains(lending.idle)) {
      return;
    }
    lending.sent = true;
    try {
      queues.sendCapacityTokens(lending.idle, lendTokens);
      invocation.metrics().count(MetricNames.TOKENS_LENT, lending.idle.name(), lendTokens);
    } catch (SdkException e) {
      invocation.log().warn("could not lend capacity; the backlog waits for the lower tiers' own invocations", e,
          "toTier", lending.idle.name());
    }
  }

  /** What one invocation knows about lending. */
  private static final class Lending {
    /** The first higher tier a steal of this invocation found empty. */
    Tier idle;
    boolean ownJobs;
    boolean sent;
    boolean tokenCounted;
  }
}
