package dev.priorityqueues.infra.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Fuzz target for the settings loader: any raw config text (as Pulumi hands it over, or as read
 * from a stack file) becomes valid settings or an {@link InvalidConfigException} whose every line
 * names a key. Nothing else may escape: the program must never create a resource from bad config.
 */
class SettingsFuzzTest {

  private static final Path CODE_ROOT;

  static {
    try {
      CODE_ROOT = Files.createTempDirectory("settings-fuzz");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @FuzzTest(maxDuration = "60s")
  void rawConfig(FuzzedDataProvider data) {
    Map<String, String> raw = new LinkedHashMap<>();
    raw.put("jwtIssuer", "https://issuer.example/");
    raw.put("jwtAudience", "[\"app\"]");
    raw.put("codeRoot", CODE_ROOT.toString());
    ConfigKey[] keys = ConfigKey.values();
    int count = data.consumeInt(1, 6);
    for (int i = 0; i < count; i++) {
      ConfigKey key = data.pickValue(keys);
      if (key != ConfigKey.CODE_ROOT) {
        raw.put(key.key(), data.consumeString(300));
      }
    }
    try {
      Settings settings = Settings.parse(raw, CODE_ROOT);
      assertThat(settings.tiers()).isNotEmpty();
      assertThat(settings.queues().visibilityTimeoutSeconds()).isGreaterThanOrEqualTo(6 * settings.worker().timeoutSeconds());
    } catch (InvalidConfigException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
  }
}
