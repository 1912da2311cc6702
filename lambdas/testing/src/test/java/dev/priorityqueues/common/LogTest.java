package dev.priorityqueues.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.priorityqueues.common.testing.CapturedLines;
import dev.priorityqueues.contract.EnvReader;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogTest {

  private final CapturedLines lines = new CapturedLines();
  private final Clock clock = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);

  @Test
  void writesOneJsonObjectPerLineWithContextThenFields() {
    Log log = Log.create("worker", Log.Level.INFO, lines, clock);
    log.with("requestId", "r-1").with("videoKey", "uploads/u/a.mp4").with("tier", "premium")
        .info("job done", "millis", 12, "container", "mp4", "skipped", null);
    assertThat(lines.lines()).containsExactly(
        "{\"timestamp\":\"2026-11-22T10:00:00Z\",\"level\":\"INFO\",\"message\":\"job done\",\"function\":\"worker\","
            + "\"requestId\":\"r-1\",\"videoKey\":\"uploads/u/a.mp4\",\"tier\":\"premium\",\"millis\":12,\"container\":\"mp4\"}");
  }

  @Test
  void honoursLambdasLogLevelAndEscapesText() {
    Log log = Log.create("router", new EnvReader(Map.of("AWS_LAMBDA_LOG_LEVEL", "warn")), lines, clock);
    log.info("hidden");
    log.debug("hidden");
    log.warn("quote \" and newline \n kept apart");
    assertThat(lines.json()).singleElement().satisfies(line -> {
      assertThat(line).containsEntry("level", "WARN").containsEntry("message", "quote \" and newline \n kept apart");
    });
    assertThat(lines.lines().getFirst()).doesNotContain("\n");
  }

  @Test
  void errorsCarryTypeMessageAndAShortStack() {
    Log log = Log.create("presign", Log.Level.INFO, lines, clock);
    log.error("failed", new IllegalStateException("boom", new RuntimeException("root")));
    Map<String, Object> line = lines.json().getFirst();
    assertThat(line).containsEntry("errorType", "java.lang.IllegalStateException").containsEntry("errorMessage", "boom");
    assertThat((String) line.get("stackTrace")).contains("LogTest").contains("caused by java.lang.RuntimeException: root");
  }

  @Test
  void contextIsImmutableAndRemovable() {
    Log root = Log.create("worker", Log.Level.INFO, lines, clock);
    Log job = root.with("videoKey", "k");
    root.info("root");
    job.with("videoKey", null).info("cleared");
    assertThat(lines.json()).allSatisfy(line -> assertThat(line).doesNotContainKey("videoKey"));
    assertThatThrownBy(() -> root.info("odd", "key")).hasMessageContaining("key/value pairs");
  }
}
