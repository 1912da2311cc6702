package dev.priorityqueues.local.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;

/**
 * A client of the upload path exactly as a user's app would be: ask the HTTP API for a
 * presigned URL with a bearer token, then PUT the bytes to that URL with the headers it says to
 * send. Nothing here knows the local cloud; it works against a deployed stack's endpoint too.
 */
public final class Uploader {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The API's answer to a presign request. */
  public record Presigned(String key, URI url, String method, Map<String, String> headers) {}

  /** A failed step, with the HTTP status and the body the server sent. */
  public static final class UploadException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    UploadException(String message, int status) {
      super(message);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  private final HttpClient http;
  private final URI endpoint;

  /** @param endpoint the full URL of {@code POST /uploads} (the stack output {@code uploadEndpoint}) */
  public Uploader(URI endpoint) {
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  /** Asks for a presigned URL for a file of this name, type and size. */
  public Presigned presign(String token, String fileName, String contentType, long sizeBytes) {
    String body;
    try {
      body = JSON.writeValueAsString(Map.of("fileName", fileName, "contentType", contentType, "sizeBytes", sizeBytes));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    HttpRequest.Builder request =
        HttpRequest.newBuilder(endpoint)
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> response = send(request.build());
    if (response.statusCode() != 201) {
      throw new UploadException(
          "presign answered " + response.statusCode() + ": " + response.body(), response.statusCode());
    }
    try {
      JsonNode json = JSON.readTree(response.body());
      Map<String, String> headers = new java.util.LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = json.path("headers").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> header = it.next();
        headers.put(header.getKey(), header.getValue().asText());
      }
      return new Presigned(json.path("key").asText(), URI.create(json.path("url").asText()), json.path("method").asText("PUT"), headers);
    } catch (IOException | IllegalArgumentException e) {
      throw new UploadException("presign answered a body that is not the expected JSON: " + response.body(), 201);
    }
  }

  /** PUTs the bytes to a presigned URL with the headers it requires. */
  public void put(Presigned presigned, byte[] bytes) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(presigned.url()).timeout(Duration.ofSeconds(60)).PUT(HttpRequest.BodyPublishers.ofByteArray(bytes));
    // Content-Length is set by the client from the body; it must match the signed length.
    presigned.headers().forEach((name, value) -> {
      if (!name.equalsIgnoreCase("Content-Length") && !name.equalsIgnoreCase("Host")) {
        request.header(name, value);
      }
    });
    HttpResponse<String> response = send(request.build());
    if (response.statusCode() / 100 != 2) {
      throw new UploadException("upload answered " + response.statusCode() + ": " + response.body(), response.statusCode());
    }
  }

  /** Presign, then PUT: returns the object key. */
  public String upload(String token, String fileName, String contentType, byte[] bytes) {
    Presigned presigned = presign(token, fileName, contentType, bytes.length);
    put(presigned, bytes);
    return presigned.key();
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UploadException(request.method() + " " + request.uri() + " failed: " + e.getMessage(), 0);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UploadException("interrupted", 0);
    }
  }
}
