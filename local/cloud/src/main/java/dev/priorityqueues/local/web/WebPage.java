package dev.priorityqueues.local.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.priorityqueues.contract.Tables;
import dev.priorityqueues.local.cloud.LocalCloud;
import dev.priorityqueues.local.cloud.Videos;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The web page {@code ./pq up} serves: static HTML and JavaScript from {@code web/} on the class
 * path, plus two local-only JSON documents the page reads, {@code /config.json} (the API
 * endpoint and a signed-in token per seeded user, as a sign-in page would hand out) and
 * {@code /local/tiers} (each tier's live depth and waits, what the CloudWatch dashboard shows in
 * AWS). The page calls the upload API and S3 cross-origin, exactly as a web app would, so it
 * works only from an origin the stack's {@code corsAllowedOrigins} allows: {@link #origin()}.
 */
public final class WebPage implements AutoCloseable {

  /** A seeded user the page can sign in as. */
  public record User(String userId, String subscription) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, String> TYPES = Map.of(
      "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8");
  private static final List<String> FILES = List.of("index.html", "app.js", "style.css");

  private final HttpServer server;
  private final ExecutorService threads;
  private volatile LocalCloud cloud;
  private volatile List<User> users = List.of();

  /** Binds a loopback port now, so the origin is known before the stack is deployed. */
  public WebPage() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 32);
    } catch (IOException e) {
      throw new IllegalStateException("cannot open the web page's port: " + e.getMessage(), e);
    }
    threads = Executors.newFixedThreadPool(4, Thread.ofPlatform().daemon().name("web-page-", 1).factory());
    server.setExecutor(threads);
    server.createContext("/", this::handle);
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** The page's origin, for corsAllowedOrigins. The same page at http://127.0.0.1:port is another origin. */
  public String origin() {
    return "http://localhost:" + port();
  }

  /** Serves the page for this cloud; each user gets a token from the cloud's identity. */
  public void attach(LocalCloud cloud, List<User> users) {
    this.users = List.copyOf(users);
    this.cloud = Objects.requireNonNull(cloud, "cloud");
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!exchange.getRequestMethod().equals("GET")) {
        send(exchange, 405, "text/plain", "GET only".getBytes(StandardCharsets.UTF_8));
        return;
      }
      String path = exchange.getRequestURI().getPath();
      String file = path.equals("/") ? "index.html" : path.substring(1);
      LocalCloud current = cloud;
      if (current == null) {
        send(exchange, 503, "text/plain", "the local cloud is still starting".getBytes(StandardCharsets.UTF_8));
      } else if (file.equals("config.json")) {
        sendJson(exchange, config(current));
      } else if (file.equals("local/tiers")) {
        sendJson(exchange, tiers(current));
      } else if (FILES.contains(file)) {
        try (InputStream in = WebPage.class.getResourceAsStream("/web/" + file)) {
          send(exchange, 200, TYPES.get(file.substring(file.lastIndexOf('.') + 1)), in.readAllBytes());
        }
      } else {
        send(exchange, 404, "text/plain", ("no " + path).getBytes(StandardCharsets.UTF_8));
      }
    } catch (RuntimeException e) {
      send(exchange, 500, "text/plain", String.valueOf(e.getMessage()).getBytes(StandardCharsets.UTF_8));
    }
  }

  private Map<String, Object> config(LocalCloud cloud) {
    String uploads = cloud.output("uploadEndpoint");
    List<Map<String, Object>> signedIn = new ArrayList<>();
    for (User user : users) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("userId", user.userId());
      entry.put("subscription", user.subscription());
      entry.put("token", cloud.identity().issue(user.userId(), Duration.ofHours(12)));
      signedIn.add(entry);
    }
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("uploadsEndpoint", uploads);
    config.put("users", signedIn);
    return config;
  }

  /** Per tier, highest first: messages waiting in the queue and its DLQ, and waits of its videos. */
  private static List<Map<String, Object>> tiers(LocalCloud cloud) {
    List<String> order = cloud.output("tierOrder");
    Map<String, String> queues = cloud.output("queueUrls");
    Map<String, String> dlqs = cloud.output("dlqUrls");
    List<Videos.Record> records = Videos.all(cloud.dynamoDb(), cloud.output("videosTableName"));
    long now = System.currentTimeMillis();
    List<Map<String, Object>> rows = new ArrayList<>();
    for (String tier : order) {
      List<Long> waits = new ArrayList<>();
      long done = 0;
      long waiting = 0;
      long oldestWait = 0;
      for (Videos.Record record : records) {
        if (!tier.equals(record.tier())) {
          continue;
        }
        if (record.queueWaitMillis() != null) {
          waits.add(record.queueWaitMillis());
        }
        switch (record.status()) {
          case DONE -> done++;
          case QUEUED, DEAD_LETTERED -> {
            waiting++;
            if (record.queuedAt() != null) {
              oldestWait = Math.max(oldestWait, now - record.queuedAt());
            }
          }
          default -> { }
        }
      }
      waits.sort(null);
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("tier", tier);
      row.put("depth", cloud.messagesIn(queues.get(tier)));
      row.put("dlqDepth", cloud.messagesIn(dlqs.get(tier)));
      row.put("waiting", waiting);
      row.put("oldestWaitMillis", oldestWait);
      row.put("done", done);
      row.put("p50WaitMillis", waits.isEmpty() ? null : waits.get((waits.size() - 1) / 2));
      row.put("maxWaitMillis", waits.isEmpty() ? null : waits.get(waits.size() - 1));
      rows.add(row);
    }
    return rows;
  }

  /** Writes the seeded users into the users table. */
  public static void seed(LocalCloud cloud, List<User> users) {
    for (User user : users) {
      cloud.dynamoDb().putItem(b -> b.tableName(cloud.output("usersTableName")).item(Map.of(
          Tables.Users.KEY, AttributeValue.fromS(user.userId()),
          Tables.Users.SUBSCRIPTION, AttributeValue.fromS(user.subscription()))));
    }
  }

  private static void sendJson(HttpExchange exchange, Object value) throws IOException {
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    send(exchange, 200, "application/json", JSON.writeValueAsBytes(value));
  }

  private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
