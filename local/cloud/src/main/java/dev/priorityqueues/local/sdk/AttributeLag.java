package dev.priorityqueues.local.sdk;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Emulates SQS's eventually consistent queue attributes. Real SQS reports
 * ApproximateNumberOfMessages* with a lag (up to a minute after producers stop); ElasticMQ
 * reports exact numbers. When a lag is set, a sampler records each queue's true numbers and the
 * interceptor answers a function's GetQueueAttributes with the numbers from {@code lag} ago.
 * Each local cloud has its own ({@link CallScope#attributeLag()}).
 */
public final class AttributeLag {

  private record Sample(long atMillis, Map<String, String> attributes) {}

  private volatile long lagMillis;
  private final Map<String, Deque<Sample>> history = new ConcurrentHashMap<>();
  /** Queues whose attributes a function has asked for: only these are sampled. */
  private final java.util.Set<String> watched = ConcurrentHashMap.newKeySet();

  public void set(long millis) {
    if (millis < 0) {
      throw new IllegalArgumentException("lag must be ≥ 0 ms, not " + millis);
    }
    lagMillis = millis;
    history.clear();
    watched.clear();
  }

  /** The queues to sample: those functions have read attributes of. */
  public java.util.Set<String> watched() {
    return java.util.Set.copyOf(watched);
  }

  public long millis() {
    return lagMillis;
  }

  /** Records the true attributes of a queue at this moment (called by the sampler). */
  public void record(String queueUrl, Map<String, String> attributes, long nowMillis) {
    Deque<Sample> samples = history.computeIfAbsent(queueUrl, k -> new ArrayDeque<>());
    synchronized (samples) {
      samples.addLast(new Sample(nowMillis, Map.copyOf(attributes)));
      // Drop the oldest sample while the next one is already old enough to answer lookups.
      while (samples.size() >= 2 && secondOldest(samples).atMillis() <= nowMillis - lagMillis) {
        samples.removeFirst();
      }
    }
  }

  private static Sample secondOldest(Deque<Sample> samples) {
    var it = samples.iterator();
    it.next();
    return it.next();
  }

  /**
   * The attributes as a lagging SQS would report them: the newest sample at least {@code lag}
   * old, overlaid on the live answer. With no lag or no history, the live answer stands.
   */
  public Map<String, String> lagged(String queueUrl, Map<String, String> live, long nowMillis) {
    if (lagMillis == 0) {
      return live;
    }
    watched.add(queueUrl);
    Deque<Sample> samples = history.get(queueUrl);
    if (samples == null) {
      return live;
    }
    Sample chosen = null;
    synchronized (samples) {
      for (Sample sample : samples) {
        if (sample.atMillis() <= nowMillis - lagMillis) {
          chosen = sample;
        }
      }
    }
    if (chosen == null) {
      return live;
    }
    Map<String, String> result = new HashMap<>(live);
    for (Map.Entry<String, String> e : chosen.attributes().entrySet()) {
      if (result.containsKey(e.getKey())) {
        result.put(e.getKey(), e.getValue());
      }
    }
    return result;
  }
}
