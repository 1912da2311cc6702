package dev.priorityqueues.worker.processing;

import dev.priorityqueues.common.Completion;
import dev.priorityqueues.contract.Job;

/**
 * Holds the worker for a fixed time and touches nothing: {@code PQ_PROCESSOR=simulated:<millis>},
 * for benchmarks of the flows, where only the time a job occupies a worker matters.
 */
public final class SimulatedProcessor implements VideoProcessor {

  public static final String CONTAINER = "simulated";

  private final long millis;

  public SimulatedProcessor(long millis) {
    this.millis = millis;
  }

  @Override
  public Completion process(Job job) {
    if (millis > 0) {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while simulating a job", e);
      }
    }
    return new Completion(CONTAINER, null, null, null, null);
  }

  @Override
  public long expectedMillis() {
    return millis;
  }
}
