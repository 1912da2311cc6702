package dev.priorityqueues.worker.flow;

import java.util.List;

/**
 * How an invocation turns its batch (from one tier's queue) into work, honouring priority.
 * Implementations differ only in order and in what they take besides the batch; every job runs
 * through the same {@link JobRunner}, and every delivery ends in the {@link Settlement}.
 */
public interface PriorityFlow {

  void run(List<Delivery> batch, Invocation invocation, Settlement settlement);
}
