package dev.priorityqueues.infra.components;

import com.pulumi.aws.apigatewayv2.Api;
import com.pulumi.aws.apigatewayv2.ApiArgs;
import com.pulumi.aws.apigatewayv2.Authorizer;
import com.pulumi.aws.apigatewayv2.AuthorizerArgs;
import com.pulumi.aws.apigatewayv2.Integration;
import com.pulumi.aws.apigatewayv2.IntegrationArgs;
import com.pulumi.aws.apigatewayv2.Route;
import com.pulumi.aws.apigatewayv2.RouteArgs;
import com.pulumi.aws.apigatewayv2.Stage;
import com.pulumi.aws.apigatewayv2.StageArgs;
import com.pulumi.aws.apigatewayv2.inputs.ApiCorsConfigurationArgs;
import com.pulumi.aws.apigatewayv2.inputs.AuthorizerJwtConfigurationArgs;
import com.pulumi.aws.apigatewayv2.inputs.StageAccessLogSettingsArgs;
import com.pulumi.aws.apigatewayv2.inputs.StageDefaultRouteSettingsArgs;
import com.pulumi.aws.cloudwatch.LogGroup;
import com.pulumi.aws.cloudwatch.LogGroupArgs;
import com.pulumi.aws.lambda.Permission;
import com.pulumi.aws.lambda.PermissionArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResourceOptions;
import dev.priorityqueues.contract.Functions;
import dev.priorityqueues.contract.Keys;

import dev.priorityqueues.infra.JsonSupport;
import dev.priorityqueues.infra.config.Settings;
import dev.priorityqueues.infra.iam.Statement;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The upload API: {@code POST /uploads} on an HTTP API, behind a JWT authorizer, proxied to the
 * presign function's alias. The function writes a PENDING_UPLOAD record and returns a presigned
 * PUT URL under {@code uploads/}; the client uploads straight to S3.
 */
public final class UploadApi extends Component {
  public static final String TYPE = "UploadApi";
  public static final String ROUTE_KEY = "POST /uploads";
  public static final String PATH = "/uploads";
  /**
   * How long a browser may cache a preflight answer, for the API and the bucket alike. Chromium
   * caps it at 7200; an hour saves a preflight per upload without pinning a changed rule for long.
   */
  public static final int CORS_MAX_AGE_SECONDS = 3600;

  private final LambdaFunction function;
  private final Api api;
  private final Authorizer authorizer;
  private final Stage stage;
  private final Output<String> endpoint;

  private final LogGroup accessLogs;
  /**
   * The arguments: the presign function, the storage its permissions are scoped to, the JWT
   * authorizer's issuer, audiences and scopes, and the stage's throttling and CORS origins (empty
   * means no CORS). The config edge validated every value.
   */
  public record Args(LambdaFunction.Config function, Storage storage, Settings.Auth auth, Settings.Api api,
      Map<String, String> tags) {
    public Args {
      Objects.requireNonNull(function, "function");
      Objects.requireNonNull(storage, "storage");
      Objects.requireNonNull(auth, "auth");
      Objects.requireNonNull(api, "api");
      tags = Map.copyOf(tags);
    }
  }

  public UploadApi(String name, Args args, ComponentResourceOptions options) {
    super(TYPE, name, options);
    List<Statement> statements = new java.util.ArrayList<>(List.of(
        // GetItem: SnapStart priming reads a key that never exists before the snapshot.
        // DeleteItem: a pending record whose request went over quota (no URL was handed out);
        // BatchGetItem: the quota reads the records of a user's uploads in flight.
        Statement.allow("RecordPendingUploads")
            .actions("dynamodb:PutItem", "dynamodb:GetItem", "dynamodb:DeleteItem", "dynamodb:BatchGetItem")
            .resources(args.storage().videos().arn())
            .build(),
        // The per-user counters: conditional ADD/DELETE, and a read of the in-flight set.
        Statement.allow("CountUserQuotas")
            .actions("dynamodb:UpdateItem", "dynamodb:GetItem")
            .resources(args.storage().quotas().arn())
            .build(),
        // A presigned URL carries the signer's permissions: the function may only put uploads.
        Statement.allow("SignUploads")
            .actions("s3:PutObject")
            .resources(args.storage().objectsArn(Keys.UPLOADS_PREFIX))
            .build()));
    // Uses the tables; a presigned PUT is encrypted with the signer's permissions (see Encryption).
    args.function().encryption().ifPresent(e -> statements.addAll(List.of(
        e.decrypt("DecryptTables", Encryption.Via.DYNAMODB),
        e.generateDataKey("EncryptUploads", Encryption.Via.S3))));
    function = LambdaFunction.create(this, Functions.PRESIGN, args.function(), statements, args.tags());

    var apiArgs = ApiArgs.builder()
        .protocolType("HTTP")
        .description("priority-queues uploads: POST /uploads returns a presigned S3 URL")
        .tags(args.tags());
    if (!args.api().corsAllowedOrigins().isEmpty()) {
      // API Gateway answers the preflight itself; the token travels in Authorization, not in
      // cookies, so credentials stay off.
      apiArgs.corsConfiguration(ApiCorsConfigurationArgs.builder()
          .allowOrigins(args.api().corsAllowedOrigins())
          .allowMethods("GET", "POST")
          .allowHeaders("authorization", "content-type")
          .allowCredentials(false)
          .maxAge(CORS_MAX_AGE_SECONDS)
          .build());
    }
    api = new Api(childName("api"), apiArgs.build(), child());

    authorizer = new Authorizer(childName("authorizer"), AuthorizerArgs.builder()
        .apiId(api.id())
        .authorizerType("JWT")
        .identitySources("$request.header.Authorization")
        .jwtConfiguration(AuthorizerJwtConfigurationArgs.builder()
            .issuer(args.auth().jwtIssuer())
            .audiences(args.auth().jwtAudience())
            .build())
        .build(), child());

    // Without scopes any token for the audience works, ID and client-credentials tokens included.
    addRoutes(this, function, args.auth().jwtScopes(), List.of(new RouteSpec("route", "invoke-permission", ROUTE_KEY)));

    var accessLogArgs = LogGroupArgs.builder()
        .retentionInDays(args.function().logRetentionDays())
        .tags(args.tags());
    args.function().encryption().ifPresent(e -> accessLogArgs.kmsKeyId(e.keyArn()));
    accessLogs = new LogGroup(childName("access-logs"), accessLogArgs.build(), child());

    stage = new Stage(childName("stage"), StageArgs.builder()
        .apiId(api.id())
        .name("$default")
        .autoDeploy(true)
        .defaultRouteSettings(StageDefaultRouteSettingsArgs.builder()
            .throttlingRateLimit((double) args.api().throttleRateLimit())
            .throttlingBurstLimit(args.api().throttleBurstLimit())
            .build())
        .accessLogSettings(StageAccessLogSettingsArgs.builder()
            .destinationArn(accessLogs.arn())
            .format(ACCESS_LOG_FORMAT)
            .build())
        .tags(args.tags())
        .build(), child());

    endpoint = api.apiEndpoint().applyValue(base -> base + PATH);
    registerOutputs(Map.of("endpoint", endpoint, "apiId", api.id()));
  }

