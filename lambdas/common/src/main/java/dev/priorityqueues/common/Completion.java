package dev.priorityqueues.common;

import java.util.List;

/**
 * What a finished job records on its video: the container found, what the container says about
 * duration and resolution (null when it does not say), where the result object is (null when the
 * processor writes none), and the files the processor made (empty when it makes none).
 */
public record Completion(
    String container, Long durationMillis, Integer width, Integer height, String resultKey,
    List<ProcessedOutput> outputs) {

  public Completion {
    outputs = outputs == null ? List.of() : List.copyOf(outputs);
  }

  /** A completion without output files (inspect, simulated). */
  public Completion(String container, Long durationMillis, Integer width, Integer height, String resultKey) {
    this(container, durationMillis, width, height, resultKey, List.of());
  }
}
