package dev.priorityqueues.infra.testing;

import dev.priorityqueues.infra.config.Settings;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Settings for tests: the defaults plus the two required keys, through the real parser. */
public final class TestSettings {
  private TestSettings() {}

  public static final String ISSUER = "https://issuer.example.com/";
  public static final String AUDIENCE = "priority-queues-test";

  /** The raw config every valid test stack starts from. */
  public static Map<String, String> required() {
    Map<String, String> raw = new HashMap<>();
    raw.put("jwtIssuer", ISSUER);
    raw.put("jwtAudience", AUDIENCE);
    return raw;
  }

  public static Settings defaults(Path codeRoot) {
    return with(codeRoot, Map.of());
  }

  /** The required keys plus {@code overrides}, parsed as Pulumi config text. */
  public static Settings with(Path codeRoot, Map<String, String> overrides) {
    Map<String, String> raw = required();
    raw.putAll(overrides);
    return Settings.parse(raw, codeRoot);
  }
}
