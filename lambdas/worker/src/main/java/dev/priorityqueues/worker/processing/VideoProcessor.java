package dev.priorityqueues.worker.processing;

import dev.priorityqueues.common.Completion;
import dev.priorityqueues.contract.Job;

/**
 * The work done for one job. Implementations are idempotent (a job can be processed twice after
 * a crash), throw {@link PermanentFailure} for jobs that can never succeed, and any other
 * exception for failures worth retrying.
 */
public interface VideoProcessor {

  Completion process(Job job);

  /**
   * Processes with the invocation's remaining time at hand, for processors that budget their
   * time (transcoding); the others ignore it.
   */
  default Completion process(Job job, java.util.function.LongSupplier remainingMillis) {
    return process(job);
  }

  /** A first guess of one job's duration, before the worker has timed any. */
  long expectedMillis();

  /** Warms the processor before a SnapStart snapshot; reads only, and may fail harmlessly. */
  default void prime() {}
}
