package dev.priorityqueues.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.pulumi.exceptions.RunException;
import com.pulumi.test.TestOptions;
import com.pulumi.test.TestResult;
import com.pulumi.test.internal.PulumiTestInternal;
import dev.priorityqueues.infra.config.ConfigKey;
import dev.priorityqueues.infra.testing.AwsMocks;
import dev.priorityqueues.infra.testing.FakeArchives;
import dev.priorityqueues.infra.testing.ProgramTest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link App#stack} end to end with Pulumi config, as {@code pulumi up} passes it: structured
 * values as JSON text. Only Pulumi's internal test API can pass config, so only this test uses it.
 */
class AppTest extends ProgramTest {

  @TempDir Path codeRoot;
  final List<LogRecord> logged = new ArrayList<>();
  final AwsMocks mocks = new AwsMocks();

  private TestResult run(Map<String, String> keys) {
    Map<String, String> config = new HashMap<>();
    keys.forEach((k, v) -> config.put(ConfigKey.PROJECT + ":" + k, v));
    Logger logger = Logger.getAnonymousLogger();
    logger.setUseParentHandlers(false);
    logger.addHandler(new Handler() {
      @Override public void publish(LogRecord record) {
        logged.add(record);
      }

      @Override public void flush() {}

      @Override public void close() {}
    });
    return PulumiTestInternal.builder()
        .options(TestOptions.builder().projectName(ConfigKey.PROJECT).stackName("app").build())
        .mocks(mocks)
        .config(config)
        .standardLogger(logger)
        .build()
        .runTest(App::stack);
  }

  private Map<String, String> valid() {
    Map<String, String> config = new HashMap<>();
    config.put("jwtIssuer", "https://issuer.example.com/");
    config.put("jwtAudience", "[\"web\"]");
    config.put("codeRoot", FakeArchives.complete(codeRoot).toString());
    return config;
  }

  @Test
  void readsStructuredConfigAndWarnsThroughPulumi() {
    Map<String, String> config = valid();
    config.put("tiers", """
        [{"name":"high","subscriptions":["paid"],"maxConcurrency":900},
         {"name":"low","subscriptions":["free"],"maxConcurrency":100}]""");

    TestResult result = run(config);

    assertThat(result.exitCode()).as("%s", result.errors()).isZero();
    assertThat(mocks.resources()).anySatisfy(r -> assertThat(r.name()).isEqualTo("tier-high-queue"));
    assertThat(logged).filteredOn(r -> r.getLevel() == Level.WARNING).singleElement()
        .satisfies(r -> assertThat(r.getMessage()).contains("add up to 1000", "unreserved"));
  }

  @Test
  void invalidConfigStopsTheProgramBeforeAnythingIsCreated() {
    Map<String, String> config = valid();
    config.put("visibilityTimeoutSeconds", "30");
    config.put("jwtIssuer", "http://insecure.example.com/");

    TestResult result = run(config);

    assertThat(result.exitCode()).isNotZero();
    assertThat(mocks.resources()).isEmpty();
    assertThat(result.exceptions()).anySatisfy(e -> assertThat(e).hasRootCauseInstanceOf(RunException.class)
        .rootCause().hasMessageContainingAll("2 invalid config values", "visibilityTimeoutSeconds", "jwtIssuer"));
  }

  /** What {@code pulumi up} prints: the runner's error output, as the engine receives it. */
  @Test
  void invalidConfigPrintsOnlyTheListOfProblems() {
    Map<String, String> config = valid();
    config.put("eventMaxAgeSeconds", "86401");
    config.put("routerEventMaxAgeSeconds", "86400");

    TestResult result = run(config);

    assertThat(result.exitCode()).isNotZero();
    String printed = String.join("\n", result.errors());
    assertThat(printed).contains(
        "priority-queues has 2 invalid config values; nothing was created:",
        "  - eventMaxAgeSeconds must be from 60 to 86400 seconds, not 86401",
        "  - routerEventMaxAgeSeconds must be from 60 to 21600 seconds, not 86400",
        "README.md lists every key.");
    assertThat(printed).doesNotContain("unhandled exception", "Exception", "\tat ", "at dev.priorityqueues", "at com.pulumi");
  }
}
