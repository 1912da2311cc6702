package dev.priorityqueues.contract;

import java.util.Arrays;
import java.util.stream.Collectors;

/** How the worker turns several tier queues into priority. docs/flows.md explains each one. */
public enum Flow {
  /** Seed Flow 1: each tier's mapping has its own maximum concurrency; the worker has no logic. */
  QUEUE_LEVEL("queue-level"),
  /**
   * Seed Flow 2, done properly: before a lower-tier message, read the higher tiers' backlog and
   * defer by re-sending (so the receive count is not burned), a bounded number of times.
   */
  CONSUMER_LEVEL("consumer-level"),
  /**
   * Every invocation takes waiting higher-tier work with its own receive call and does it first,
   * then its own batch, then drains whatever is left highest-first while time allows.
   */
  HIGHEST_FIRST("highest-first");

  private final String id;

  Flow(String id) {
    this.id = id;
  }

  /** The name used in config and in the environment. */
  public String id() {
    return id;
  }

  public static Flow parse(String value) {
    for (Flow flow : values()) {
      if (flow.id.equals(value)) {
        return flow;
      }
    }
    throw new ContractException(
        "flow must be one of " + ids() + ", not '" + value + "'");
  }

  public static String ids() {
    return Arrays.stream(values()).map(Flow::id).collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return id;
  }
}
