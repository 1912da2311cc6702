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
 */
public final class Settlement {

  private final Queues queues;
  private final Log log;
  private final Set<String> settled = new LinkedHashSet<>();
  private final List<String> failures = new ArrayList<>();

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
      try {
        queues.delete(delivery);
      } catch (SdkException e) {
        // The message comes back after its visibility timeout; the video's record makes that a no-op.
        log.warn("could not delete a message the worker received; it will be redelivered", e,
            "messageId", delivery.messageId(), "tier", delivery.tier().name());
      }
    }
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
