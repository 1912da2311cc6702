package dev.priorityqueues.infra.limits;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.priorityqueues.infra.JsonSupport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A resource's inputs as a flat list of paths and values, in the path syntax of
 * {@code aws-limits.md}: {@code a.b} nested fields, {@code a[]} list items, {@code a{}} map keys,
 * {@code a/b} inside a JSON document held in a string (with {@code /} between its levels).
 */
final class ResourceInputs {
  private ResourceInputs() {}

  /** String inputs that hold JSON documents whose fields AWS bounds. */
  static final Set<String> JSON_DOCUMENTS =
      Set.of("policy", "assumeRolePolicy", "redrivePolicy", "redriveAllowPolicy", "dashboardBody", "eventPattern");

  enum Kind {
    /** A value: string, number, boolean or an SDK object (an archive). */
    LEAF,
    /** A map's key. */
    KEY,
    /** A list or a map, for count bounds. */
    CONTAINER
  }

  record Entry(String path, Object value, Kind kind) {}

  static List<Entry> flatten(Map<String, Object> inputs) {
    List<Entry> out = new ArrayList<>();
    inputs.forEach((key, value) -> walk(key, value, false, out));
    return out;
  }

  private static void walk(String path, Object value, boolean inJson, List<Entry> out) {
    String sep = inJson ? "/" : ".";
    if (value instanceof Map<?, ?> map) {
      out.add(new Entry(path, map, Kind.CONTAINER));
      map.forEach((k, v) -> {
        out.add(new Entry(path + "{}", String.valueOf(k), Kind.KEY));
        walk(path + sep + k, v, inJson, out);
      });
    } else if (value instanceof List<?> list) {
      out.add(new Entry(path, list, Kind.CONTAINER));
      list.forEach(item -> walk(path + "[]", item, inJson, out));
    } else {
      out.add(new Entry(path, value, Kind.LEAF));
      if (!inJson && value instanceof String text && JSON_DOCUMENTS.contains(path)) {
        Object document;
        try {
          document = JsonSupport.mapper().readValue(text, new TypeReference<Object>() {});
        } catch (JsonProcessingException e) {
          throw new AssertionError("input " + path + " is not JSON: " + text, e);
        }
        if (document instanceof Map<?, ?> map) {
          map.forEach((k, v) -> walk(path + "/" + k, v, true, out));
        }
      }
    }
  }
}
