package dev.priorityqueues.worker.processing;

/**
 * What the container says about a video.
 *
 * @param container {@code mp4}, {@code mov} or {@code webm}
 * @param brand the ISO BMFF major brand or the EBML DocType
 * @param durationMillis null when the container does not say
 * @param width null when the container does not say
 * @param height null when the container does not say
 */
public record VideoInfo(String container, String brand, Long durationMillis, Integer width, Integer height) {}
