package dev.priorityqueues.infra.config;

import dev.priorityqueues.contract.TierTable;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every field of a {@code tiers} entry, with its default, its range and its text for the
 * README's tier table: the one source the parser reads its defaults and ranges from, and the
 * table is checked against (TierFieldTest).
 */
public enum TierField {
  NAME("name", null, null, "`" + TierTable.TIER_NAME.pattern() + "`, unique",
      "The tier's name; queue names and outputs use it."),
  SUBSCRIPTIONS("subscriptions", null, null,
      "distinct names of 1 to " + Limits.SUBSCRIPTION_LENGTH + " of `A-Za-z0-9._-`; each in one tier only; empty only"
          + " for the default tier; all tiers' names together at most " + Limits.SUBSCRIPTIONS_BYTES
          + " bytes, counting " + Limits.SUBSCRIPTION_JSON_OVERHEAD + " more for each name",
      "The users' subscription levels this tier serves."),
  MAX_CONCURRENCY("maxConcurrency", null, Limits.MAXIMUM_CONCURRENCY,
      Limits.MAXIMUM_CONCURRENCY.min() + " to " + Limits.MAXIMUM_CONCURRENCY.max() + "; not together with `provisionedPollers`",
      "The tier's mapping's `scalingConfig.maximumConcurrency` (on-demand mode)."),
  PROVISIONED_POLLERS("provisionedPollers", null, null,
      "`{\"min\": " + Limits.MINIMUM_POLLERS.min() + "–" + Limits.MINIMUM_POLLERS.max() + ", \"max\": "
          + Limits.MAXIMUM_POLLERS.min() + "–" + Limits.MAXIMUM_POLLERS.max()
          + "}`, min ≤ max; not together with `maxConcurrency`",
      "Provisioned mode: the mapping's `provisionedPollerConfig` (`minimumPollers`, `maximumPollers`)."),
  MAX_RECEIVE_COUNT("maxReceiveCount", 5, Limits.MAX_RECEIVE_COUNT,
      Limits.MAX_RECEIVE_COUNT.min() + " to " + Limits.MAX_RECEIVE_COUNT.max(),
      "Receives before SQS moves a message to the tier's DLQ."),
  BATCH_SIZE("batchSize", 1, Limits.BATCH_SIZE,
      Limits.BATCH_SIZE.min() + " to " + Limits.BATCH_SIZE.max(),
      "Messages per worker invocation from this tier."),
  BATCHING_WINDOW_SECONDS("batchingWindowSeconds", 0, Limits.BATCHING_WINDOW,
      Limits.BATCHING_WINDOW.min() + " to " + Limits.BATCHING_WINDOW.max() + "; at least 1 when `batchSize` is over "
          + Limits.BATCH_SIZE_WITHOUT_WINDOW,
      "How long the mapping gathers a batch.");

  /** The README's default column of the fields without a numeric default. */
  private static final java.util.Map<String, String> DEFAULT_TEXT = java.util.Map.of(
      "name", "required", "subscriptions", "required",
      "maxConcurrency", "required unless `provisionedPollers` is set",
      "provisionedPollers", "— (on-demand mode)");

  private final String key;
  private final Integer defaultValue;
  private final Range range;
  private final String allowed;
  private final String description;

  TierField(String key, Integer defaultValue, Range range, String allowed, String description) {
    this.key = key;
    this.defaultValue = defaultValue;
    this.range = range;
    this.allowed = allowed;
    this.description = description;
  }

  public String key() {
    return key;
  }

  /** The value a tier gets when it leaves the field out; empty when it is required or optional. */
  public Optional<Integer> defaultValue() {
    return Optional.ofNullable(defaultValue);
  }

  /** The range a whole-number field is checked against; null for the other fields. */
  public Range range() {
    return range;
  }

  /** The README tier table's row for this field. */
  public String readmeRow() {
    String shown = defaultValue != null ? "`" + defaultValue + "`" : DEFAULT_TEXT.get(key);
    return "| `" + key + "` | " + shown + " | " + allowed + " | " + description + " |";
  }

  /** Every field's key: anything else in a tier is a mistake. */
  public static Set<String> keys() {
    return Arrays.stream(values()).map(TierField::key).collect(Collectors.toUnmodifiableSet());
  }
}
