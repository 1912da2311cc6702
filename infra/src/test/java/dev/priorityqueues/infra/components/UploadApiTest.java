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

/** POST /uploads: an HTTP API route behind a JWT authorizer, proxied to the presign alias. */
class UploadApiTest extends ProgramTest {

  static final String ISSUER = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Example";

  @TempDir static Path codeRoot;
  static Deployment deployment;

  @BeforeAll
  static void deploy() {
    deployment = Deployment.run(TestSettings.with(FakeArchives.complete(codeRoot), Map.of(
        "jwtIssuer", ISSUER, "jwtAudience", "[\"web-client\",\"ios-client\"]",
        "apiThrottleRateLimit", "25", "apiThrottleBurstLimit", "40"))).assertSucceeded();
  }

  @Test
  void theApiIsAnHttpApi() {
    assertThat(deployment.one(API, "presign-api").string("protocolType")).isEqualTo("HTTP");
  }

  @Test
  void theAuthorizerChecksTheConfiguredIssuerAndAudience() {
    MockResource authorizer = deployment.one(AUTHORIZER, "presign-authorizer");
    assertThat(authorizer.string("authorizerType")).isEqualTo("JWT");
    assertThat(authorizer.list("identitySources")).containsExactly("$request.header.Authorization");
    assertThat(authorizer.nested("jwtConfiguration", "issuer")).isEqualTo(ISSUER);
    assertThat(authorizer.nested("jwtConfiguration", "audiences")).isEqualTo(List.of("web-client", "ios-client"));
  }

  @Test
  void thePresignRouteIsPostUploadsAndItRequiresAJwt() {
    assertThat(deployment.names(ROUTE)).filteredOn(n -> n.startsWith("presign-")).containsExactly("presign-route");
    MockResource route = deployment.one(ROUTE, "presign-route");
    assertThat(route.string("routeKey")).isEqualTo("POST /uploads");
    assertThat(route.string("authorizationType")).isEqualTo("JWT");
    assertThat(route.string("authorizerId")).isEqualTo("presign-authorizer-id");
    assertThat(route.list("authorizationScopes")).as("jwtScopes' default").containsExactly("uploads:write");
    assertThat(route.string("target")).isEqualTo("integrations/presign-integration-id");
  }

  @Test
  void theIntegrationProxiesToTheAliasWithPayloadTwo() {
    MockResource integration = deployment.one(INTEGRATION, "presign-integration");
    assertThat(integration.string("integrationType")).isEqualTo("AWS_PROXY");
    assertThat(integration.string("payloadFormatVersion")).isEqualTo("2.0");
    assertThat(integration.string("integrationUri"))
        .isEqualTo("arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/"
            + "arn:aws:lambda:us-east-1:123456789012:function:presign-function:live/invocations");
  }

  @Test
  void theDefaultStageDeploysItselfThrottlesAndLogsAccess() {
    MockResource stage = deployment.one(STAGE, "presign-stage");
    assertThat(stage.string("name")).isEqualTo("$default");
    assertThat(stage.get("autoDeploy")).isEqualTo(true);
    assertThat(stage.nested("defaultRouteSettings", "throttlingRateLimit")).isEqualTo(25.0);
    assertThat(stage.nested("defaultRouteSettings", "throttlingBurstLimit")).isEqualTo(40.0);
    assertThat(stage.nested("accessLogSettings", "destinationArn"))
        .isEqualTo("arn:aws:logs:us-east-1:123456789012:log-group:presign-access-logs");
    assertThat((String) stage.nested("accessLogSettings", "format")).contains("$context.requestId", "$context.status");
  }

  @Test
  void onlyThisRouteMayInvokeThePresignAlias() {
    MockResource permission = deployment.one(PERMISSION, "presign-invoke-permission");
    assertThat(permission.string("action")).isEqualTo("lambda:InvokeFunction");
    assertThat(permission.string("principal")).isEqualTo("apigateway.amazonaws.com");
    assertThat(permission.string("function")).isEqualTo("presign-function");
    assertThat(permission.string("qualifier")).isEqualTo("live");
    assertThat(permission.string("sourceArn"))
        .isEqualTo("arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/*/POST/uploads");
  }

  @Test
  void theEndpointIsTheFullRouteUrl() {
    assertThat(deployment.outputs().get("uploadEndpoint"))
        .isEqualTo("https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/uploads");
  }
}
