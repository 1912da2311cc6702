package dev.priorityqueues.worker;

import dev.priorityqueues.common.Completion;
import dev.priorityqueues.contract.Job;
import dev.priorityqueues.worker.processing.PermanentFailure;
import dev.priorityqueues.worker.processing.VideoProcessor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A processor for flow tests: records the order in which jobs ran (as "tier:user"), and fails
 * the jobs it is told to fail, transiently a number of times or for good.
 */
final class RecordingProcessor implements VideoProcessor {

  private final List<String> order = new ArrayList<>();
  private final Map<String, Integer> transientFailures = new HashMap<>();
  private final Set<String> permanentFailures = ConcurrentHashMap.newKeySet();
  private final long expectedMillis;

  RecordingProcessor() {
    this(0);
  }

  RecordingProcessor(long expectedMillis) {
    this.expectedMillis = expectedMillis;
  }

  synchronized RecordingProcessor failTransiently(String userId, int times) {
    transientFailures.put(userId, times);
    return this;
  }

  RecordingProcessor failForGood(String userId) {
    permanentFailures.add(userId);
    return this;
  }

  synchronized List<String> order() {
    return List.copyOf(order);
  }

  @Override
  public synchronized Completion process(Job job) {
    order.add(job.tier() + ":" + job.userId());
    Integer left = transientFailures.get(job.userId());
    if (left != null && left > 0) {
      transientFailures.put(job.userId(), left - 1);
      throw new IllegalStateException("simulated outage for " + job.userId());
    }
    if (permanentFailures.contains(job.userId())) {
      throw new PermanentFailure("not a video: simulated for " + job.userId());
    }
    return new Completion("recorded", 1000L, 64, 48, null);
  }

  @Override
  public long expectedMillis() {
    return expectedMillis;
  }
}
