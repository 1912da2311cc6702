package dev.priorityqueues.infra.components;

import static dev.priorityqueues.infra.testing.Types.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.priorityqueues.contract.EnvReader;
import dev.priorityqueues.contract.FunctionEnv;
import dev.priorityqueues.contract.Transcoding;
import dev.priorityqueues.infra.FunctionArchives;
import dev.priorityqueues.infra.config.Settings;
import dev.priorityqueues.infra.testing.Deployment;
import dev.priorityqueues.infra.testing.FakeArchives;
import dev.priorityqueues.infra.testing.MockResource;
import dev.priorityqueues.infra.testing.ProgramTest;
import dev.priorityqueues.infra.testing.TestSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The FFmpeg layer, the worker's architecture and /tmp, and what they do to SnapStart. */
class FfmpegLayerTest extends ProgramTest {

  @TempDir static Path codeRoot;
  static Deployment transcoding;
  static Deployment graviton;
  static Deployment simulated;

  @BeforeAll
  static void deploy() {
    FakeArchives.complete(codeRoot);
    transcoding = Deployment.run(TestSettings.defaults(codeRoot)).assertSucceeded();
    graviton = Deployment.run(TestSettings.with(codeRoot, Map.of(
        "workerArchitecture", "arm64",
        "workerEphemeralStorageMb", "2048",
        "renditions", "360,1080",
        "watermarkCorner", "top-left",
        "thumbnailOffsetMillis", "2500",
        "transcodeSpeed", "0.75",
        "eventBusArn", "arn:aws:events:eu-west-1:123456789012:event-bus/pipeline"))).assertSucceeded();
    simulated = Deployment.run(TestSettings.with(codeRoot, Map.of("workerProcessor", "simulated:100")))
        .assertSucceeded();
  }

  private static MockResource worker(Deployment deployment) {
    return deployment.one(FUNCTION, "worker-function");
  }

  @Test
  void theDefaultWorkerTranscodesWithTheLayerForItsArchitecture() {
    MockResource layer = transcoding.one(LAYER_VERSION, "worker-ffmpeg");
    assertThat(layer.list("compatibleArchitectures")).containsExactly("x86_64");
    assertThat(layer.list("compatibleRuntimes")).containsExactly("java21");
    assertThat(layer.string("layerName")).isEqualTo("priority-queues-ffmpeg-" + Deployment.STACK);
    assertThat(layer.string("licenseInfo")).as("FFmpeg's and the crypto provider's")
        .isEqualTo("GPL-3.0-or-later AND Apache-2.0");
    assertThat(worker(transcoding).list("layers"))
        .containsExactly("arn:aws:lambda:us-east-1:123456789012:layer:priority-queues-ffmpeg-test:1");
    assertThat(worker(transcoding).list("architectures")).containsExactly("x86_64");
    assertThat(worker(transcoding).nested("ephemeralStorage", "size")).isEqualTo(512.0);
    assertThat(worker(transcoding).nested("snapStart", "applyOn")).isEqualTo("PublishedVersions");
  }

  @Test
  void graviton_getsTheArmLayer_andMoreTmpTurnsSnapStartOff() {
    assertThat(graviton.one(LAYER_VERSION, "worker-ffmpeg").list("compatibleArchitectures")).containsExactly("arm64");
    assertThat(worker(graviton).list("architectures")).containsExactly("arm64");
    assertThat(worker(graviton).nested("ephemeralStorage", "size")).isEqualTo(2048.0);
    assertThat(worker(graviton).nested("snapStart", "applyOn"))
        .as("SnapStart refuses more than 512 MB of /tmp").isEqualTo("None");
    assertThat(graviton.one(FUNCTION, "presign-function").nested("snapStart", "applyOn"))
        .as("only the worker loses SnapStart").isEqualTo("PublishedVersions");
  }

