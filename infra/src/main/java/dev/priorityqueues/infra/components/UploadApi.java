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
import dev.priorityqueues.contract.Scopes;
import dev.priorityqueues.infra.JsonSupport;
import dev.priorityqueues.infra.iam.Statement;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
  public UploadApi(String name, Args args, ComponentResourceOptions options) {
    super(TYPE, name, options);
    List<Statement> statements = List.of(
        // GetItem: SnapStart priming reads a key that never exists before the snapshot.
        // DeleteItem: a pending record whose request went over quota (no URL was handed out);
        // BatchGetItem: the quota reads the records of a user's uploads in flight.
        Statement.allow("RecordPendingUploads")
            .actions("dynamodb:PutItem", "dynamodb:GetItem", "dynamodb:DeleteItem", "dynamodb:BatchGetItem")
            .resources(args.storage.videos().arn())
            .build(),
        // The per-user counters: conditional ADD/DELETE, and a read of the in-flight set.
        Statement.allow("CountUserQuotas")
            .actions("dynamodb:UpdateItem", "dynamodb:GetItem")
            .resources(args.storage.quotas().arn())
            .build(),
        // A presigned URL carries the signer's permissions: the function may only put uploads.
        Statement.allow("SignUploads")
            .actions("s3:PutObject")
            .resources(args.storage.objectsArn(Keys.UPLOADS_PREFIX))
            .build());
    function = LambdaFunction.create(this, Functions.PRESIGN, args.function, statements, args.tags);

    var apiArgs = ApiArgs.builder()
        .protocolType("HTTP")
        .description("priority-queues uploads: POST /uploads returns a presigned S3 URL")
        .tags(args.tags);
    if (!args.corsAllowedOrigins.isEmpty()) {
      // API Gateway answers the preflight itself; the token travels in Authorization, not in
      // cookies, so credentials stay off.
      apiArgs.corsConfiguration(ApiCorsConfigurationArgs.builder()
          .allowOrigins(args.corsAllowedOrigins)
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
            .issuer(args.jwtIssuer)
            .audiences(args.jwtAudience)
            .build())
        .build(), child());

    var integration = new Integration(childName("integration"), IntegrationArgs.builder()
        .apiId(api.id())
        .integrationType("AWS_PROXY")
        .integrationMethod("POST")
        .integrationUri(function.alias().invokeArn())
        .payloadFormatVersion("2.0")
        .build(), child());

    new Route(childName("route"), RouteArgs.builder()
        .apiId(api.id())
        .routeKey(ROUTE_KEY)
        .authorizationType("JWT")
        .authorizerId(authorizer.id())
        // Without scopes any token for the audience works, ID and client-credentials tokens included.
        .authorizationScopes(args.jwtScopes)
        .target(integration.id().applyValue(id -> "integrations/" + id))
        .build(), child());

    accessLogs = new LogGroup(childName("access-logs"), LogGroupArgs.builder()
        .retentionInDays(args.function.logRetentionDays())
        .tags(args.tags)
        .build(), child());

    stage = new Stage(childName("stage"), StageArgs.builder()
        .apiId(api.id())
        .name("$default")
        .autoDeploy(true)
        .defaultRouteSettings(StageDefaultRouteSettingsArgs.builder()
            .throttlingRateLimit((double) args.throttleRateLimit)
            .throttlingBurstLimit(args.throttleBurstLimit)
            .build())
        .accessLogSettings(StageAccessLogSettingsArgs.builder()
            .destinationArn(accessLogs.arn())
            .format(ACCESS_LOG_FORMAT)
            .build())
        .tags(args.tags)
        .build(), child());

    // Only this API's POST /uploads route, in any stage, may invoke the function.
    new Permission(childName("invoke-permission"), PermissionArgs.builder()
        .action("lambda:InvokeFunction")
        .function(function.function().name())
        .qualifier(function.alias().name())
        .principal("apigateway.amazonaws.com")
        .sourceArn(api.executionArn().applyValue(arn -> arn + "/*/POST" + PATH))
        .build(), child());

    endpoint = api.apiEndpoint().applyValue(base -> base + PATH);
    registerOutputs(Map.of("endpoint", endpoint, "apiId", api.id()));
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

  /** The arguments of {@link UploadApi}. */
  public static final class Args extends ComponentArgs.WithFunction {
    private String jwtIssuer;
    private List<String> jwtAudience = List.of();
    private List<String> jwtScopes = List.of(Scopes.DEFAULT);
    private int throttleRateLimit = 50;
    private int throttleBurstLimit = 100;
    private List<String> corsAllowedOrigins = List.of();

    private Args() {}

    public static UploadApi.Builder builder() {
      return new UploadApi.Builder();
    }
  }

  public static final class Builder extends ComponentArgs.FunctionBuilder<Args, Builder> {
    private Builder() {
      super(new Args());
    }

    /** The https URL of the JWT issuer (for Cognito, the user pool's URL). */
    public Builder jwtIssuer(String issuer) {
      args.jwtIssuer = issuer;
      return this;
    }

    public Builder jwtAudience(List<String> audience) {
      args.jwtAudience = List.copyOf(audience);
      return this;
    }

    /** Scopes of which a token must grant one (the route's authorizationScopes). */
    public Builder jwtScopes(List<String> scopes) {
      args.jwtScopes = List.copyOf(scopes);
      return this;
    }

    /** The stage's steady-state requests per second and burst. */
    public Builder throttle(int rateLimit, int burstLimit) {
      args.throttleRateLimit = rateLimit;
      args.throttleBurstLimit = burstLimit;
      return this;
    }

    /** Browser origins allowed to call the API; empty (the default) means no CORS. */
    public Builder corsAllowedOrigins(List<String> origins) {
      args.corsAllowedOrigins = List.copyOf(origins);
      return this;
    }

    @Override
    protected void validate() {
      super.validate();
      if (args.jwtIssuer == null || !"https".equals(URI.create(args.jwtIssuer).getScheme())) {
        throw new IllegalArgumentException("jwtIssuer must be an https URL, not " + args.jwtIssuer);
      }
      if (args.jwtAudience.isEmpty()) {
        throw new IllegalArgumentException("jwtAudience must name at least one audience");
      }
      if (args.jwtScopes.isEmpty()) {
        throw new IllegalArgumentException("jwtScopes must name at least one scope");
      }
      if (args.throttleRateLimit < 1 || args.throttleBurstLimit < 1) {
        throw new IllegalArgumentException("throttling limits must be positive");
      }
    }
  }
}
