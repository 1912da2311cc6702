package dev.priorityqueues.local.deploy;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Reading a resource's inputs as Pulumi passes them (numbers as doubles, nested maps and lists). */
final class Inputs {
  private Inputs() {}

  static String string(Map<String, Object> in, String key) {
    Object value = in.get(key);
    return value == null ? null : String.valueOf(value);
  }

  static int intValue(Map<String, Object> in, String key, int defaultValue) {
    return in.get(key) instanceof Number number ? (int) Math.round(number.doubleValue()) : defaultValue;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Map<String, Object> in, String key) {
    return in.get(key) instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Map<String, Object> in, String key) {
    return in.get(key) instanceof List<?> l ? (List<Object>) l : Collections.emptyList();
  }

  static List<String> strings(Map<String, Object> in, String key) {
    return list(in, key).stream().map(String::valueOf).toList();
  }

  static String shortId() {
    return UUID.randomUUID().toString().substring(0, 8);
  }
}
