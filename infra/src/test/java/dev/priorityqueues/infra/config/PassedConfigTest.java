package dev.priorityqueues.infra.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import com.pulumi.Config;
import com.pulumi.deployment.internal.DeploymentImpl;
import dev.priorityqueues.infra.testing.FakeArchives;
import dev.priorityqueues.infra.testing.TestSettings;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Config as {@code pulumi up} passes it: every key in the environment, read through Pulumi's own Config. */
class PassedConfigTest {

  @TempDir Path dir;

  /** The variables the Pulumi CLI sets for a program, for {@code config} (keys without namespace). */
  private static Map<String, String> environment(Map<String, String> config, String... secretKeys) {
    StringBuilder json = new StringBuilder("{\"aws:region\":\"us-east-1\"");
    config.forEach((k, v) -> json.append(",\"").append(ConfigKey.PROJECT).append(':').append(k).append("\":\"")
        .append(v.replace("\"", "\\\"")).append('"'));
    StringBuilder secrets = new StringBuilder("[");
    for (String key : secretKeys) {
      secrets.append(secrets.length() > 1 ? "," : "").append('"').append(ConfigKey.PROJECT).append(':').append(key).append('"');
    }
    return Map.of(PassedConfig.CONFIG_VARIABLE, json.append('}').toString(),
        PassedConfig.SECRET_KEYS_VARIABLE, secrets.append(']').toString());
  }

  private static Config pulumiConfig(Map<String, String> config, String... secretKeys) {
    ImmutableMap.Builder<String, String> qualified = ImmutableMap.builder();
    config.forEach((k, v) -> qualified.put(ConfigKey.PROJECT + ":" + k, v));
    ImmutableSet.Builder<String> secrets = ImmutableSet.builder();
    for (String key : secretKeys) {
      secrets.add(ConfigKey.PROJECT + ":" + key);
    }
    return new Config(new DeploymentImpl.Config(qualified.build(), secrets.build()), ConfigKey.PROJECT);
  }

  private Map<String, String> valid() {
    Map<String, String> config = new LinkedHashMap<>(TestSettings.required());
    config.put("codeRoot", FakeArchives.complete(dir).toString());
    return config;
  }

  @Test
  void readsThisProjectsKeysAndSecretsFromTheCliEnvironment() {
    PassedConfig passed = PassedConfig.fromEnvironment(Map.of(
        PassedConfig.CONFIG_VARIABLE,
        "{\"aws:region\":\"eu-west-1\",\"priority-queues:flow\":\"queue-level\",\"priority-queues:config:tags\":\"{}\"}",
        PassedConfig.SECRET_KEYS_VARIABLE, "[\"aws:secretKey\",\"priority-queues:flow\"]"));

    assertThat(passed.names()).containsExactlyInAnyOrder("flow", "tags");
    assertThat(passed.secretNames()).containsExactly("flow");
    assertThat(PassedConfig.fromEnvironment(Map.of())).isEqualTo(PassedConfig.NONE);
  }

  @Test
  void aMisspeltKeyUnderPulumiUpIsReportedNotIgnored() {
    Map<String, String> config = valid();
    config.put("workerMemory", "2048");

    assertThatThrownBy(() -> Settings.fromConfig(pulumiConfig(config), PassedConfig.fromEnvironment(environment(config)), dir))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("unknown config key 'workerMemory'");
  }

  @Test
  void theSameKeysPassWhenEveryOneIsKnown() {
    Map<String, String> config = valid();
    config.put("flow", "consumer-level");

    Settings settings = Settings.fromConfig(pulumiConfig(config), PassedConfig.fromEnvironment(environment(config)), dir);

    assertThat(settings.flow().id()).isEqualTo("consumer-level");
    assertThat(settings.auth().jwtIssuer()).isEqualTo(TestSettings.ISSUER);
  }

  @Test
  void aSecretIsRefusedAsInAStackFile() {
    Map<String, String> config = valid();

    assertThatThrownBy(() -> Settings.fromConfig(pulumiConfig(config, "jwtIssuer"),
            PassedConfig.fromEnvironment(environment(config, "jwtIssuer")), dir))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("jwtIssuer is encrypted in this stack's config");
  }

  @Test
  void aCorruptEnvironmentSaysWhichVariable() {
    assertThatThrownBy(() -> PassedConfig.fromEnvironment(Map.of(PassedConfig.CONFIG_VARIABLE, "{not json")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("PULUMI_CONFIG, set by the Pulumi CLI, is not JSON");
  }
}
