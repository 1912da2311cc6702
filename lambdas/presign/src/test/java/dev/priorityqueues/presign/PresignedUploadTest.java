package dev.priorityqueues.presign;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.priorityqueues.common.AwsClients;
import dev.priorityqueues.common.Log;
import dev.priorityqueues.common.testing.CapturedLines;
import dev.priorityqueues.common.testing.TestStack;
import dev.priorityqueues.contract.EnvReader;
import dev.priorityqueues.contract.FunctionEnv;
import dev.priorityqueues.local.servers.LambdaContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The URLs presign hands out, used for real against S3Proxy, which checks SigV4 presigned
 * requests as S3 does: the upload the URL was made for succeeds; anything else is refused.
 */
class PresignedUploadTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static TestStack stack;
  private static AwsClients clients;

  @BeforeAll
  static void stack() {
    stack = TestStack.create("presigned-put");
    clients = new AwsClients(new EnvReader(stack.env()));
  }

  /** The URL, headers and key of a fresh upload of {@code size} bytes. */
  private record Upload(String url, Map<String, String> headers, String key, Instant expiresAt) {}

  @SuppressWarnings("unchecked")
  private static Upload presign(int size, Map<String, String> env) {
    APIGatewayV2HTTPEvent event = PresignHandlerTest.event();
    event.setBody("{\"fileName\":\"a.mp4\",\"contentType\":\"video/mp4\",\"sizeBytes\":" + size + "}");
    PresignHandler handler = new PresignHandler(
        PresignHandler.service(new EnvReader(stack.env(env)), clients, Clock.systemUTC()),
        Log.create("presign", Log.Level.INFO, new CapturedLines(), Clock.systemUTC()));
    Map<String, Object> body = PresignHandlerTest.body(handler.handleRequest(event, LambdaContext.of("presign")));
    return new Upload((String) body.get("url"), (Map<String, String>) body.get("headers"), (String) body.get("key"),
        Instant.parse((String) body.get("expiresAt")));
  }

  /** A PUT as a client makes it from presign's answer: the signed If-None-Match included. */
  private static int put(String url, String contentType, byte[] body) throws IOException, InterruptedException {
    return put(url, contentType, body, true);
  }

  private static int put(String url, String contentType, byte[] body, boolean ifNoneMatch)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
        .header("Content-Type", contentType)
        .PUT(HttpRequest.BodyPublishers.ofByteArray(body));
    if (ifNoneMatch) {
      request.header("If-None-Match", "*");
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private static boolean stored(String key) {
    return TestStack.s3().listObjectsV2(b -> b.bucket(stack.bucket()).prefix(key)).keyCount() > 0;
  }

  @Test
  void theUploadTheUrlWasMadeForSucceeds() throws Exception {
    Upload upload = presign(1234, Map.of());
    byte[] bytes = new byte[1234];
    Arrays.fill(bytes, (byte) 7);
    assertThat(put(upload.url(), upload.headers().get("Content-Type"), bytes)).isEqualTo(200);
    assertThat(TestStack.s3().getObjectAsBytes(b -> b.bucket(stack.bucket()).key(upload.key())).asByteArray())
        .isEqualTo(bytes);
  }

  /**
   * A URL is single-use: it signs If-None-Match: *, so once the object exists S3 answers a
   * replayed PUT with 412 PreconditionFailed and the checked bytes stay; leaving the header out
   * breaks the signature.
   */
  @Test
  void aReplayedPutIsRefusedAndTheFirstBytesStay() throws Exception {
    Upload upload = presign(16, Map.of());
    assertThat(upload.headers()).containsEntry("If-None-Match", "*");
    byte[] first = new byte[16];
    Arrays.fill(first, (byte) 1);
    byte[] second = new byte[16];
    Arrays.fill(second, (byte) 2);
    assertThat(put(upload.url(), "video/mp4", first)).isEqualTo(200);

    assertThat(put(upload.url(), "video/mp4", second)).isEqualTo(412);
    assertThat(put(upload.url(), "video/mp4", second, false)).as("the header is signed").isEqualTo(403);
    assertThat(TestStack.s3().getObjectAsBytes(b -> b.bucket(stack.bucket()).key(upload.key())).asByteArray())
        .isEqualTo(first);
    assertThat(TestStack.s3().listObjectVersions(b -> b.bucket(stack.bucket()).prefix(upload.key())).versions())
        .as("no second version was written").hasSize(1);
  }

  @Test
  void aTamperedSignatureIsRefused() throws Exception {
    Upload upload = presign(10, Map.of());
    int at = upload.url().indexOf("X-Amz-Signature=") + "X-Amz-Signature=".length();
    char flipped = upload.url().charAt(at) == '0' ? '1' : '0';
    String url = upload.url().substring(0, at) + flipped + upload.url().substring(at + 1);
    assertThat(url).isNotEqualTo(upload.url());
    assertThat(put(url, "video/mp4", new byte[10])).isEqualTo(403);
    assertThat(stored(upload.key())).isFalse();
  }

  @Test
  void anotherKeyUnderTheSameSignatureIsRefused() throws Exception {
    Upload upload = presign(10, Map.of());
    String otherKey = upload.key().replace(PresignHandlerTest.SUBJECT, "someone-else");
    assertThat(put(upload.url().replace(upload.key(), otherKey), "video/mp4", new byte[10])).isEqualTo(403);
    assertThat(stored(otherKey)).isFalse();
  }

  @Test
  void aDifferentContentTypeIsRefused() throws Exception {
    Upload upload = presign(10, Map.of());
    assertThat(put(upload.url(), "text/html", new byte[10])).isEqualTo(403);
    assertThat(stored(upload.key())).isFalse();
  }

  @Test
  void aDifferentLengthIsRefused() throws Exception {
    Upload upload = presign(10, Map.of());
    assertThat(put(upload.url(), "video/mp4", new byte[11])).isEqualTo(403);
    assertThat(put(upload.url(), "video/mp4", new byte[9])).isEqualTo(403);
    assertThat(stored(upload.key())).isFalse();
  }

  @Test
  void anExpiredUrlIsRefused() throws Exception {
    Upload upload = presign(10, Map.of(FunctionEnv.UPLOAD_URL_EXPIRY_SECONDS, "1"));
    assertThat(upload.url()).contains("X-Amz-Expires=1&");
    // SigV4 times have one-second resolution: wait until the URL is certainly past its expiry.
    Instant certainlyExpired = upload.expiresAt().plusSeconds(1);
    while (Instant.now().isBefore(certainlyExpired)) {
      Thread.sleep(Math.max(1, certainlyExpired.toEpochMilli() - Instant.now().toEpochMilli()));
    }
    assertThat(put(upload.url(), "video/mp4", new byte[10])).isEqualTo(403);
    assertThat(stored(upload.key())).isFalse();
  }
}
