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

  /** Counts of one invocation. Not thread-safe: an invocation counts on one thread. */
  public final class Recorder {
    private final Map<String, Map<String, Long>> byTier = new LinkedHashMap<>();

    private Recorder() {}

    public void count(String metric, String tier) {
      count(metric, tier, 1);
    }

    public void count(String metric, String tier, long amount) {
      byTier
          .computeIfAbsent(tier == null ? NO_TIER : tier, t -> new LinkedHashMap<>())
          .merge(metric, amount, Long::sum);
    }

    /** Writes one EMF line per tier and clears the counts. */
    public void flush() {
      long now = clock.millis();
      byTier.forEach((tier, counts) -> sink.accept(Json.write(document(now, tier, counts))));
      byTier.clear();
    }
  }

  private Map<String, Object> document(long timestamp, String tier, Map<String, Long> counts) {
    List<Map<String, Object>> definitions = new ArrayList<>();
    for (String name : counts.keySet()) {
      Map<String, Object> definition = new LinkedHashMap<>();
      definition.put("Name", name);
      definition.put("Unit", "Count");
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
    doc.putAll(counts);
    return doc;
  }
}
