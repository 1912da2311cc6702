package dev.priorityqueues.common;

import dev.priorityqueues.contract.Json;
import dev.priorityqueues.contract.MetricNames;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Counts published through CloudWatch's embedded metric format: a JSON log line with an
 * {@code _aws} block that CloudWatch turns into metrics, with no API call and no agent. Each
 * invocation takes a {@link Recorder}, counts into it, and flushes once at the end: one line per
 * tier that had counts.
 */
public final class Metrics {

  /** The tier dimension when there is none (an orphan has no tier). */
  public static final String NO_TIER = "none";

  private final String function;
  private final Consumer<String> sink;
  private final Clock clock;

  public Metrics(String function, Consumer<String> sink, Clock clock) {
    this.function = Objects.requireNonNull(function, "function");
    this.sink = Objects.requireNonNull(sink, "sink");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public Recorder recorder() {
    return new Recorder();
  }

  /** EMF takes at most 100 values for one metric in one document. */
  static final int MAX_VALUES_PER_DOCUMENT = 100;

  /** Counts and timings of one invocation. Not thread-safe: an invocation counts on one thread. */
  public final class Recorder {
    private final Map<String, Map<String, Long>> byTier = new LinkedHashMap<>();
    private final Map<String, Map<String, List<Long>>> timingsByTier = new LinkedHashMap<>();

    private Recorder() {}

    /**
     * One value of a duration, in milliseconds. Each value is kept (not summed), so CloudWatch
     * can compute percentiles over them: p50, p95, p99 of a tier's waits.
     */
    public void time(String metric, String tier, long millis) {
      timingsByTier
          .computeIfAbsent(tier == null ? NO_TIER : tier, t -> new LinkedHashMap<>())
          .computeIfAbsent(metric, m -> new ArrayList<>())
          .add(Math.max(0, millis));
    }

    public void count(String metric, String tier) {
      count(metric, tier, 1);
    }

    public void count(String metric, String tier, long amount) {
      byTier
          .computeIfAbsent(tier == null ? NO_TIER : tier, t -> new LinkedHashMap<>())
          .merge(metric, amount, Long::sum);
    }

    /**
     * Writes one EMF line per tier with counts, then the timings of each tier, up to 100 values
     * per metric per line, and clears both.
     */
    public void flush() {
      long now = clock.millis();
      byTier.forEach((tier, counts) -> sink.accept(Json.write(document(now, tier, counts))));
      byTier.clear();
      timingsByTier.forEach((tier, timings) -> {
        int longest = timings.values().stream().mapToInt(List::size).max().orElse(0);
        for (int from = 0; from < longest; from += MAX_VALUES_PER_DOCUMENT) {
          Map<String, List<Long>> chunk = new LinkedHashMap<>();
          for (Map.Entry<String, List<Long>> e : timings.entrySet()) {
            if (from < e.getValue().size()) {
              chunk.put(e.getKey(), e.getValue().subList(from, Math.min(e.getValue().size(), from + MAX_VALUES_PER_DOCUMENT)));
            }
          }
          sink.accept(Json.write(timingDocument(now, tier, chunk)));
        }
      });
      timingsByTier.clear();
    }
  }

  private Map<String, Object> timingDocument(long timestamp, String tier, Map<String, List<Long>> values) {
    Map<String, Object> doc = envelope(timestamp, tier, values.keySet(), "Milliseconds");
    doc.putAll(values);
    return doc;
  }

  private Map<String, Object> document(long timestamp, String tier, Map<String, Long> counts) {
    Map<String, Object> doc = envelope(timestamp, tier, counts.keySet(), "Count");
    doc.putAll(counts);
    return doc;
  }

  private Map<String, Object> envelope(long timestamp, String tier, java.util.Collection<String> names, String unit) {
    List<Map<String, Object>> definitions = new ArrayList<>();
    for (String name : names) {
      Map<String, Object> definition = new LinkedHashMap<>();
      definition.put("Name", name);
      definition.put("Unit", unit);
      definitions.add(definition);
    }
    Map<String, Object> directive = new LinkedHashMap<>();
    directive.put("Namespace", MetricNames.NAMESPACE);
    directive.put("Dimensions", List.of(List.of(MetricNames.FUNCTION, MetricNames.TIER)));
    directive.put("Metrics", definitions);
    Map<String, Object> aws = new LinkedHashMap<>();
    aws.put("Timestamp", timestamp);
    aws.put("CloudWatchMetrics", List.of(directive));
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("_aws", aws);
    doc.put(MetricNames.FUNCTION, function);
    doc.put(MetricNames.TIER, tier);
    return doc;
  }
}
