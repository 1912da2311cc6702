package dev.priorityqueues.worker.flow;

import dev.priorityqueues.common.Log;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Ends each delivery the way its origin requires: a message of the invocation's own batch is
 * deleted by Lambda unless it is reported in {@code batchItemFailures}; a message the worker
 * received itself is deleted by the worker, or else simply left to become visible again.
 *
 * <p>The worker's own deletes are batched, ten per call per tier, and the rest go out when the
 * invocation ends ({@link #flush}): a finished message stays invisible until then anyway, and if
 * the invocation dies first it comes back and is acknowledged as a duplicate by its video record.
 */
public final class Settlement {

  private final Queues queues;
  private final Log log;
  private final Set<String> settled = new LinkedHashSet<>();
  private final List<String> failures = new ArrayList<>();
  private final java.util.Map<String, List<Delivery>> toDelete = new java.util.LinkedHashMap<>();

  public Settlement(Queues queues, Log log) {
    this.queues = queues;
    this.log = log;
  }

  public void settle(Delivery delivery, Outcome outcome) {
    if (delivery.origin().settledByLambda()) {
      settled.add(delivery.messageId());
      if (!outcome.acknowledged()) {
        failures.add(delivery.messageId());
      }
      return;
    }
    if (outcome.acknowledged()) {
      List<Delivery> pending = toDelete.computeIfAbsent(delivery.tier().name(), t -> new ArrayList<>());
      pending.add(delivery);
      if (pending.size() == 10) {
        delete(pending);
      }
    }
  }

  /** Deletes what the worker still holds; called once, when the invocation's work is over. */
  public void flush() {
    toDelete.values().forEach(this::delete);
  }

  private void delete(List<Delivery> pending) {
    if (pending.isEmpty()) {
      return;
    }
    try {
      for (Delivery kept : queues.deleteBatch(pending.get(0).tier(), List.copyOf(pending))) {
        log.warn("SQS did not delete a message the worker received; it will be redelivered",
            "messageId", kept.messageId(), "tier", kept.tier().name());
      }
    } catch (SdkException e) {
      // The messages come back after their visibility timeout; the videos' records make that a no-op.
      log.warn("could not delete messages the worker received; they will be redelivered", e,
          "tier", pending.get(0).tier().name(), "messages", pending.size());
    }
    pending.clear();
  }

  /** Message ids of the batch to report as failed, including any the flow never settled. */
  public List<String> failures(List<Delivery> batch) {
    List<String> all = new ArrayList<>(failures);
    for (Delivery delivery : batch) {
      if (delivery.origin().settledByLambda() && !settled.contains(delivery.messageId())) {
        all.add(delivery.messageId());
      }
    }
    return all;
  }
}
