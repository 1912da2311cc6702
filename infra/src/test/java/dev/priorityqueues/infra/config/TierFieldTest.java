package dev.priorityqueues.infra.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.priorityqueues.infra.testing.TestSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The tier fields have one source: the parser's defaults and the README's tier table both come from TierField. */
class TierFieldTest {

  @Test
  void theReadmeTierTableIsTierField() throws IOException {
    String readme = Files.readString(StackFiles.findProjectDir(Path.of("")).resolve("README.md"));
    String table = readme.substring(readme.indexOf("Each entry of `tiers`:"));
    for (TierField field : TierField.values()) {
      assertThat(table).as("README row for tiers[].%s", field.key()).contains(field.readmeRow());
    }
  }

  @Test
  void aTierThatLeavesTheFieldsOutGetsTheirDefaults() {
    Settings settings = TestSettings.with(Path.of("."), Map.of("tiers",
        "[{\"name\":\"only\",\"subscriptions\":[],\"maxConcurrency\":2}]"));
    Settings.Tier tier = settings.tiers().get(0);

    assertThat(tier.maxReceiveCount()).isEqualTo(TierField.MAX_RECEIVE_COUNT.defaultValue().orElseThrow());
    assertThat(tier.batchSize()).isEqualTo(TierField.BATCH_SIZE.defaultValue().orElseThrow());
    assertThat(tier.batchingWindowSeconds()).isEqualTo(TierField.BATCHING_WINDOW_SECONDS.defaultValue().orElseThrow());
  }
}
