package dev.priorityqueues.common;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a finished job records on its video: the container found, what the container says about
 * duration and resolution (null when it does not say), where the result object is (null when the
 * processor writes none), and the files the processor made (empty when it makes none).
 *
 * <p>{@code stepMillis} is how long each step of the job took, in the order they ran (probe,
 * ffmpeg, upload, ...): the worker logs it with the job, so an operator sees where a slow job's
 * time went. It is not recorded on the video.
 */
public record Completion(
    String container, Long durationMillis, Integer width, Integer height, String resultKey,
    List<ProcessedOutput> outputs, Map<String, Long> stepMillis) {

  public Completion {
    outputs = outputs == null ? List.of() : List.copyOf(outputs);
    // Copied in order: a reader follows the job's steps as they ran.
    stepMillis = stepMillis == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(stepMillis));
  }

  /** A completion without output files (inspect, simulated). */
  public Completion(String container, Long durationMillis, Integer width, Integer height, String resultKey) {
    this(container, durationMillis, width, height, resultKey, List.of(), Map.of());
  }
}
