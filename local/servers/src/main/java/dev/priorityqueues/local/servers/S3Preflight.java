package dev.priorityqueues.local.servers;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.gaul.shaded.org.eclipse.jetty.server.Handler;
import org.gaul.shaded.org.eclipse.jetty.server.Request;
import org.gaul.shaded.org.eclipse.jetty.server.Response;
import org.gaul.shaded.org.eclipse.jetty.util.Callback;

/**
 * S3's answer to a CORS preflight, in front of S3Proxy's handler: S3Proxy refuses a preflight
 * with 400 and sends no max age, S3 answers 403 {@code AccessForbidden} and the rule's
 * {@code MaxAgeSeconds}. Everything but an {@code OPTIONS} with an {@code Origin} goes to S3Proxy,
 * whose own CORS settings add the headers to allowed requests.
 */
final class S3Preflight extends Handler.Wrapper {

  static final String FORBIDDEN = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AccessForbidden</Code>"
      + "<Message>CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin,"
      + " request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the"
      + " resource's CORS spec.</Message><Method>%s</Method><ResourceType>OBJECT</ResourceType></Error>";

  private final LocalAws.S3Cors rule;

  S3Preflight(Handler s3Proxy, LocalAws.S3Cors rule) {
    super(s3Proxy);
    this.rule = rule;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    String origin = request.getHeaders().get("Origin");
    if (!"OPTIONS".equals(request.getMethod()) || origin == null) {
      return super.handle(request, response, callback);
    }
    String method = request.getHeaders().get("Access-Control-Request-Method");
    String requested = request.getHeaders().get("Access-Control-Request-Headers");
    List<String> headers = requested == null ? List.of() : Arrays.stream(requested.split(","))
        .map(h -> h.trim().toLowerCase(Locale.ROOT)).filter(h -> !h.isEmpty()).toList();
    List<String> allowedHeaders = rule.allowedHeaders().stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
    var out = response.getHeaders();
    out.put("Vary", "Origin, Access-Control-Request-Headers, Access-Control-Request-Method");
    if (method != null && rule.allowedOrigins().contains(origin) && rule.allowedMethods().contains(method)
        && allowedHeaders.containsAll(headers)) {
      out.put("Access-Control-Allow-Origin", origin);
      out.put("Access-Control-Allow-Methods", String.join(", ", rule.allowedMethods()));
      if (!headers.isEmpty()) {
        out.put("Access-Control-Allow-Headers", String.join(", ", headers));
      }
      if (!rule.exposeHeaders().isEmpty()) {
        out.put("Access-Control-Expose-Headers", String.join(", ", rule.exposeHeaders()));
      }
      if (rule.maxAgeSeconds() != null) {
        out.put("Access-Control-Max-Age", Integer.toString(rule.maxAgeSeconds()));
      }
      response.setStatus(200);
      response.write(true, ByteBuffer.allocate(0), callback);
    } else {
      out.put("Content-Type", "application/xml");
      response.setStatus(403);
      response.write(true, ByteBuffer.wrap(String.format(FORBIDDEN, method).getBytes(StandardCharsets.UTF_8)), callback);
    }
    return true;
  }
}
