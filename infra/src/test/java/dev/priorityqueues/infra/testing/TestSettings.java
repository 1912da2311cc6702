package dev.priorityqueues.infra.testing;

import dev.priorityqueues.infra.config.Settings;
import dev.priorityqueues.contract.TierTable;
import dev.priorityqueues.infra.JsonSupport;
import dev.priorityqueues.infra.config.Limits;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

  /**
   * The most tiers, each with the longest name, and subscriptions of the longest names filling
   * their whole budget: the largest tier table the program writes into every environment.
   */
  public static String longestTiers() {
    int perTier = Limits.SUBSCRIPTIONS_BYTES / Limits.MAX_TIERS;
    List<Map<String, Object>> tiers = new ArrayList<>();
    for (int i = 0; i < Limits.MAX_TIERS; i++) {
      String name = (char) ('a' + i) + "-".repeat(TierTable.MAX_NAME_LENGTH - 1);
      List<String> subscriptions = new ArrayList<>();
      int left = perTier + (i == 0 ? Limits.SUBSCRIPTIONS_BYTES % Limits.MAX_TIERS : 0);
      for (int j = 0; left > Limits.SUBSCRIPTION_JSON_OVERHEAD; j++) {
        int length = Math.min(Limits.SUBSCRIPTION_LENGTH, left - Limits.SUBSCRIPTION_JSON_OVERHEAD);
        String sub = (name + j + "x".repeat(Limits.SUBSCRIPTION_LENGTH)).substring(0, length);
        subscriptions.add(sub);
        left -= length + Limits.SUBSCRIPTION_JSON_OVERHEAD;
      }
      tiers.add(Map.of("name", name, "maxConcurrency", 2, "maxReceiveCount", (int) Limits.MAX_RECEIVE_COUNT.max(),
          "subscriptions", subscriptions));
    }
    return JsonSupport.write(tiers);
  }

}
