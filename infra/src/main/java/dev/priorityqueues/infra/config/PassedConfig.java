package dev.priorityqueues.infra.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.priorityqueues.infra.JsonSupport;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The names of this project's config keys that {@code pulumi up} passed to the program, and which
 * of them are secrets. Pulumi's {@code Config} can only look a key up, not list them, so without
 * this a misspelt key would be silently ignored; the CLI passes every key in the environment
 * ({@code PULUMI_CONFIG}, {@code PULUMI_CONFIG_SECRET_KEYS}), which is where Pulumi's SDKs read
 * them too.
 */
public record PassedConfig(Set<String> names, Set<String> secretNames) {

  static final String CONFIG_VARIABLE = "PULUMI_CONFIG";
  static final String SECRET_KEYS_VARIABLE = "PULUMI_CONFIG_SECRET_KEYS";
  private static final String NAMESPACE = ConfigKey.PROJECT + ":";

  public PassedConfig {
    names = Set.copyOf(names);
    secretNames = Set.copyOf(secretNames);
  }

  /** Nothing known beyond the keys the program asks for: Pulumi's test harness passes no environment. */
  public static final PassedConfig NONE = new PassedConfig(Set.of(), Set.of());

  /** Reads the variables the Pulumi CLI sets; absent variables mean no keys. */
  public static PassedConfig fromEnvironment(Map<String, String> environment) {
    Set<String> names = new LinkedHashSet<>();
    JsonNode config = json(environment.get(CONFIG_VARIABLE), CONFIG_VARIABLE);
    for (Iterator<String> keys = config.fieldNames(); keys.hasNext(); ) {
      name(keys.next()).ifPresent(names::add);
    }
    Set<String> secrets = new LinkedHashSet<>();
    for (JsonNode key : json(environment.get(SECRET_KEYS_VARIABLE), SECRET_KEYS_VARIABLE)) {
      name(key.asText()).ifPresent(secrets::add);
    }
    return new PassedConfig(names, secrets);
  }

  /** {@code priority-queues:key}, or the older {@code priority-queues:config:key}, to {@code key}. */
  private static Optional<String> name(String qualified) {
    if (!qualified.startsWith(NAMESPACE)) {
      return Optional.empty();
    }
    String name = qualified.substring(NAMESPACE.length());
    return Optional.of(name.startsWith("config:") ? name.substring("config:".length()) : name);
  }

  private static JsonNode json(String text, String variable) {
    if (text == null || text.isBlank()) {
      return JsonSupport.mapper().createObjectNode();
    }
    try {
      return JsonSupport.read(text);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(variable + ", set by the Pulumi CLI, is not JSON: " + e.getOriginalMessage(), e);
    }
  }
}
