package dev.priorityqueues.common.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.priorityqueues.contract.Scopes;
import java.util.Map;
import java.util.Set;

/**
 * The parts of an HTTP API (payload v2) request the functions read. The subject and the scopes
 * come only from the claims API Gateway's JWT authorizer verified; nothing in the body or the
 * query can name a user.
 */
public record HttpRequest(String method, String path, String subject, Set<String> scopes, Map<String, String> query,
    String body, boolean base64) {

  public HttpRequest {
    scopes = scopes == null ? Set.of() : Set.copyOf(scopes);
    query = query == null ? Map.of() : Map.copyOf(query);
  }

  public static HttpRequest from(APIGatewayV2HTTPEvent event) {
    if (event == null) {
      return new HttpRequest(null, null, null, Set.of(), Map.of(), null, false);
    }
    APIGatewayV2HTTPEvent.RequestContext context = event.getRequestContext();
    String method = context == null || context.getHttp() == null ? null : context.getHttp().getMethod();
    String path = event.getRawPath();
    if (path == null && context != null && context.getHttp() != null) {
      path = context.getHttp().getPath();
    }
    String stage = context == null ? null : context.getStage();
    if (path != null && stage != null && !"$default".equals(stage) && path.startsWith("/" + stage + "/")) {
      path = path.substring(stage.length() + 1);
    }
    Map<String, String> claims = claims(context);
    return new HttpRequest(method, path, claims == null ? null : claims.get("sub"), Scopes.granted(claims),
        event.getQueryStringParameters(), event.getBody(), event.getIsBase64Encoded());
  }

  /** The verified token's claims; null without a JWT authorizer. */
  private static Map<String, String> claims(APIGatewayV2HTTPEvent.RequestContext context) {
    if (context == null || context.getAuthorizer() == null || context.getAuthorizer().getJwt() == null) {
      return null;
    }
    return context.getAuthorizer().getJwt().getClaims();
  }
}
