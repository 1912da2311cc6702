package dev.priorityqueues.local.servers;

import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.gaul.shaded.org.eclipse.jetty.server.Handler;
import org.gaul.shaded.org.eclipse.jetty.server.Request;
import org.gaul.shaded.org.eclipse.jetty.server.Response;
import org.gaul.shaded.org.eclipse.jetty.util.Callback;

/** Runs the current {@link S3Guard} in front of S3Proxy's handler and answers its refusals as S3 does. */
final class S3Guarded extends Handler.Wrapper {

  private final AtomicReference<S3Guard> guard;

  S3Guarded(Handler inner, AtomicReference<S3Guard> guard) {
    super(inner);
    this.guard = guard;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    S3Guard current = guard.get();
    if (current == null) {
      return super.handle(request, response, callback);
    }
    String path = URLDecoder.decode(request.getHttpURI().getPath(), StandardCharsets.UTF_8);
    Optional<S3Guard.Refusal> refusal = current.check(request.getMethod(), path, query(request.getHttpURI().getQuery()),
        request.getHeaders().get("If-None-Match"));
    if (refusal.isEmpty()) {
      return super.handle(request, response, callback);
    }
    S3Guard.Refusal r = refusal.get();
    String body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + r.code() + "</Code><Message>"
        + r.message() + "</Message><RequestId>local-iam</RequestId></Error>";
    response.getHeaders().put("Content-Type", "application/xml");
    response.setStatus(r.status());
    response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
    return true;
  }

  private static Map<String, List<String>> query(String raw) {
    Map<String, List<String>> params = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return params;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      params.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }
    return params;
  }
}
