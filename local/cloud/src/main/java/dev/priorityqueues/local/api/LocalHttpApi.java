package dev.priorityqueues.local.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.priorityqueues.contract.Scopes;
import dev.priorityqueues.local.lambda.InvocationOutcome;
import dev.priorityqueues.local.lambda.LocalFunction;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An HTTP API (API Gateway v2) on loopback: the routes the program declares, its JWT authorizer,
 * and Lambda proxy integrations with payload format 2.0. A request without a valid token gets
 * API Gateway's own {@code 401 {"message":"Unauthorized"}} and never reaches the function.
 */
public final class LocalHttpApi implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter REQUEST_TIME =
      DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH);
  /** API Gateway's payload limit. */
  private static final int MAX_BODY_BYTES = 10 * 1024 * 1024;

  /** A declared route: {@code routeKey} is "METHOD /path"; {@code identity} null means no authorizer. */
  public record Route(String routeKey, LocalFunction function, LocalIdentity identity, List<String> scopes) {
    public Route {
      scopes = List.copyOf(scopes);
    }

    /** A route that requires no scope. */
    public Route(String routeKey, LocalFunction function, LocalIdentity identity) {
      this(routeKey, function, identity, List.of());
    }
  }

  /**
   * The API's declared {@code corsConfiguration}. As API Gateway does for an HTTP API with CORS:
   * it answers every preflight itself (no authorizer, no function); an allowed origin gets the
   * configured headers on the preflight and on every response, a function's own CORS headers are
   * replaced; any other origin gets no CORS headers at all, so the browser refuses.
   */
  public record Cors(List<String> allowOrigins, List<String> allowMethods, List<String> allowHeaders,
      List<String> exposeHeaders, boolean allowCredentials, Integer maxAge) {
    public Cors {
      allowOrigins = List.copyOf(allowOrigins);
      allowMethods = List.copyOf(allowMethods);
      allowHeaders = List.copyOf(allowHeaders);
      exposeHeaders = List.copyOf(exposeHeaders);
    }

    boolean allows(String origin) {
      return origin != null && (allowOrigins.contains(origin) || allowOrigins.contains("*"));
    }
  }

  private final String apiId;
  private final String accountId;
  private final HttpServer server;
  private final ExecutorService threads;
  private final Map<String, Route> routes = new ConcurrentHashMap<>();
  private volatile Cors cors;

  public LocalHttpApi(String apiId, String accountId) {
    this.apiId = apiId;
    this.accountId = accountId;
    try {
      this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    } catch (IOException e) {
      throw new IllegalStateException("cannot open the local HTTP API: " + e.getMessage(), e);
    }
    this.threads = Executors.newFixedThreadPool(16, Thread.ofPlatform().daemon().name("http-api-", 1).factory());
    server.setExecutor(threads);
    server.createContext("/", this::handle);
    server.start();
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  public void addRoute(Route route) {
    routes.put(route.routeKey(), route);
  }

  public void cors(Cors cors) {
    this.cors = cors;
  }

  public Map<String, Route> routes() {
    return Map.copyOf(routes);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
      String path = exchange.getRequestURI().getRawPath();
      String origin = exchange.getRequestHeaders().getFirst("Origin");
      Cors cors = this.cors;
      if (cors != null && method.equals("OPTIONS")
          && exchange.getRequestHeaders().getFirst("Access-Control-Request-Method") != null) {
        preflight(exchange, cors, origin);
        return;
      }
      if (cors != null && cors.allows(origin)) {
        corsHeaders(exchange, cors, origin);
      }
      Map<String, String> pathParameters = new java.util.LinkedHashMap<>();
      Route route = match(method, path, pathParameters);
      if (route == null) {
        respond(exchange, 404, "{\"message\":\"Not Found\"}");
        return;
      }
      Optional<Map<String, Object>> claims = Optional.of(Map.of());
      if (route.identity() != null) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        String token =
            authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).trim()
                : authorization;
        claims = token == null ? Optional.empty() : route.identity().verify(token);
        if (claims.isEmpty()) {
          exchange.getResponseHeaders().add("www-authenticate", "Bearer");
          respond(exchange, 401, "{\"message\":\"Unauthorized\"}");
          return;
        }
        // API Gateway: a valid token without any of the route's scopes is 403, not 401.
        if (!route.scopes().isEmpty() && !Scopes.allows(claims.get(), route.scopes())) {
          respond(exchange, 403, "{\"message\":\"Forbidden\"}");
          return;
        }
      }
      byte[] body = readBody(exchange.getRequestBody());
      if (body == null) {
        respond(exchange, 413, "{\"message\":\"Request Entity Too Large\"}");
        return;
      }
      String event = event(exchange, route, method, path, pathParameters, body, claims.get());
      InvocationOutcome result = route.function().invoke(event);
      if (!result.ok()) {
        respond(exchange, 500, "{\"message\":\"Internal Server Error\"}");
        return;
      }
      proxyResponse(exchange, result.response());
    } catch (RuntimeException e) {
      respond(exchange, 500, "{\"message\":\"Internal Server Error\"}");
    }
  }

  /** The payload format 2.0 event, as API Gateway builds it. */
  private String event(
      HttpExchange exchange, Route route, String method, String path, Map<String, String> pathParameters, byte[] body,
      Map<String, Object> claims) {
    ObjectNode event = JSON.createObjectNode();
    event.put("version", "2.0");
    event.put("routeKey", route.routeKey());
    event.put("rawPath", path);
    String query = exchange.getRequestURI().getRawQuery();
    event.put("rawQueryString", query == null ? "" : query);
    if (query != null && !query.isEmpty()) {
      // API Gateway decodes each parameter and joins repeated ones with commas.
      ObjectNode parameters = event.putObject("queryStringParameters");
      for (String pair : query.split("&")) {
        int eq = pair.indexOf('=');
        String name = decode(eq < 0 ? pair : pair.substring(0, eq));
        String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
        parameters.put(name, parameters.has(name) ? parameters.get(name).asText() + "," + value : value);
      }
    }
    if (!pathParameters.isEmpty()) {
      ObjectNode parameters = event.putObject("pathParameters");
      pathParameters.forEach(parameters::put);
    }
    ObjectNode headers = event.putObject("headers");
    exchange.getRequestHeaders()
        .forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
    ObjectNode context = event.putObject("requestContext");
    context.put("accountId", accountId);
    context.put("apiId", apiId);
    if (route.identity() != null) {
      ObjectNode jwt = context.putObject("authorizer").putObject("jwt");
      ObjectNode claimsNode = jwt.putObject("claims");
      claims.forEach((name, value) -> claimsNode.put(name, claimText(value)));
      Object scope = claims.get("scope");
      var scopes = jwt.putArray("scopes");
      if (scope instanceof String s) {
        for (String one : s.split(" ")) {
          scopes.add(one);
        }
      }
    }
    context.put("domainName", exchange.getRequestHeaders().getFirst("Host"));
    context.put("domainPrefix", apiId);
    ObjectNode http = context.putObject("http");
    http.put("method", method);
    http.put("path", path);
    http.put("protocol", exchange.getProtocol());
    http.put("sourceIp", exchange.getRemoteAddress().getAddress().getHostAddress());
    String agent = exchange.getRequestHeaders().getFirst("User-Agent");
    http.put("userAgent", agent == null ? "" : agent);
    context.put("requestId", UUID.randomUUID().toString());
    context.put("routeKey", route.routeKey());
    context.put("stage", "$default");
    ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
    context.put("time", REQUEST_TIME.format(now));
    context.put("timeEpoch", now.toInstant().toEpochMilli());
    String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
    boolean text = contentType == null || contentType.startsWith("text/") || contentType.contains("json");
    if (body.length > 0) {
      event.put("body", text ? new String(body, StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(body));
    }
    event.put("isBase64Encoded", body.length > 0 && !text);
    return event.toString();
  }

  /** The route for a request: an exact route key first, then a template such as {@code /uploads/{videoId}}. */
  private Route match(String method, String path, Map<String, String> parameters) {
    Route exact = routes.get(method + " " + path);
    if (exact != null) {
      return exact;
    }
    String[] segments = path.split("/", -1);
    for (Route route : routes.values()) {
      String[] key = route.routeKey().split(" ", 2);
      String[] template = key[1].split("/", -1);
      if (!key[0].equals(method) || template.length != segments.length) {
        continue;
      }
      Map<String, String> found = new java.util.LinkedHashMap<>();
      boolean matches = true;
      for (int i = 0; i < template.length && matches; i++) {
        if (template[i].startsWith("{") && template[i].endsWith("}") && !segments[i].isEmpty()) {
          found.put(template[i].substring(1, template[i].length() - 1), decode(segments[i]));
        } else {
          matches = template[i].equals(segments[i]);
        }
      }
      if (matches) {
        parameters.putAll(found);
        return route;
      }
    }
    return null;
  }

  private static String decode(String text) {
    return java.net.URLDecoder.decode(text, StandardCharsets.UTF_8);
  }

  /** API Gateway answers a preflight itself: 204, with CORS headers only for an allowed origin. */
  private static void preflight(HttpExchange exchange, Cors cors, String origin) throws IOException {
    if (cors.allows(origin)) {
      corsHeaders(exchange, cors, origin);
      var headers = exchange.getResponseHeaders();
      headers.set("Access-Control-Allow-Methods", String.join(",", cors.allowMethods()));
      headers.set("Access-Control-Allow-Headers", String.join(",", cors.allowHeaders()));
      if (cors.maxAge() != null) {
        headers.set("Access-Control-Max-Age", Integer.toString(cors.maxAge()));
      }
    }
    send(exchange, 204, new byte[0]);
  }

  private static void corsHeaders(HttpExchange exchange, Cors cors, String origin) {
    var headers = exchange.getResponseHeaders();
    headers.set("Access-Control-Allow-Origin", cors.allowOrigins().contains("*") ? "*" : origin);
    headers.add("Vary", "Origin");
    if (cors.allowCredentials()) {
      headers.set("Access-Control-Allow-Credentials", "true");
    }
    if (!cors.exposeHeaders().isEmpty()) {
      headers.set("Access-Control-Expose-Headers", String.join(",", cors.exposeHeaders()));
    }
  }

  /** API Gateway passes every claim as a string; lists become "[a b]". */
  private static String claimText(Object value) {
    if (value instanceof Date date) {
      return Long.toString(date.toInstant().getEpochSecond());
    }
    if (value instanceof List<?> list) {
      return "[" + String.join(" ", list.stream().map(String::valueOf).toList()) + "]";
    }
    return String.valueOf(value);
  }

  private void proxyResponse(HttpExchange exchange, String response) throws IOException {
    JsonNode node;
    try {
      node = JSON.readTree(response);
    } catch (IOException e) {
      respond(exchange, 500, "{\"message\":\"Internal Server Error\"}");
      return;
    }
    if (node == null || !node.has("statusCode")) {
      // Format 2.0 treats a response without statusCode as a 200 JSON body.
      respond(exchange, 200, response);
      return;
    }
    JsonNode headers = node.get("headers");
    if (headers != null) {
      // With CORS configured, API Gateway ignores the integration's own CORS headers.
      headers.fields().forEachRemaining(h -> {
        if (cors == null || !h.getKey().toLowerCase(Locale.ROOT).startsWith("access-control-")) {
          exchange.getResponseHeaders().add(h.getKey(), h.getValue().asText());
        }
      });
    }
    String body = node.hasNonNull("body") ? node.get("body").asText() : "";
    byte[] bytes =
        node.path("isBase64Encoded").asBoolean(false)
            ? Base64.getDecoder().decode(body)
            : body.getBytes(StandardCharsets.UTF_8);
    send(exchange, node.get("statusCode").asInt(), bytes);
  }

  private static void respond(HttpExchange exchange, int status, String json) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    send(exchange, status, json.getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange exchange, int status, byte[] bytes) throws IOException {
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  private static byte[] readBody(InputStream in) throws IOException {
    byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
    return bytes.length > MAX_BODY_BYTES ? null : bytes;
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
