package dev.priorityqueues.local.sdk;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the AWS API calls made to one local cloud ({@link CallScope}), by caller kind,
 * function, service and operation. The local cloud's SDK interceptor feeds it; benchmarks read it
 * to report API calls per job.
 */
public final class ApiCalls {

  /** One counted line: who called which operation. */
  public record Key(Caller.Kind kind, String function, String service, String operation)
      implements Comparable<Key> {
    @Override
    public int compareTo(Key o) {
      return toString().compareTo(o.toString());
    }

    @Override
    public String toString() {
      return kind + "/" + (function == null ? "-" : function) + "/" + service + "." + operation;
    }
  }

  private final ConcurrentHashMap<Key, LongAdder> counts = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, LongAdder> totalNanos = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, LongAdder> timedCalls = new ConcurrentHashMap<>();

  public void record(Caller caller, String service, String operation) {
    counts
        .computeIfAbsent(new Key(caller.kind(), caller.function(), service, operation), k -> new LongAdder())
        .increment();
  }

  void timed(String service, String operation, long nanos) {
    String key = service + "." + operation;
    totalNanos.computeIfAbsent(key, k -> new LongAdder()).add(nanos);
    timedCalls.computeIfAbsent(key, k -> new LongAdder()).increment();
  }

  public void reset() {
    counts.clear();
    totalNanos.clear();
    timedCalls.clear();
  }

  /** Mean latency in ms of each operation so far, as the callers saw it. */
  public Map<String, Double> meanLatencyMillis() {
    Map<String, Double> out = new TreeMap<>();
    totalNanos.forEach((k, v) -> out.put(k, v.sum() / 1e6 / timedCalls.get(k).sum()));
    return out;
  }

  /** A sorted copy of the counts so far. */
  public Map<Key, Long> snapshot() {
    Map<Key, Long> copy = new TreeMap<>();
    counts.forEach((k, v) -> copy.put(k, v.sum()));
    return copy;
  }

  /** Calls made by functions and by the pollers acting for them (not the driver's own calls). */
  public long cloudCalls(String service) {
    return snapshot().entrySet().stream()
        .filter(e -> e.getKey().kind() != Caller.Kind.DRIVER)
        .filter(e -> service == null || e.getKey().service().equals(service))
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  public long calls(Caller.Kind kind, String service) {
    return snapshot().entrySet().stream()
        .filter(e -> e.getKey().kind() == kind)
        .filter(e -> service == null || e.getKey().service().equals(service))
        .mapToLong(Map.Entry::getValue)
        .sum();
  }
}
