package dev.priorityqueues.contract;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Strict JSON for small documents (tier tables, job messages, request bodies), on jackson-jr.
 * Every error names what was being read ({@code what}) and the offending field.
 */
public final class Json {
  private Json() {}

  private static final JSON JSON_STD =
      JSON.std.with(JSON.Feature.FAIL_ON_DUPLICATE_MAP_KEYS, JSON.Feature.PRESERVE_FIELD_ORDERING);

  /** Writes maps, lists, strings, numbers and booleans. */
  public static String write(Object value) {
    try {
      return JSON_STD.asString(value);
    } catch (IOException e) {
      throw new ContractException("cannot write JSON: " + e.getMessage(), e);
    }
  }

  /** Parses one JSON object; anything else, trailing content included, is an error. */
  public static Map<String, Object> parseObject(String what, String text) {
    if (text == null || text.isBlank()) {
      throw new ContractException(what + " is empty; expected a JSON object");
    }
    try (JsonParser parser = JSON_STD.createParser(text)) {
      Object value = JSON_STD.anyFrom(parser);
      if (parser.nextToken() != null) {
        throw new ContractException(what + " has content after its JSON value");
      }
      if (!(value instanceof Map<?, ?> map)) {
        throw new ContractException(what + " must be a JSON object, not " + kind(value));
      }
      return copy(map);
    } catch (IOException e) {
      throw new ContractException(what + " is not valid JSON: " + firstLine(e.getMessage()), e);
    }
  }

  /** Parses one JSON array; anything else is an error. */
  public static List<Object> parseArray(String what, String text) {
    if (text == null || text.isBlank()) {
      throw new ContractException(what + " is empty; expected a JSON array");
    }
    try (JsonParser parser = JSON_STD.createParser(text)) {
      Object value = JSON_STD.anyFrom(parser);
      if (parser.nextToken() != null) {
        throw new ContractException(what + " has content after its JSON value");
      }
      if (!(value instanceof List<?> list)) {
        throw new ContractException(what + " must be a JSON array, not " + kind(value));
      }
      return List.copyOf(list.stream().map(v -> (Object) v).toList());
    } catch (IOException e) {
      throw new ContractException(what + " is not valid JSON: " + firstLine(e.getMessage()), e);
    }
  }

  /** A required, non-blank string field. */
  public static String string(Map<String, ?> object, String field, String what) {
    Object value = object.get(field);
    if (value == null) {
      throw new ContractException(what + " has no '" + field + "'");
    }
    if (!(value instanceof String s)) {
      throw new ContractException(what + " field '" + field + "' must be a string, not " + kind(value));
    }
    if (s.isBlank()) {
      throw new ContractException(what + " field '" + field + "' is blank");
    }
    return s;
  }

  /** An optional string field: null when absent. */
  public static String optionalString(Map<String, ?> object, String field, String what) {
    return object.get(field) == null ? null : string(object, field, what);
  }

  /** A required whole number within [min, max]. */
  public static long integer(Map<String, ?> object, String field, String what, long min, long max) {
    Object value = object.get(field);
    if (value == null) {
      throw new ContractException(what + " has no '" + field + "'");
    }
    long number;
    if (value instanceof Integer || value instanceof Long || value instanceof Short) {
      number = ((Number) value).longValue();
    } else if (value instanceof java.math.BigInteger big && big.bitLength() < 64) {
      number = big.longValue();
    } else if (value instanceof String s && s.matches("-?\\d{1,18}")) {
      // AWS writes some numbers as strings (maxReceiveCount in redrive policies, for one).
      number = Long.parseLong(s);
    } else {
      throw new ContractException(
          what + " field '" + field + "' must be a whole number, not " + kind(value));
    }
    if (number < min || number > max) {
      throw new ContractException(
          what + " field '" + field + "' must be from " + min + " to " + max + ", not " + number);
    }
    return number;
  }

  /** A required JSON object field. */
  public static Map<String, Object> object(Map<String, ?> object, String field, String what) {
    Object value = object.get(field);
    if (value == null) {
      throw new ContractException(what + " has no '" + field + "'");
    }
    if (!(value instanceof Map<?, ?> map)) {
      throw new ContractException(what + " field '" + field + "' must be an object, not " + kind(value));
    }
    return copy(map);
  }

  /** A required array of non-blank strings. */
  public static List<String> strings(Map<String, ?> object, String field, String what) {
    Object value = object.get(field);
    if (value == null) {
      throw new ContractException(what + " has no '" + field + "'");
    }
    if (!(value instanceof List<?> list)) {
      throw new ContractException(what + " field '" + field + "' must be an array, not " + kind(value));
    }
    for (Object item : list) {
      if (!(item instanceof String s) || s.isBlank()) {
        throw new ContractException(
            what + " field '" + field + "' must hold only non-blank strings, found " + kind(item));
      }
    }
    return list.stream().map(String.class::cast).toList();
  }

  /** A short, human name for a JSON value's type, for error messages. */
  public static String kind(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof String) {
      return "a string";
    }
    if (value instanceof Number) {
      return "a number";
    }
    if (value instanceof Boolean) {
      return "a boolean";
    }
    if (value instanceof List<?>) {
      return "an array";
    }
    if (value instanceof Map<?, ?>) {
      return "an object";
    }
    return value.getClass().getSimpleName();
  }

  private static Map<String, Object> copy(Map<?, ?> map) {
    Map<String, Object> copy = new LinkedHashMap<>();
    map.forEach((k, v) -> copy.put(String.valueOf(k), v));
    return copy;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    int newline = message.indexOf('\n');
    String line = newline < 0 ? message : message.substring(0, newline);
    // Jackson names a source it was told not to include; the position is what helps.
    return line.replace("[Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); ", "[");
  }
}
