package dev.priorityqueues.infra.components;

import static dev.priorityqueues.infra.testing.Types.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.priorityqueues.contract.FunctionEnv;
import dev.priorityqueues.contract.Functions;
import dev.priorityqueues.infra.testing.Deployment;
import dev.priorityqueues.infra.testing.FakeArchives;
import dev.priorityqueues.infra.testing.MockResource;
import dev.priorityqueues.infra.testing.ProgramTest;
import dev.priorityqueues.infra.testing.TestSettings;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What every function shares: runtime, tracing, SnapStart behind an alias, its own role and logs. */
class LambdaFunctionTest extends ProgramTest {

  @TempDir static Path codeRoot;
  static Deployment deployment;

  @BeforeAll
  static void deploy() {
    deployment = Deployment.run(TestSettings.with(FakeArchives.complete(codeRoot),
        Map.of("logRetentionDays", "90", "presignMemoryMb", "256", "routerTimeoutSeconds", "45"))).assertSucceeded();
  }

  private static MockResource function(Functions f) {
    return deployment.one(FUNCTION, f.id() + "-function");
  }

  @ParameterizedTest
  @EnumSource(Functions.class)
  void runsTheContractsHandlerFromItsArchiveOnJava21(Functions f) throws ReflectiveOperationException {
    MockResource function = function(f);
    assertThat(function.string("runtime")).isEqualTo("java21");
    assertThat(function.string("handler")).isEqualTo(f.handler());
    assertThat(archivePath(function.get("code"))).isEqualTo(codeRoot.resolve(f.archive()).toAbsolutePath().normalize());
  }

  @ParameterizedTest
  @EnumSource(Functions.class)
  void tracesWithXRay(Functions f) {
    assertThat(function(f).nested("tracingConfig", "mode")).isEqualTo("Active");
  }

  @ParameterizedTest
  @EnumSource(Functions.class)
  void publishesSnapStartVersionsBehindTheLiveAlias(Functions f) {
    MockResource function = function(f);
    assertThat(function.get("publish")).isEqualTo(true);
    assertThat(function.nested("snapStart", "applyOn")).isEqualTo("PublishedVersions");

    MockResource alias = deployment.one(ALIAS, f.id() + "-live");
    assertThat(alias.string("name")).isEqualTo("live");
    assertThat(alias.string("functionName")).isEqualTo(f.id() + "-function");
    assertThat(alias.string("functionVersion")).as("the version the function published").isEqualTo("1");
  }

  @ParameterizedTest
  @EnumSource(Functions.class)
  void logsToItsOwnLogGroupWithRetention(Functions f) {
    MockResource logGroup = deployment.one(LOG_GROUP, f.id() + "-logs");
    assertThat(logGroup.number("retentionInDays")).isEqualTo(90);
    assertThat(function(f).nested("loggingConfig", "logGroup")).isEqualTo(f.id() + "-logs");
  }

  @ParameterizedTest
  @EnumSource(Functions.class)
  void runsAsItsOwnRole(Functions f) {
    assertThat(function(f).string("role")).isEqualTo("arn:aws:iam::123456789012:role/" + f.id() + "-role");
    assertThat(deployment.one(ROLE_POLICY, f.id() + "-policy").string("role")).isEqualTo(f.id() + "-role");
  }

  @ParameterizedTest
  @EnumSource(Functions.class)
  void everyFunctionGetsTheSharedEnvironment(Functions f) {
    @SuppressWarnings("unchecked")
    Map<String, String> env = (Map<String, String>) function(f).nested("environment", "variables");
    assertThat(env).containsKeys(FunctionEnv.TIERS, FunctionEnv.DEFAULT_TIER, FunctionEnv.VIDEOS_TABLE,
        FunctionEnv.USERS_TABLE, FunctionEnv.BUCKET);
    assertThat(env).as("recordRetentionDays, rejectedInputs and logUserIds at their defaults")
        .containsEntry(FunctionEnv.PRIVACY, "90,delete,hashed");
  }

  @Test
  void theRouterGetsTheUploadLimitAndTheFairQueueSwitch() {
    @SuppressWarnings("unchecked")
    Map<String, String> env = (Map<String, String>) function(Functions.ROUTER).nested("environment", "variables");
    assertThat(env).containsEntry(FunctionEnv.UPLOAD_MAX_BYTES, "1073741824")
        .containsEntry(FunctionEnv.FAIR_QUEUES, "true")
        .doesNotContainKey(FunctionEnv.FLOW);
  }

  @Test
  void presignGetsTheUploadSettings() {
    @SuppressWarnings("unchecked")
    Map<String, String> env = (Map<String, String>) function(Functions.PRESIGN).nested("environment", "variables");
    assertThat(env).containsEntry(FunctionEnv.UPLOAD_MAX_BYTES, "1073741824")
        .containsEntry(FunctionEnv.UPLOAD_CONTENT_TYPES, "video/mp4,video/quicktime,video/webm")
        .containsEntry(FunctionEnv.UPLOAD_URL_EXPIRY_SECONDS, "900")
        .containsEntry(FunctionEnv.PENDING_UPLOAD_TTL_SECONDS, "86400")
        .doesNotContainKey(FunctionEnv.FLOW);
  }

  @Test
  void presignAndRouterSizesComeFromTheSettings() {
    assertThat(function(Functions.PRESIGN).number("memorySize")).isEqualTo(256);
    assertThat(function(Functions.PRESIGN).number("timeout")).isEqualTo(10);
    assertThat(function(Functions.ROUTER).number("memorySize")).isEqualTo(512);
    assertThat(function(Functions.ROUTER).number("timeout")).isEqualTo(45);
  }

  /** A FileArchive keeps its path in a protected field; the mocks never open it. */
  static Path archivePath(Object code) throws ReflectiveOperationException {
    Field value = com.pulumi.asset.AssetOrArchive.class.getDeclaredField("value");
    value.setAccessible(true);
    return Path.of((String) value.get(code));
  }
}
