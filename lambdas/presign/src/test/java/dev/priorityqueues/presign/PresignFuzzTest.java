package dev.priorityqueues.presign;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.priorityqueues.common.http.ApiError;
import dev.priorityqueues.common.http.HttpRequest;
import dev.priorityqueues.contract.ContractException;
import dev.priorityqueues.contract.Keys;
import java.util.Map;

/**
 * Fuzz targets for what presign reads from a request: the HTTP API event and its JWT claims, and
 * the JSON body. A refusal must be an {@link ApiError} with a 4xx status and a sentence; anything
 * else is a finding.
 */
class PresignFuzzTest {

  @FuzzTest(maxDuration = "60s")
  void uploadRequests(FuzzedDataProvider data) {
    boolean base64 = data.consumeBoolean();
    String body = data.consumeRemainingAsString();
    try {
      UploadRequest request = UploadRequest.parse(body, base64);
      assertThat(request.fileName()).isNotBlank().doesNotContain("/", "\\");
      assertThat(request.sizeBytes()).isPositive();
    } catch (ApiError e) {
      assertThat(e.status()).isBetween(400, 499);
      assertThat(e.getMessage()).isNotBlank();
    }
  }

  @FuzzTest(maxDuration = "60s")
  void claimsAndRoutes(FuzzedDataProvider data) {
    APIGatewayV2HTTPEvent event = APIGatewayV2HTTPEvent.builder()
        .withRawPath(data.consumeBoolean() ? null : data.consumeString(40))
        .withBody(data.consumeString(200))
        .withIsBase64Encoded(data.consumeBoolean())
        .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
            .withStage(data.consumeBoolean() ? "$default" : data.consumeString(10))
            .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod(data.consumeString(8)).build())
            .withAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                .withJwt(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder()
                    .withClaims(data.consumeBoolean() ? Map.of() : Map.of("sub", data.consumeRemainingAsString()))
                    .build())
                .build())
            .build())
        .build();
    HttpRequest request = HttpRequest.from(event);
    if (request.subject() == null || request.subject().isEmpty()) {
      return;
    }
    String folder;
    try {
      folder = Keys.folderOf(request.subject());
    } catch (ContractException e) {
      // Refused (403): too long, or not well-formed Unicode; the message says which.
      assertThat(e.getMessage()).startsWith("the subject is");
      return;
    }
    // Any accepted subject stays inside one folder of its own, and comes back exactly.
    String key = Keys.uploadKey(request.subject(), java.util.UUID.randomUUID(), "mp4");
    assertThat(folder).matches("[A-Za-z0-9._-]+").doesNotStartWith(".");
    assertThat(key).startsWith(Keys.UPLOADS_PREFIX + folder + "/").matches(Keys.UPLOAD_KEY);
    assertThat(Keys.userOf(key)).isEqualTo(request.subject());
    assertThat(Keys.messageGroupOf(request.subject())).matches("[\\x21-\\x7E]{1,128}");
  }
}
