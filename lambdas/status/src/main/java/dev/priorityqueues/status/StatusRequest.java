package dev.priorityqueues.status;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.util.Map;

/**
 * The parts of an HTTP API (payload v2) request the status function reads. The subject comes
 * only from the claims API Gateway's JWT authorizer verified.
 */
record StatusRequest(String method, String path, String subject, Map<String, String> query) {

  StatusRequest {
    query = query == null ? Map.of() : Map.copyOf(query);
  }

  static StatusRequest from(APIGatewayV2HTTPEvent event) {
    if (event == null) {
      return new StatusRequest(null, null, null, Map.of());
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
    return new StatusRequest(method, path, subject(context), event.getQueryStringParameters());
  }

  private static String subject(APIGatewayV2HTTPEvent.RequestContext context) {
    if (context == null || context.getAuthorizer() == null || context.getAuthorizer().getJwt() == null) {
      return null;
    }
    Map<String, String> claims = context.getAuthorizer().getJwt().getClaims();
    return claims == null ? null : claims.get("sub");
  }
}
