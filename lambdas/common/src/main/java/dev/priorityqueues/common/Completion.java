package dev.priorityqueues.common;

/**
 * What a finished job records on its video: the container found, what the container says about
 * duration and resolution (null when it does not say), and where the result object is (null
 * when the processor writes none).
 */
public record Completion(String container, Long durationMillis, Integer width, Integer height, String resultKey) {}
