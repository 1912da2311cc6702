package dev.priorityqueues.infra.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.priorityqueues.infra.JsonSupport;
import java.util.List;
import java.util.Map;

/** One resource the program asked for: its type token, logical name and inputs as the provider sees them. */
public record MockResource(String type, String name, Map<String, Object> inputs) {

  public Object get(String key) {
    Object value = inputs.get(key);
    if (value == null) {
      throw new AssertionError(type + " " + name + " has no input '" + key + "'; it has " + inputs.keySet());
    }
    return value;
  }

  public String string(String key) {
    return (String) get(key);
  }

  /** Numbers reach providers as doubles; tests compare whole numbers. */
  public long number(String key) {
    return Math.round(((Number) get(key)).doubleValue());
  }

  @SuppressWarnings("unchecked")
  public Map<String, Object> map(String key) {
    return (Map<String, Object>) get(key);
  }

  @SuppressWarnings("unchecked")
  public List<Object> list(String key) {
    return (List<Object>) get(key);
  }

  /** An input that holds a JSON document (policies, patterns, dashboards), parsed. */
  public JsonNode json(String key) {
    try {
      return JsonSupport.read(string(key));
    } catch (Exception e) {
      throw new AssertionError(type + " " + name + " input '" + key + "' is not JSON: " + e.getMessage(), e);
    }
  }

  /** Follows a path of map keys, e.g. {@code nested("scalingConfig", "maximumConcurrency")}. */
  @SuppressWarnings("unchecked")
  public Object nested(String... path) {
    Object value = inputs;
    for (String key : path) {
      if (!(value instanceof Map<?, ?> map) || !map.containsKey(key)) {
        throw new AssertionError(type + " " + name + " has no input " + String.join(".", path));
      }
      value = ((Map<String, Object>) map).get(key);
    }
    return value;
  }
}
