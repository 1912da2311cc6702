package dev.priorityqueues.common.testing;

import dev.priorityqueues.contract.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/** A log sink that keeps every line, for assertions on structured logs and EMF metrics. */
public final class CapturedLines implements Consumer<String> {

  private final List<String> lines = new ArrayList<>();

  @Override
  public synchronized void accept(String line) {
    lines.add(line);
  }

  public synchronized List<String> lines() {
    return List.copyOf(lines);
  }

  /** Every line parsed as a JSON object. */
  public List<Map<String, Object>> json() {
    return lines().stream().map(line -> Json.parseObject("log line", line)).toList();
  }

  /** Log lines (not metric documents) with this message. */
  public List<Map<String, Object>> withMessage(String message) {
    return json().stream().filter(line -> Objects.equals(line.get("message"), message)).toList();
  }

  /** The sum of one EMF metric over every metric document, for one tier (or all when null). */
  public long metric(String name, String tier) {
    return json().stream()
        .filter(line -> line.containsKey("_aws"))
        .filter(line -> tier == null || tier.equals(line.get("Tier")))
        .map(line -> line.get(name))
        .filter(Objects::nonNull)
        .mapToLong(value -> value instanceof List<?> values ? values.size() : ((Number) value).longValue())
        .sum();
  }

  /** Every value of one EMF timing metric, in order, for one tier (or all when null). */
  public List<Long> values(String name, String tier) {
    return json().stream()
        .filter(line -> line.containsKey("_aws"))
        .filter(line -> tier == null || tier.equals(line.get("Tier")))
        .map(line -> line.get(name))
        .filter(value -> value instanceof List<?>)
        .flatMap(value -> ((List<?>) value).stream())
        .map(value -> ((Number) value).longValue())
        .toList();
  }
}
