package dev.priorityqueues.infra.components;

import com.pulumi.aws.apigatewayv2.Api;
import com.pulumi.aws.apigatewayv2.Integration;
import com.pulumi.aws.apigatewayv2.IntegrationArgs;
import com.pulumi.aws.apigatewayv2.Route;
import com.pulumi.aws.apigatewayv2.RouteArgs;
import com.pulumi.aws.lambda.Permission;
import com.pulumi.aws.lambda.PermissionArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResourceOptions;
import dev.priorityqueues.contract.Functions;
import dev.priorityqueues.contract.Keys;
import dev.priorityqueues.infra.iam.Statement;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The status API: {@code GET /uploads} (the caller's videos, newest first) and
 * {@code GET /uploads/{videoId}} on the upload API, behind its JWT authorizer, proxied to the
 * status function. The function only reads: the videos table and its index by user, and the
 * processed outputs it presigns GET URLs for.
 */
public final class UploadStatus extends Component {
  public static final String TYPE = "UploadStatus";
  public static final String LIST_ROUTE_KEY = "GET /uploads";
  public static final String VIDEO_ROUTE_KEY = "GET /uploads/{videoId}";

  private final LambdaFunction function;

  /** The arguments: the status function, the storage it reads, and the API (and its JWT authorizer) its routes join. */
  public record Args(LambdaFunction.Config function, Storage storage, UploadApi uploadApi, Map<String, String> tags) {
    public Args {
      Objects.requireNonNull(function, "function");
      Objects.requireNonNull(storage, "storage");
      Objects.requireNonNull(uploadApi, "uploadApi");
      tags = Map.copyOf(tags);
    }
  }

  public UploadStatus(String name, Args args, ComponentResourceOptions options) {
    super(TYPE, name, options);
    List<Statement> statements = List.of(
        Statement.allow("ReadOneVideo")
            .actions("dynamodb:GetItem")
            .resources(args.storage().videos().arn())
            .build(),
        Statement.allow("ListAUsersVideos")
            .actions("dynamodb:Query")
            .resources(args.storage().videosByUserArn())
            .build(),
        // A presigned GET carries the signer's permissions: only processed outputs can be shared.
        Statement.allow("SignOutputDownloads")
            .actions("s3:GetObject")
            .resources(args.storage().objectsArn(Keys.PROCESSED_PREFIX))
            .build());
    function = LambdaFunction.create(this, Functions.STATUS, args.function(), statements, args.tags());

    var api = args.uploadApi().api();
    var integration = new Integration(childName("integration"), IntegrationArgs.builder()
        .apiId(api.id())
        .integrationType("AWS_PROXY")
        .integrationMethod("POST")
        .integrationUri(function.alias().invokeArn())
        .payloadFormatVersion("2.0")
        .build(), child());

    var target = integration.id().applyValue(id -> "integrations/" + id);
    route("list-route", LIST_ROUTE_KEY, api, args.uploadApi(), target);
    route("video-route", VIDEO_ROUTE_KEY, api, args.uploadApi(), target);

    // Only this API's two GET routes, in any stage, may invoke the function.
    permission("list-permission", "/*/GET" + UploadApi.PATH, api);
    permission("video-permission", "/*/GET" + UploadApi.PATH + "/*", api);

    registerOutputs(Map.of("functionName", function.function().name()));
  }

  private void route(String suffix, String routeKey, Api api, UploadApi uploadApi, Output<String> target) {
    new Route(childName(suffix), RouteArgs.builder()
        .apiId(api.id())
        .routeKey(routeKey)
        .authorizationType("JWT")
        .authorizerId(uploadApi.authorizer().id())
        .target(target)
        .build(), child());
  }

  private void permission(String suffix, String source, Api api) {
    new Permission(childName(suffix), PermissionArgs.builder()
        .action("lambda:InvokeFunction")
        .function(function.function().name())
        .qualifier(function.alias().name())
        .principal("apigateway.amazonaws.com")
        .sourceArn(api.executionArn().applyValue(arn -> arn + source))
        .build(), child());
  }

  public LambdaFunction function() {
    return function;
  }
}
