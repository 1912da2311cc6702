package dev.priorityqueues.infra;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;

/** The one Jackson mapper of the program: policy documents, event patterns, dashboards, config. */
public final class JsonSupport {
  private JsonSupport() {}

  /**
   * Strict on reading, like the functions' contract.Json: a tier written with one field twice, or
   * text after the JSON, is a mistake to report, not something to half-read.
   */
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** Maps, lists, strings, numbers and booleans to compact JSON. */
  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot write JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** Parses JSON text; throws {@link JsonProcessingException} with a readable message. */
  public static JsonNode read(String text) throws JsonProcessingException {
    return MAPPER.readTree(text);
  }
}