  /**
   * One route of this API: its key ({@code METHOD /path}, path parameters in braces) and the
   * name suffixes of the route and of its invoke permission.
   */
  public record RouteSpec(String routeSuffix, String permissionSuffix, String routeKey) {
    /** What API Gateway puts after the stage in the source ARN: the method, then the path, parameters as {@code *}. */
    String sourcePath() {
      int space = routeKey.indexOf(' ');
      return "/" + routeKey.substring(0, space) + routeKey.substring(space + 1).replaceAll("\\{[^/}]+\\}", "*");
    }
  }

  /**
   * Proxies {@code routes} to {@code function}'s alias (payload 2.0) behind this API's JWT
   * authorizer, each requiring one of {@code scopes}, and lets only those routes, in any stage,
   * invoke the alias. The integration, routes and permissions are children of {@code owner},
   * named after it.
   */
  void addRoutes(Component owner, LambdaFunction function, List<String> scopes, List<RouteSpec> routes) {
    var integration = new Integration(owner.childName("integration"), IntegrationArgs.builder()
        .apiId(api.id())
        .integrationType("AWS_PROXY")
        .integrationMethod("POST")
        .integrationUri(function.alias().invokeArn())
        .payloadFormatVersion("2.0")
        .build(), owner.child());
    var target = integration.id().applyValue(id -> "integrations/" + id);
    for (RouteSpec route : routes) {
      new Route(owner.childName(route.routeSuffix()), RouteArgs.builder()
          .apiId(api.id())
          .routeKey(route.routeKey())
          .authorizationType("JWT")
          .authorizerId(authorizer.id())
          .authorizationScopes(scopes)
          .target(target)
          .build(), owner.child());
      new Permission(owner.childName(route.permissionSuffix()), PermissionArgs.builder()
          .action("lambda:InvokeFunction")
          .function(function.function().name())
          .qualifier(function.alias().name())
          .principal("apigateway.amazonaws.com")
          .sourceArn(api.executionArn().applyValue(arn -> arn + "/*" + route.sourcePath()))
          .build(), owner.child());
    }
  }

  /** One JSON line per request: who, what, how long, and what came back. */
  static final String ACCESS_LOG_FORMAT = accessLogFormat();

  private static String accessLogFormat() {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("requestId", "$context.requestId");
    fields.put("ip", "$context.identity.sourceIp");
    fields.put("sub", "$context.authorizer.claims.sub");
    fields.put("requestTime", "$context.requestTime");
    fields.put("routeKey", "$context.routeKey");
    fields.put("status", "$context.status");
    fields.put("latencyMs", "$context.responseLatency");
    fields.put("integrationError", "$context.integrationErrorMessage");
    return JsonSupport.write(fields);
  }

  public LambdaFunction function() {
    return function;
  }

  public Api api() {
    return api;
  }

  /** The stage's access log group (one JSON line per request, status included). */
  public LogGroup accessLogs() {
    return accessLogs;
  }

  /** The JWT authorizer every route of this API uses. */
  public Authorizer authorizer() {
    return authorizer;
  }

  public Stage stage() {
    return stage;
  }

  /** The full URL of {@code POST /uploads}. */
  public Output<String> endpoint() {
    return endpoint;
  }
}
