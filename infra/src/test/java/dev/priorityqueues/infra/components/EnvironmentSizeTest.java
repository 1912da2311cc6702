package dev.priorityqueues.infra.components;

import static dev.priorityqueues.infra.testing.Types.FUNCTION;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.priorityqueues.contract.Functions;
import dev.priorityqueues.contract.TierTable;
import dev.priorityqueues.infra.JsonSupport;
import dev.priorityqueues.infra.config.InvalidConfigException;
import dev.priorityqueues.infra.config.Limits;
import dev.priorityqueues.infra.testing.AwsMocks;
import dev.priorityqueues.infra.testing.Deployment;
import dev.priorityqueues.infra.testing.FakeArchives;
import dev.priorityqueues.infra.testing.MockResource;
import dev.priorityqueues.infra.testing.ProgramTest;
import dev.priorityqueues.infra.testing.TestSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lambda measures a function's environment as JSON against 4 KB, and so does the program. */
class EnvironmentSizeTest extends ProgramTest {

  @TempDir Path codeRoot;

  @Test
  void bracesQuotesAndSeparatorsCount() {
    // Raw key and value bytes: 2. As Lambda measures it, {"A":"b"}: 9.
    assertThat(LambdaFunction.environmentBytes(Map.of("A", "b"))).isEqualTo(9);
  }

  @Test
  void escapesCount() {
    // {"K":"\"x\\"} (13 bytes): every quote and backslash in a value is escaped.
    assertThat(LambdaFunction.environmentBytes(Map.of("K", "\"x\\"))).isEqualTo(13);
  }

  @Test
  void anEnvironmentUnder4KbRawButOverAsJsonIsRefused() {
    // 1 + 3000 raw bytes; as JSON every quote doubles: over 6000.
    Map<String, String> env = Map.of("T", "\"".repeat(3000));
    assertThatThrownBy(() -> LambdaFunction.checkSize(Functions.WORKER, env))
        .hasMessageContaining("worker function's environment is " + LambdaFunction.environmentBytes(env) + " bytes of JSON");
    Map<String, String> fits = Map.of("T", "x".repeat(4096 - "{\"T\":\"\"}".length()));
    assertThat(LambdaFunction.checkSize(Functions.WORKER, fits)).isSameAs(fits);
  }

  @Test
  void sixTiersWithTheLongestNamesFitEveryFunction() throws Exception {
    FakeArchives.complete(codeRoot);
    String tiers = TestSettings.longestTiers();
    assertThat(JsonSupport.read(tiers)).hasSize(Limits.MAX_TIERS)
        .allSatisfy(t -> assertThat(t.get("name").asText()).hasSize(TierTable.MAX_NAME_LENGTH));
    // Physical names as the provider makes them, in a region with one of the longest names.
    Deployment deployment = Deployment.run(TestSettings.with(codeRoot, Map.of("tiers", tiers,
            "workerProcessor", "simulated:900000", "flow", "consumer-level")), Deployment.STACK,
        new AwsMocks("ap-southeast-2", true)).assertSucceeded();
    List<MockResource> functions = deployment.all(FUNCTION);
    assertThat(functions).hasSize(Functions.all().size()).allSatisfy(f -> {
      String json = JsonSupport.write(f.nested("environment", "variables"));
      assertThat(json.getBytes(UTF_8).length).as(f.name()).isLessThanOrEqualTo(4096);
    });
  }

  @Test
  void subscriptionsOverTheirShareOfTheEnvironmentAreAConfigError() {
    String name = "a".repeat(Limits.SUBSCRIPTION_LENGTH);
    int count = Limits.SUBSCRIPTIONS_BYTES / (name.length() + Limits.SUBSCRIPTION_JSON_OVERHEAD) + 1;
    List<String> subscriptions = java.util.stream.IntStream.range(0, count)
        .mapToObj(i -> String.format("%02d", i) + name.substring(2)).toList();
    String tiers = JsonSupport.write(List.of(Map.of("name", "only", "subscriptions", subscriptions, "maxConcurrency", 2)));
    assertThatThrownBy(() -> TestSettings.with(codeRoot, Map.of("tiers", tiers)))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("over the " + Limits.SUBSCRIPTIONS_BYTES);
  }
}
