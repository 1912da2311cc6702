package dev.priorityqueues.local.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * EventBridge's PutEvents API on loopback, in front of the {@link LocalEventBus}: each entry
 * becomes the event AWS would deliver (id, time, account, region and the detail as JSON) and is
 * matched against the bus's rules. Functions reach it through {@code AWS_ENDPOINT_URL_EVENTBRIDGE}.
 * Requests must be SigV4-signed for the events service; the signature itself is not verified.
 */
public final class LocalPutEvents implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final LocalEventBus bus;
  private final String account;
  private final String region;
  private volatile Runnable onPutEvents = () -> { };

  public LocalPutEvents(LocalEventBus bus, String account, String region) {
    this.bus = bus;
    this.account = account;
    this.region = region;
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", this::handle);
    server.start();
  }

  /**
   * Called for each PutEvents request: its caller is a function on another thread (all of them
   * sign with the same local keys), so the local cloud attributes it (see LocalCloud).
   */
  public void onPutEvents(Runnable counter) {
    this.onPutEvents = counter;
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
      String auth = exchange.getRequestHeaders().getFirst("Authorization");
      if (!"AWSEvents.PutEvents".equals(target)) {
        reply(exchange, 400, error("UnknownOperationException", "only PutEvents is emulated, not " + target));
        return;
      }
      if (auth == null || !auth.startsWith("AWS4-HMAC-SHA256") || !auth.contains("/events/aws4_request")) {
        reply(exchange, 400, error("IncompleteSignatureException", "the request is not SigV4-signed for events"));
        return;
      }
      onPutEvents.run();
      JsonNode request = JSON.readTree(exchange.getRequestBody());
      JsonNode entries = request.path("Entries");
      if (!entries.isArray() || entries.isEmpty() || entries.size() > 10) {
        reply(exchange, 400, error("ValidationException", "Entries must hold 1 to 10 entries"));
        return;
      }
      ObjectNode response = JSON.createObjectNode();
      ArrayNode results = response.putArray("Entries");
      int failed = 0;
      for (JsonNode entry : entries) {
        ObjectNode result = results.addObject();
        JsonNode detail;
        try {
          detail = JSON.readTree(entry.path("Detail").asText());
        } catch (IOException e) {
          detail = null;
        }
        if (detail == null || !detail.isObject() || entry.path("Source").asText().isEmpty()
            || entry.path("DetailType").asText().isEmpty()) {
          failed++;
          result.put("ErrorCode", "MalformedDetail");
          result.put("ErrorMessage", "Detail must be a JSON object, and Source and DetailType must be set");
          continue;
        }
        String id = UUID.randomUUID().toString();
        ObjectNode event = JSON.createObjectNode();
        event.put("version", "0");
        event.put("id", id);
        event.put("detail-type", entry.path("DetailType").asText());
        event.put("source", entry.path("Source").asText());
        event.put("account", account);
        event.put("time", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        event.put("region", region);
        event.putArray("resources");
        event.set("detail", detail);
        bus.put(event.toString());
        result.put("EventId", id);
      }
      response.put("FailedEntryCount", failed);
      reply(exchange, 200, response.toString());
    }
  }

  private static String error(String type, String message) {
    return JSON.createObjectNode().put("__type", type).put("message", message).toString();
  }

  private static void reply(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
