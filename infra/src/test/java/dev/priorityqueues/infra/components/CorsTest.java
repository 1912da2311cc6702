package dev.priorityqueues.infra.components;

import static dev.priorityqueues.infra.testing.Types.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.priorityqueues.infra.testing.Deployment;
import dev.priorityqueues.infra.testing.FakeArchives;
import dev.priorityqueues.infra.testing.MockResource;
import dev.priorityqueues.infra.testing.ProgramTest;
import dev.priorityqueues.infra.testing.TestSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** corsAllowedOrigins: the same origins on the HTTP API and on the bucket, and nothing when unset. */
class CorsTest extends ProgramTest {

  static final List<String> ORIGINS = List.of("https://app.example.com", "http://localhost:5173");

  @TempDir static Path codeRoot;
  static Deployment withCors;
  static Deployment withoutCors;

  @BeforeAll
  static void deploy() {
    FakeArchives.complete(codeRoot);
    withCors = Deployment.run(TestSettings.with(codeRoot,
        Map.of("corsAllowedOrigins", "[\"https://app.example.com\",\"http://localhost:5173\"]"))).assertSucceeded();
    withoutCors = Deployment.run(TestSettings.with(codeRoot, Map.of())).assertSucceeded();
  }

  @Test
  void theApiAnswersPreflightsForTheOriginsWithoutCredentials() {
    MockResource api = withCors.one(API, "presign-api");
    assertThat(api.nested("corsConfiguration", "allowOrigins")).isEqualTo(ORIGINS);
    assertThat(api.nested("corsConfiguration", "allowMethods")).isEqualTo(List.of("GET", "POST"));
    assertThat(api.nested("corsConfiguration", "allowHeaders")).isEqualTo(List.of("authorization", "content-type"));
    assertThat(api.nested("corsConfiguration", "allowCredentials")).isEqualTo(false);
    assertThat(api.nested("corsConfiguration", "maxAge")).isEqualTo((double) UploadApi.CORS_MAX_AGE_SECONDS);
  }

  @Test
  void theBucketAllowsOnlyPresignedPutsFromTheOriginsAndExposesTheEtag() {
    MockResource cors = withCors.one(BUCKET_CORS, "storage-cors");
    assertThat(cors.string("bucket")).isEqualTo("storage-bucket");
    List<Object> rules = cors.list("corsRules");
    assertThat(rules).hasSize(1);
    @SuppressWarnings("unchecked")
    Map<String, Object> rule = (Map<String, Object>) rules.get(0);
    assertThat(rule.get("allowedOrigins")).isEqualTo(ORIGINS);
    assertThat(rule.get("allowedMethods")).isEqualTo(List.of("PUT"));
    assertThat(rule.get("allowedHeaders")).isEqualTo(List.of("content-type", "content-length", "if-none-match"));
    assertThat(rule.get("exposeHeaders")).isEqualTo(List.of("ETag"));
    assertThat(rule.get("maxAgeSeconds")).isEqualTo((double) UploadApi.CORS_MAX_AGE_SECONDS);
  }

  @Test
  void noOriginsMeansNoCorsAnywhere() {
    assertThat(withoutCors.one(API, "presign-api").inputs()).doesNotContainKey("corsConfiguration");
    assertThat(withoutCors.all(BUCKET_CORS)).isEmpty();
  }
}
