package dev.priorityqueues.presign;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.priorityqueues.contract.Scopes;
import java.util.Map;
import java.util.Set;

/**
 * The parts of an HTTP API (payload v2) request that presign reads. The subject comes only from
 * the claims API Gateway's JWT authorizer verified; nothing in the body can name a user.
 */
record HttpRequest(String method, String path, String subject, Set<String> scopes, String body, boolean base64) {

  static HttpRequest from(APIGatewayV2HTTPEvent event) {
    if (event == null) {
      return new HttpRequest(null, null, null, Set.of(), null, false);
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
    return new HttpRequest(method, path, subject(context), scopes(context), event.getBody(), event.getIsBase64Encoded());
  }

  /** The scopes the verified token grants; empty without a JWT authorizer. */
  private static Set<String> scopes(APIGatewayV2HTTPEvent.RequestContext context) {
    if (context == null || context.getAuthorizer() == null || context.getAuthorizer().getJwt() == null) {
      return Set.of();
    }
    return Scopes.granted(context.getAuthorizer().getJwt().getClaims());
  }

  private static String subject(APIGatewayV2HTTPEvent.RequestContext context) {
    if (context == null || context.getAuthorizer() == null || context.getAuthorizer().getJwt() == null) {
      return null;
    }
    Map<String, String> claims = context.getAuthorizer().getJwt().getClaims();
    return claims == null ? null : claims.get("sub");
  }
}
