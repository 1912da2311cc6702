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

  /**
   * logUserIds: hashed (the default, so also with the variable unset): no line carries a raw
   * user id, neither in a userId field nor spelled out by an object key's folder in any value,
   * errors included; plain keeps them.
   */
  @Test
  void aFunctionsLinesCarryNoRawUserIdUnlessToldToKeepThem() {
    String user = "auth0|5f7c8ec7c33c6c004bbafe82";
    String key = dev.priorityqueues.contract.Keys.uploadKey(user, java.util.UUID.randomUUID(), "mp4");
    Map<String, String> env = Map.of(dev.priorityqueues.contract.FunctionEnv.VIDEOS_TABLE, "videos-a1b2c3d");
    Log log = Log.create("router", new EnvReader(env), lines, clock).with("videoKey", key);
    log.warn("upload rejected", "userId", user, "reason", "the object " + key + " is too large");
    log.error("routing failed", new IllegalStateException("no access to " + key));

    String pseudonym = new dev.priorityqueues.contract.UserPseudonyms("videos-a1b2c3d").of(user);
    String folder = dev.priorityqueues.contract.Keys.folderOf(user);
    assertThat(lines.lines()).hasSize(2).allSatisfy(line ->
        assertThat(line).doesNotContain(user).doesNotContain(folder).doesNotContain("5f7c8ec7c33c6c004bbafe82")
            .contains(pseudonym));
    assertThat(lines.json().getFirst()).containsEntry("userId", pseudonym);

    CapturedLines plain = new CapturedLines();
    Map<String, String> plainEnv = Map.of(dev.priorityqueues.contract.FunctionEnv.VIDEOS_TABLE, "videos-a1b2c3d",
        dev.priorityqueues.contract.FunctionEnv.PRIVACY, "90,delete,plain");
    Log.create("router", new EnvReader(plainEnv), plain, clock).warn("upload rejected", "userId", user, "videoKey", key);
    assertThat(plain.json().getFirst()).containsEntry("userId", user).containsEntry("videoKey", key);
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
