package dev.priorityqueues.worker;

import com.sun.net.httpserver.HttpServer;
import dev.priorityqueues.contract.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback PutEvents endpoint that records each accepted entry and can refuse the next few
 * requests with a 500, as EventBridge does when it throttles or fails internally.
 */
final class PutEventsRecorder implements AutoCloseable {

  /** One accepted entry, with the signature's presence checked. */
  record Entry(String source, String detailType, String bus, Map<String, Object> detail) {}

  private final HttpServer server;
  final List<Entry> entries = new CopyOnWriteArrayList<>();
  final AtomicInteger refuse = new AtomicInteger();

  PutEventsRecorder() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
      String auth = exchange.getRequestHeaders().getFirst("Authorization");
      int status;
      String answer;
      if (!"AWSEvents.PutEvents".equals(target) || auth == null || !auth.startsWith("AWS4-HMAC-SHA256")
          || !auth.contains("/events/aws4_request")) {
        status = 400;
        answer = "{\"__type\":\"UnrecognizedClientException\"}";
      } else if (refuse.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        status = 500;
        answer = "{\"__type\":\"InternalException\"}";
      } else {
        @SuppressWarnings("unchecked")
        Map<String, Object> entry = (Map<String, Object>) ((List<Object>) Json.parseObject("put", body).get("Entries")).get(0);
        entries.add(new Entry((String) entry.get("Source"), (String) entry.get("DetailType"),
            (String) entry.get("EventBusName"), Json.parseObject("detail", (String) entry.get("Detail"))));
        status = 200;
        answer = "{\"FailedEntryCount\":0,\"Entries\":[{\"EventId\":\"e-" + entries.size() + "\"}]}";
      }
      byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
      exchange.sendResponseHeaders(status, bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    server.start();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
