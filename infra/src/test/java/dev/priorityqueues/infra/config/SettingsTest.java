package dev.priorityqueues.infra.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.priorityqueues.contract.Flow;
import dev.priorityqueues.contract.Transcoding;
import dev.priorityqueues.infra.testing.TestSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {

  @TempDir Path dir;

  @Test
  void defaultsAreTheDocumentedOnes() {
    Settings s = TestSettings.defaults(dir);

    assertThat(s.tiers()).extracting(Settings.Tier::name).containsExactly("premium", "regular");
    assertThat(s.tiers().get(0)).isEqualTo(new Settings.Tier("premium", List.of("premium", "pro"), 20, 5, 1, 0));
    assertThat(s.tiers().get(1)).isEqualTo(new Settings.Tier("regular", List.of("free", "basic"), 10, 5, 1, 0));
    assertThat(s.defaultTier()).as("the last tier").isEqualTo("regular");
    assertThat(s.flow()).isEqualTo(Flow.HIGHEST_FIRST);
    assertThat(s.worker()).isEqualTo(new Settings.Worker(3538, 900, Optional.empty(), "transcode", "x86_64", 512,
        new Settings.Transcode(List.of(720, 360), Transcoding.Corner.BOTTOM_RIGHT, 1000, Transcoding.DEFAULT_SPEED),
        Optional.empty()));
    assertThat(s.worker().snapStart()).isTrue();
    assertThat(s.queues()).as("visibility 6x the timeout").isEqualTo(new Settings.Queues(5400, 345_600, 1_209_600));
    assertThat(s.tuning()).isEqualTo(new Settings.FlowTuning(3, 2, true, 3, 5, 1000, 2000, 2, true));
    assertThat(s.accountConcurrency()).isEqualTo(1000);
    assertThat(s.uploads()).isEqualTo(new Settings.Uploads(1L << 30,
        List.of("video/mp4", "video/quicktime", "video/webm"), 900, 86_400, 30, 7, 10, 20L << 30));
    assertThat(s.privacy()).as("90 days for records and outputs").isEqualTo(new Settings.Privacy(90, 90,
        dev.priorityqueues.contract.RejectedInputs.DELETE, 14, dev.priorityqueues.contract.UserPseudonyms.Mode.HASHED));
    assertThat(s.auth()).isEqualTo(new Settings.Auth(TestSettings.ISSUER, List.of(TestSettings.AUDIENCE), List.of("uploads:write"),
        List.of("uploads:read")));
    assertThat(s.alarms()).isEqualTo(new Settings.Alarms(Optional.empty(), Optional.empty(), 300, 3600, 5, 10, 10, 60));
    assertThat(s.logRetentionDays()).isEqualTo(30);
    assertThat(s.protectData()).isTrue();
    assertThat(s.tags()).isEmpty();
    assertThat(s.codeRoot()).isEqualTo(dir.toAbsolutePath().normalize());
    assertThat(s.warnings()).isEmpty();
  }

  @Test
  void structuredValuesArriveAsJsonAndListsMayBeCommaSeparated() {
    Settings s = TestSettings.with(dir, Map.of(
        "tiers", """
            [{"name":"gold","subscriptions":["gold"],"maxConcurrency":50,"maxReceiveCount":3,
              "batchSize":100,"batchingWindowSeconds":5},
             {"name":"silver","subscriptions":["silver"],"maxConcurrency":20},
             {"name":"bronze","subscriptions":[],"maxConcurrency":2}]""",
        "defaultTier", "bronze",
        "jwtAudience", "web, mobile",
        "uploadContentTypes", "[\"video/mp4\"]",
        "tags", "{\"team\":\"media\",\"cost-center\":\"42\"}",
        "workerTimeoutSeconds", "120",
        "visibilityTimeoutSeconds", "720",
        "workerReservedConcurrency", "100"));

    assertThat(s.tiers()).extracting(Settings.Tier::name).containsExactly("gold", "silver", "bronze");
    assertThat(s.tiers().get(0)).isEqualTo(new Settings.Tier("gold", List.of("gold"), 50, 3, 100, 5));
    assertThat(s.defaultTier()).isEqualTo("bronze");
    assertThat(s.auth().jwtAudience()).containsExactly("web", "mobile");
    assertThat(s.uploads().contentTypes()).containsExactly("video/mp4");
    assertThat(s.tags()).containsExactly(Map.entry("team", "media"), Map.entry("cost-center", "42"));
    assertThat(s.queues().visibilityTimeoutSeconds()).isEqualTo(720);
    assertThat(s.worker().reservedConcurrency()).contains(100);
    assertThat(s.sumOfMaxConcurrency()).isEqualTo(72);
  }

  @Test
  void visibilityTimeoutFollowsTheWorkerTimeoutUnlessSet() {
    assertThat(TestSettings.with(dir, Map.of("workerTimeoutSeconds", "900")).queues().visibilityTimeoutSeconds())
        .isEqualTo(5400);
  }

  /** The seed's split of a 1000 account, without reservations: allowed, but never silently. */
  @Test
  void tiersCloseToTheAccountLimitWarnWhy() {
    Settings s = TestSettings.with(dir, Map.of("tiers", """
        [{"name":"high","subscriptions":["paid"],"maxConcurrency":900},
         {"name":"low","subscriptions":["free"],"maxConcurrency":100}]"""));

    assertThat(s.warnings()).singleElement().asString()
        .contains("add up to 1000", "900", "AWS keeps 100 unreserved", "starve", "maxReceiveCount",
            "workerReservedConcurrency");
  }

  @Test
  void tiersWithinTheUnreservedPoolDoNotWarn() {
    Settings s = TestSettings.with(dir, Map.of("accountConcurrency", "130"));
    assertThat(s.sumOfMaxConcurrency()).isEqualTo(30);
    assertThat(s.warnings()).isEmpty();
  }

  @Test
  void aStackFileReadsLikePulumiConfig() throws IOException {
    Files.writeString(dir.resolve("Pulumi.yaml"), "name: priority-queues\nruntime: java\n");
    Files.writeString(dir.resolve("Pulumi.demo.yaml"), """
        config:
          aws:region: eu-west-1
          priority-queues:jwtIssuer: https://login.example.org/
          priority-queues:jwtAudience:
            - web
          priority-queues:flow: consumer-level
          priority-queues:drain: false
          priority-queues:workerMemoryMb: 2048
          priority-queues:tiers:
            - name: vip
              subscriptions: [vip]
              maxConcurrency: 5
            - name: rest
              subscriptions: []
              maxConcurrency: 3
          priority-queues:tags:
            owner: media
        """);

    Settings s = Settings.fromStackFile(dir, "demo");

    assertThat(s.flow()).isEqualTo(Flow.CONSUMER_LEVEL);
    assertThat(s.tuning().drain()).isFalse();
    assertThat(s.worker().memoryMb()).isEqualTo(2048);
    assertThat(s.tiers()).extracting(Settings.Tier::name).containsExactly("vip", "rest");
    assertThat(s.defaultTier()).isEqualTo("rest");
    assertThat(s.auth().jwtAudience()).containsExactly("web");
    assertThat(s.tags()).containsEntry("owner", "media");
    assertThat(s.codeRoot()).as("the directory of the stack file").isEqualTo(dir.toAbsolutePath().normalize());
  }

  @Test
  void theCodeRootResolvesAgainstTheProjectDirectory() throws IOException {
    Files.createDirectories(dir.resolve("build/out"));
    assertThat(TestSettings.with(dir, Map.of("codeRoot", "build/out")).codeRoot())
        .isEqualTo(dir.resolve("build/out").toAbsolutePath().normalize());
  }

  @Test
  void theProjectDirectoryIsFoundFromASubdirectory() throws IOException {
    Files.writeString(dir.resolve("Pulumi.yaml"), "name: priority-queues\nruntime: java\n");
    Path infra = Files.createDirectories(dir.resolve("infra/src"));
    assertThat(StackFiles.findProjectDir(infra)).isEqualTo(dir.toAbsolutePath().normalize());
  }
}
