package dev.priorityqueues.common;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One file the worker made from a video, as the video's record lists it under {@code outputs}
 * (and the status API and completion events read it): a map with exactly these seven fields.
 *
 * @param kind {@link #RENDITION} or {@link #THUMBNAIL}
 * @param name the file's name under processed/&lt;videoKey&gt;/, e.g. {@code 720p.mp4}
 * @param key the full object key
 * @param bytes the object's size
 * @param width pixels
 * @param height pixels
 * @param durationMillis the rendition's duration; 0 for a still image
 */
public record ProcessedOutput(String kind, String name, String key, long bytes, int width, int height,
    long durationMillis) {

  public static final String RENDITION = "rendition";
  public static final String THUMBNAIL = "thumbnail";

  public ProcessedOutput {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(key, "key");
  }

  /** The record's and the event's shape: field name → value, in this order. */
  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("kind", kind);
    map.put("name", name);
    map.put("key", key);
    map.put("bytes", bytes);
    map.put("width", width);
    map.put("height", height);
    map.put("durationMillis", durationMillis);
    return map;
  }
}
