package dev.priorityqueues.contract;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads a function's configuration map (its environment in AWS) with errors that name the
 * variable and the allowed values. Handlers build one at construction and never call
 * {@code System.getenv} elsewhere.
 */
public final class EnvReader {
  private final Map<String, String> env;

  public EnvReader(Map<String, String> env) {
    this.env = Map.copyOf(Objects.requireNonNull(env, "env"));
  }

  public Optional<String> optional(String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }

  public String require(String name) {
    return optional(name)
        .orElseThrow(() -> new ContractException(name + " is not set; the Pulumi program sets it"));
  }

  public int intValue(String name, int defaultValue, int min, int max) {
    return (int) longValue(name, defaultValue, min, max);
  }

  /** A whole number that must be set: for limits where any default would be a silent guess. */
  public long requireLong(String name, long min, long max) {
    if (optional(name).isEmpty()) {
      throw new ContractException(name + " is not set; the Pulumi program sets it (a whole number from "
          + min + " to " + max + ")");
    }
    return longValue(name, min, min, max);
  }

  public long longValue(String name, long defaultValue, long min, long max) {
    Optional<String> raw = optional(name);
    if (raw.isEmpty()) {
      return defaultValue;
    }
    long value;
    try {
      value = Long.parseLong(raw.get());
    } catch (NumberFormatException e) {
      throw new ContractException(
          name + " must be a whole number from " + min + " to " + max + ", not '" + raw.get() + "'");
    }
    if (value < min || value > max) {
      throw new ContractException(
          name + " must be from " + min + " to " + max + ", not " + value);
    }
    return value;
  }

  public boolean booleanValue(String name, boolean defaultValue) {
    Optional<String> raw = optional(name);
    if (raw.isEmpty()) {
      return defaultValue;
    }
    return switch (raw.get().toLowerCase(java.util.Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new ContractException(name + " must be true or false, not '" + raw.get() + "'");
    };
  }

  /** A comma-separated list, trimmed, without empty entries. */
  public List<String> list(String name) {
    return optional(name)
        .map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList())
        .orElse(List.of());
  }
}
