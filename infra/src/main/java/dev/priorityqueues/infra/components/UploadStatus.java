package dev.priorityqueues.infra.components;

import com.pulumi.resources.ComponentResourceOptions;
import dev.priorityqueues.contract.Functions;
import dev.priorityqueues.contract.Keys;
import dev.priorityqueues.contract.Scopes;
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

  /**
   * The arguments: the status function, the storage it reads, the API (and its JWT authorizer) its
   * routes join, and the scopes of which a token must grant one (validated by the config parser).
   */
  public record Args(LambdaFunction.Config function, Storage storage, UploadApi uploadApi, List<String> scopes,
      Map<String, String> tags) {
    public Args {
      Objects.requireNonNull(function, "function");
      Objects.requireNonNull(storage, "storage");
      Objects.requireNonNull(uploadApi, "uploadApi");
      scopes = List.copyOf(scopes);
      tags = Map.copyOf(tags);
    }
  }

  public UploadStatus(String name, Args args, ComponentResourceOptions options) {
    super(TYPE, name, options);
    List<Statement> statements = new java.util.ArrayList<>(List.of(
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
            .build()));
    // Reads the videos table; its presigned GETs decrypt the outputs with its permissions (see Encryption).
    args.function().encryption().ifPresent(e -> statements.add(
        e.decrypt("DecryptTablesAndOutputs", Encryption.Via.DYNAMODB, Encryption.Via.S3)));
    function = LambdaFunction.create(this, Functions.STATUS, args.function(), statements, args.tags());

    // Reading one's uploads takes its own scope: a token that may upload need not read, and the reverse.
    args.uploadApi().addRoutes(this, function, args.scopes(), List.of(
        new UploadApi.RouteSpec("list-route", "list-permission", LIST_ROUTE_KEY),
        new UploadApi.RouteSpec("video-route", "video-permission", VIDEO_ROUTE_KEY)));

    registerOutputs(Map.of("functionName", function.function().name()));
  }

  public LambdaFunction function() {
    return function;
  }
}
