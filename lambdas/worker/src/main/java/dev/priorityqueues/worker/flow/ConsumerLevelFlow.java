package dev.priorityqueues.worker.flow;

import dev.priorityqueues.contract.MessageAttributes;
import dev.priorityqueues.contract.MetricNames;
import dev.priorityqueues.contract.TierTable;
import dev.priorityqueues.contract.TierTable.Tier;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Seed Flow 2, done properly: before a message of a lower tier, ask whether a higher tier is
 * busy ({@link BacklogMonitor}); if so, defer the message by re-sending its body to its own
 * queue with a delay and a deferral count, and acknowledge the original. A deferral is a new
 * message, so it burns no receive count (no healthy job drifts to the DLQ) and it comes back
 * after the delay, not after the visibility timeout. After {@code maxDeferrals} the job is
 * processed anyway, which bounds the lower tiers' wait.
 */
public final class ConsumerLevelFlow implements PriorityFlow {

  private final JobRunner runner;
  private final Queues queues;
  private final BacklogMonitor backlog;
  private final TierTable tiers;
  private final int maxDeferrals;
  private final int deferDelaySeconds;

  public ConsumerLevelFlow(JobRunner runner, Queues queues, BacklogMonitor backlog, TierTable tiers, int maxDeferrals,
      int deferDelaySeconds) {
    this.runner = runner;
    this.queues = queues;
    this.backlog = backlog;
    this.tiers = tiers;
    this.maxDeferrals = maxDeferrals;
    this.deferDelaySeconds = deferDelaySeconds;
  }

  @Override
  public void run(List<Delivery> batch, Invocation invocation, Settlement settlement) {
    for (Delivery delivery : batch) {
      List<Tier> higher = tiers.higherThan(delivery.tier());
      Optional<Tier> busy = higher.isEmpty() ? Optional.empty() : backlog.firstBusy(higher, invocation.log());
      if (busy.isPresent() && delivery.deferrals() < maxDeferrals) {
        settlement.settle(delivery, defer(delivery, busy.get(), invocation));
      } else {
        if (busy.isPresent()) {
          invocation.log().info("deferral limit reached; processing despite a busy higher tier",
              "tier", delivery.tier().name(), "messageId", delivery.messageId(), "deferrals", delivery.deferrals(),
              "busyTier", busy.get().name());
        }
        settlement.settle(delivery, runner.run(delivery, invocation));
      }
    }
  }

  private Outcome defer(Delivery delivery, Tier busyTier, Invocation invocation) {
    int deferrals = delivery.deferrals() + 1;
    try {
      queues.resend(delivery, deferDelaySeconds, Map.of(MessageAttributes.DEFERRALS, Queues.number(deferrals)));
    } catch (SdkException e) {
      invocation.log().warn("could not defer; the message stays on its queue", e,
          "tier", delivery.tier().name(), "messageId", delivery.messageId());
      return Outcome.RETRY;
    }
    invocation.log().info("deferred: a higher tier is busy", "tier", delivery.tier().name(),
        "messageId", delivery.messageId(), "busyTier", busyTier.name(), "deferrals", deferrals,
        "delaySeconds", deferDelaySeconds);
    invocation.metrics().count(MetricNames.DEFERRALS, delivery.tier().name());
    return Outcome.DEFERRED;
  }
}