  @Test
  void theTranscodeSettingsReachTheWorkerAsItReadsThem() {
    @SuppressWarnings("unchecked")
    EnvReader env = new EnvReader((Map<String, String>) worker(graviton).nested("environment", "variables"));
    assertThat(env.require(FunctionEnv.PROCESSOR)).isEqualTo("transcode");
    assertThat(Transcoding.parseRenditions(env.require(FunctionEnv.RENDITIONS), "x")).containsExactly(1080, 360);
    assertThat(Transcoding.Corner.parse(env.require(FunctionEnv.WATERMARK_CORNER), "x"))
        .isEqualTo(Transcoding.Corner.TOP_LEFT);
    assertThat(env.require(FunctionEnv.THUMBNAIL_OFFSET_MILLIS)).isEqualTo("2500");
    assertThat(Transcoding.parseSpeed(env.require(FunctionEnv.TRANSCODE_SPEED), "x")).isEqualTo(0.75);
  }

  @Test
  void completionEventsGoToTheDefaultOrTheConfiguredBusAndOnlyThere() {
    @SuppressWarnings("unchecked")
    Map<String, String> byDefault = (Map<String, String>) worker(transcoding).nested("environment", "variables");
    assertThat(byDefault).containsEntry(FunctionEnv.EVENT_BUS, "arn:aws:events:us-east-1:123456789012:event-bus/default");
    assertThat(transcoding.outputs()).containsEntry("completionEventSource", "priority-queues")
        .containsEntry("completionEventDetailTypes", Map.of("DONE", "Video Processed", "FAILED", "Video Failed"))
        .containsEntry("completionEventBusArn", "arn:aws:events:us-east-1:123456789012:event-bus/default");
    String policy = graviton.one(ROLE_POLICY, "worker-policy").string("policy");
    assertThat(policy).contains("arn:aws:events:eu-west-1:123456789012:event-bus/pipeline")
        .doesNotContain("event-bus/default").doesNotContain("events:*");
  }

  @Test
  void aWorkerThatDoesNotTranscodeGetsNoLayer() {
    assertThat(simulated.all(LAYER_VERSION)).isEmpty();
    assertThat(worker(simulated).inputs()).doesNotContainKey("layers");
    @SuppressWarnings("unchecked")
    Map<String, String> env = (Map<String, String>) worker(simulated).nested("environment", "variables");
    assertThat(env).doesNotContainKey(FunctionEnv.RENDITIONS);
  }

  @Test
  void multipartUploadsOfResultsMayBeAborted() {
    String policy = transcoding.one(ROLE_POLICY, "worker-policy").string("policy");
    assertThat(policy).contains("s3:AbortMultipartUpload");
  }

  @Test
  void aMissingOrWrongLayerArchiveStopsTheProgramWithWhatToDo(@TempDir Path other) throws Exception {
    FakeArchives.complete(other);
    Files.delete(other.resolve(Transcoding.layerArchive("arm64")));
    assertThatThrownBy(() -> FunctionArchives.verifyLayer(other, "arm64"))
        .hasMessageContaining("arm64 FFmpeg layer archive").hasMessageContaining("does not exist")
        .hasMessageContaining("mvn -B -DskipTests package");
    FakeArchives.write(other.resolve(Transcoding.layerArchive("x86_64")), "ffmpeg");
    assertThatThrownBy(() -> FunctionArchives.verifyLayer(other, "x86_64"))
        .hasMessageContaining("does not contain bin/ffmpeg");
    FakeArchives.write(other.resolve(Transcoding.layerArchive("x86_64")), Transcoding.LAYER_BINARY);
    assertThatThrownBy(() -> FunctionArchives.verifyLayer(other, "x86_64"))
        .hasMessageContaining("does not contain java/lib/AmazonCorrettoCryptoProvider.jar");
    Settings arm = TestSettings.with(other, Map.of("workerArchitecture", "arm64"));
    assertThat(Deployment.run(arm).exitCode()).as("the program stops before creating anything").isNotZero();
  }
}
