package dev.priorityqueues.worker.flow;

import java.util.List;

/**
 * Seed Flow 1: no logic in the worker. Priority comes from the infrastructure alone: each tier's
 * event source mapping has its own maximum concurrency. Simple and cheap, but a tier's capacity
 * idles when its queue is empty and can never help a busier tier.
 */
public final class QueueLevelFlow implements PriorityFlow {

  private final JobRunner runner;

  public QueueLevelFlow(JobRunner runner) {
    this.runner = runner;
  }

  @Override
  public void run(List<Delivery> batch, Invocation invocation, Settlement settlement) {
    for (Delivery delivery : batch) {
      settlement.settle(delivery, runner.run(delivery, invocation));
    }
  }
}
