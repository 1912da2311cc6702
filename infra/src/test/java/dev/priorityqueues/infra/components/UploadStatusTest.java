package dev.priorityqueues.infra.components;

import static dev.priorityqueues.infra.testing.Types.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.priorityqueues.contract.Functions;
import dev.priorityqueues.infra.testing.Deployment;
import dev.priorityqueues.infra.testing.FakeArchives;
import dev.priorityqueues.infra.testing.MockResource;
import dev.priorityqueues.infra.testing.ProgramTest;
import dev.priorityqueues.infra.testing.TestSettings;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GET /uploads and GET /uploads/{videoId}: on the upload API, behind its JWT authorizer, to the status alias. */
class UploadStatusTest extends ProgramTest {

  @TempDir static Path codeRoot;
  static Deployment deployment;

  @BeforeAll
  static void deploy() {
    deployment = Deployment.run(TestSettings.with(FakeArchives.complete(codeRoot), Map.of(
        "statusMemoryMb", "384", "statusTimeoutSeconds", "7",
        "statusJwtScopes", "[\"videos/read\",\"uploads:read\"]"))).assertSucceeded();
  }

  @Test
  void bothRoutesRequireTheApisJwtAndReachTheStatusIntegration() {
    for (String name : new String[] {"status-list-route", "status-video-route"}) {
      MockResource route = deployment.one(ROUTE, name);
      assertThat(route.string("apiId")).as(name).isEqualTo("a1b2c3d4e5");
      assertThat(route.string("authorizationType")).as(name).isEqualTo("JWT");
      assertThat(route.string("authorizerId")).as(name).isEqualTo("presign-authorizer-id");
      assertThat(route.string("target")).as(name).isEqualTo("integrations/status-integration-id");
      // Their own scopes (statusJwtScopes), not the upload route's jwtScopes.
      assertThat(route.list("authorizationScopes")).as(name).containsExactly("videos/read", "uploads:read");
    }
    assertThat(deployment.one(ROUTE, "status-list-route").string("routeKey")).isEqualTo("GET /uploads");
    assertThat(deployment.one(ROUTE, "status-video-route").string("routeKey")).isEqualTo("GET /uploads/{videoId}");
  }

  @Test
  void theIntegrationProxiesToTheStatusAliasWithPayloadTwo() {
    MockResource integration = deployment.one(INTEGRATION, "status-integration");
    assertThat(integration.string("integrationType")).isEqualTo("AWS_PROXY");
    assertThat(integration.string("payloadFormatVersion")).isEqualTo("2.0");
    assertThat(integration.string("integrationUri")).contains("function:status-function:live/invocations");
  }

  @Test
  void onlyTheTwoGetRoutesMayInvokeTheStatusAlias() {
    String api = "arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5";
    assertThat(deployment.one(PERMISSION, "status-list-permission").string("sourceArn")).isEqualTo(api + "/*/GET/uploads");
    assertThat(deployment.one(PERMISSION, "status-video-permission").string("sourceArn"))
        .isEqualTo(api + "/*/GET/uploads/*");
    for (String name : new String[] {"status-list-permission", "status-video-permission"}) {
      MockResource permission = deployment.one(PERMISSION, name);
      assertThat(permission.string("principal")).isEqualTo("apigateway.amazonaws.com");
      assertThat(permission.string("function")).isEqualTo("status-function");
      assertThat(permission.string("qualifier")).isEqualTo("live");
    }
  }

  @Test
  void theFunctionRunsTheStatusHandlerWithItsOwnSizeAndOnlyTheTableAndBucketItReads() {
    MockResource function = deployment.one(FUNCTION, "status-function");
    assertThat(function.string("handler")).isEqualTo(Functions.STATUS.handler());
    assertThat(function.number("memorySize")).isEqualTo(384);
    assertThat(function.number("timeout")).isEqualTo(7);
    @SuppressWarnings("unchecked")
    Map<String, String> env = (Map<String, String>) function.nested("environment", "variables");
    assertThat(env).containsEntry("PQ_VIDEOS_TABLE", "storage-videos").containsEntry("PQ_BUCKET", "storage-bucket")
        .as("the function checks the routes' scopes again").containsEntry("PQ_JWT_SCOPES", "videos/read,uploads:read");
  }
}
