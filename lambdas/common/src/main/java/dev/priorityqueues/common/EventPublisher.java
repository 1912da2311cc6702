package dev.priorityqueues.common;

import dev.priorityqueues.contract.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.regions.Region;

/**
 * EventBridge PutEvents for one entry: a JSON 1.1 POST signed with the SDK's own SigV4 signer,
 * sent with the functions' url-connection client. Hand-written because the SDK's eventbridge
 * module does not exist at the SDK version every other module uses (docs/design.md).
 */
public final class EventPublisher {

  /** Thrown when EventBridge refuses the request or the entry. */
  public static final class PublishFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PublishFailed(String message) {
      super(message);
    }
  }

  private final SdkHttpClient http;
  private final AwsCredentialsProvider credentials;
  private final Region region;
  private final URI endpoint;
  private final String bus;

  /** @param bus a bus name or ARN; EventBridge's default bus when "default" */
  public EventPublisher(SdkHttpClient http, AwsCredentialsProvider credentials, Region region, URI endpoint,
      String bus) {
    this.http = http;
    this.credentials = credentials;
    this.region = region;
    this.endpoint = endpoint;
    this.bus = bus;
  }

  public String bus() {
    return bus;
  }

  /** Puts one event; returns the id EventBridge gave it. */
  public String put(String source, String detailType, Map<String, Object> detail) {
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("Source", source);
    entry.put("DetailType", detailType);
    entry.put("Detail", Json.write(detail));
    entry.put("EventBusName", bus);
    byte[] body = Json.write(Map.of("Entries", List.of(entry))).getBytes(StandardCharsets.UTF_8);
    SdkHttpFullRequest request = SdkHttpFullRequest.builder()
        .method(SdkHttpMethod.POST)
        .uri(endpoint)
        .encodedPath(endpoint.getRawPath() == null || endpoint.getRawPath().isEmpty() ? "/" : endpoint.getRawPath())
        .putHeader("Content-Type", "application/x-amz-json-1.1")
        .putHeader("X-Amz-Target", "AWSEvents.PutEvents")
        .putHeader("Content-Length", Integer.toString(body.length))
        .build();
    ContentStreamProvider payload = ContentStreamProvider.fromByteArray(body);
    SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
        .identity(credentials.resolveCredentials())
        .request(request)
        .payload(payload)
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "events")
        .putProperty(AwsV4HttpSigner.REGION_NAME, region.id()));
    SdkHttpRequest signedRequest = signed.request();
    try {
      HttpExecuteResponse response = http.prepareRequest(HttpExecuteRequest.builder()
          .request(signedRequest)
          .contentStreamProvider(signed.payload().orElse(payload))
          .build()).call();
      String text = read(response);
      if (!response.httpResponse().isSuccessful()) {
        throw new PublishFailed("PutEvents answered " + response.httpResponse().statusCode() + ": " + text);
      }
      Map<String, Object> answer = Json.parseObject("PutEvents response", text);
      Object entries = answer.get("Entries");
      if (!(entries instanceof List<?> list) || list.isEmpty() || !(list.get(0) instanceof Map<?, ?> first)) {
        throw new PublishFailed("PutEvents answered without entries: " + text);
      }
      if (first.get("ErrorCode") != null || first.get("EventId") == null) {
        throw new PublishFailed("PutEvents refused the event: " + first.get("ErrorCode") + " " + first.get("ErrorMessage"));
      }
      return first.get("EventId").toString();
    } catch (IOException e) {
      throw new UncheckedIOException("PutEvents to " + endpoint + " failed: " + e.getMessage(), e);
    }
  }

  private static String read(HttpExecuteResponse response) throws IOException {
    try (InputStream in = response.responseBody().map(InputStream.class::cast)
        .orElseGet(() -> new ByteArrayInputStream(new byte[0]))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
