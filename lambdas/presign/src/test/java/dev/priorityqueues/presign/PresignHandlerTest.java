package dev.priorityqueues.presign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import dev.priorityqueues.common.AwsClients;
import dev.priorityqueues.common.Log;
import dev.priorityqueues.common.testing.CapturedLines;
import dev.priorityqueues.common.testing.TestStack;
import dev.priorityqueues.contract.EnvReader;
import dev.priorityqueues.contract.FunctionEnv;
import dev.priorityqueues.contract.Json;
import dev.priorityqueues.contract.Keys;
import dev.priorityqueues.contract.Tables.Videos;
import dev.priorityqueues.local.servers.LambdaContext;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The presign handler on real servers: fixture events in, JSON responses and records out. */
class PresignHandlerTest {

  static final String SUBJECT = "0f8fad5b-d9cb-469f-a165-70867728950e";
  static final long MAX_BYTES = 10_000_000;

  private static TestStack stack;
  private static AwsClients clients;
  private final CapturedLines lines = new CapturedLines();

  @BeforeAll
  static void stack() {
    stack = TestStack.builder("presign").env(FunctionEnv.UPLOAD_MAX_BYTES, MAX_BYTES).build();
    clients = new AwsClients(new EnvReader(stack.env()));
  }

  static APIGatewayV2HTTPEvent event() {
    return EventLoader.loadApiGatewayHttpEvent("events/http-api-post-uploads.json");
  }

  private PresignHandler handler(Map<String, String> overrides) {
    Clock clock = Clock.systemUTC();
    return new PresignHandler(
        PresignHandler.service(new EnvReader(stack.env(overrides)), clients, clock),
        Log.create("presign", Log.Level.DEBUG, lines, clock));
  }

  private PresignHandler handler() {
    return handler(Map.of());
  }

  static Map<String, Object> body(APIGatewayV2HTTPResponse response) {
    return Json.parseObject("response", response.getBody());
  }

  @Test
  void issuesAPresignedPutAndWritesThePendingRecord() {
    Instant before = Instant.now();
    APIGatewayV2HTTPResponse response = handler().handleRequest(event(), LambdaContext.of("presign"));

    assertThat(response.getStatusCode()).isEqualTo(201);
    assertThat(response.getHeaders()).containsEntry("Content-Type", "application/json").containsEntry("Cache-Control", "no-store");
    Map<String, Object> body = body(response);
    String key = (String) body.get("key");
    assertThat(key).matches("uploads/" + SUBJECT + "/[0-9a-f-]{36}\\.mp4");
    assertThat(Keys.userOf(key)).isEqualTo(SUBJECT);
    assertThat(body).containsEntry("method", "PUT")
        .containsEntry("headers", Map.of("Content-Type", "video/mp4", "Content-Length", "7136", "If-None-Match", "*"));
    assertThat((String) body.get("url"))
        .startsWith(stack.env().get("AWS_ENDPOINT_URL_S3") + "/" + stack.bucket() + "/" + key + "?")
        .contains("X-Amz-Expires=900")
        .contains("X-Amz-SignedHeaders=content-length%3Bcontent-type%3Bhost%3Bif-none-match");
    Instant expiresAt = Instant.parse((String) body.get("expiresAt"));
    assertThat(expiresAt).isBetween(before.plusSeconds(899), Instant.now().plusSeconds(901));

    Map<String, AttributeValue> item = stack.video(key);
    assertThat(item.get(Videos.STATUS).s()).isEqualTo("PENDING_UPLOAD");
    assertThat(item.get(Videos.USER_ID).s()).isEqualTo(SUBJECT);
    assertThat(item.get(Videos.CONTENT_TYPE).s()).isEqualTo("video/mp4");
    assertThat(item.get(Videos.FILE_NAME).s()).isEqualTo("holiday.mp4");
    assertThat(item.get(Videos.DECLARED_BYTES).n()).isEqualTo("7136");
    long ttl = Long.parseLong(item.get("expiresAt").n());
    assertThat(ttl).isBetween(before.getEpochSecond() + 86_399, Instant.now().getEpochSecond() + 86_401);

    assertThat(lines.withMessage("upload presigned")).singleElement().satisfies(line -> assertThat(line)
        .containsEntry("videoKey", key)
        .containsEntry("userId", SUBJECT)
        .containsEntry("function", "presign")
        .containsKey("requestId"));
  }

  /**
   * Any subject up to the limit uploads into its own escaped folder (Keys.folderOf), and the
   * record keeps the exact subject as the user id.
   */
  @ParameterizedTest(name = "{index}: [{0}]")
  @MethodSource("subjects")
  void everySubjectUploadsIntoItsOwnFolderUnderItsExactId(String subject) {
    APIGatewayV2HTTPEvent event = event();
    claims(event).put("sub", subject);
    APIGatewayV2HTTPResponse response = handler().handleRequest(event, LambdaContext.of("presign"));

    assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(201);
    String key = (String) body(response).get("key");
    assertThat(key).startsWith("uploads/" + Keys.folderOf(subject) + "/").matches(Keys.UPLOAD_KEY);
    assertThat(key.substring("uploads/".length(), key.lastIndexOf('/'))).doesNotContain("/").isNotIn(".", "..");
    assertThat(Keys.userOf(key)).isEqualTo(subject);
    assertThat((String) body(response).get("url")).contains("/" + stack.bucket() + "/" + key + "?");
    assertThat(stack.video(key).get(Videos.USER_ID).s()).isEqualTo(subject);
  }

  static Stream<String> subjects() {
    return Stream.of("auth0|5f7c8ec7c33c6c004bbafe82", "google-oauth2|104812345678901234567",
        "samlp|corp|jane.doe@example.com", "Zoë 用户 😀", "a/b", "..", "../other-user", " ",
        "a".repeat(255), "€".repeat(85));
  }

  @Test
  void acceptsTheRequiredScopeFromScopeOrScp() {
    APIGatewayV2HTTPEvent event = event();
    claims(event).remove("scope");
    claims(event).put("scp", "[uploads:write profile]");
    assertThat(handler().handleRequest(event, LambdaContext.of("presign")).getStatusCode()).isEqualTo(201);
    APIGatewayV2HTTPEvent other = event();
    claims(other).put("scope", "admin");
    assertThat(handler(Map.of(FunctionEnv.JWT_SCOPES, "admin,uploads:write"))
        .handleRequest(other, LambdaContext.of("presign")).getStatusCode()).as("any one of several").isEqualTo(201);
    assertThatThrownBy(() -> handler(Map.of(FunctionEnv.JWT_SCOPES, "")))
        .hasMessage("PQ_JWT_SCOPES must list 1 to 5 OAuth scopes (the program sets it from jwtScopes), not ''");
  }

  @Test
  void refusesToStartWithoutAnUploadLimit() {
    // Once a silent 5 GiB default: an environment without the limit is a broken deploy, not a choice.
    assertThatThrownBy(() -> handler(Map.of(FunctionEnv.UPLOAD_MAX_BYTES, "")))
        .hasMessage("PQ_UPLOAD_MAX_BYTES is not set; the Pulumi program sets it (a whole number from 1 to 5368709120)");
  }

  @Test
  void readsBase64BodiesAndStagePrefixedPaths() {
    APIGatewayV2HTTPEvent event = event();
    event.setBody(Base64.getEncoder().encodeToString(
        "{\"fileName\":\"clip.webm\",\"contentType\":\"video/webm\",\"sizeBytes\":10}".getBytes(StandardCharsets.UTF_8)));
    event.setIsBase64Encoded(true);
    event.setRawPath("/prod/uploads");
    event.getRequestContext().setStage("prod");
    APIGatewayV2HTTPResponse response = handler().handleRequest(event, LambdaContext.of("presign"));
    assertThat(response.getStatusCode()).isEqualTo(201);
    assertThat((String) body(response).get("key")).endsWith(".webm");
  }

  @Test
  void aRefusedRequestWritesNothingAndSaysWhy() {
    APIGatewayV2HTTPEvent event = event();
    event.getRequestContext().getHttp().setMethod("DELETE");
    LambdaContext context = LambdaContext.of("presign");
    APIGatewayV2HTTPResponse response = handler().handleRequest(event, context);
    assertThat(response.getStatusCode()).isEqualTo(405);
    assertThat(response.getHeaders()).containsEntry("Allow", "POST");
    assertThat(body(response)).containsEntry("error", "method_not_allowed")
        .containsEntry("requestId", context.getAwsRequestId());
    assertThat(lines.withMessage("request refused")).singleElement()
        .satisfies(line -> assertThat(line).containsEntry("status", 405));
  }

  @Test
  void anInfrastructureFailureIsA500WithTheRequestId() {
    APIGatewayV2HTTPResponse response =
        handler(Map.of(FunctionEnv.VIDEOS_TABLE, "no-such-table")).handleRequest(event(), LambdaContext.of("presign"));
    assertThat(response.getStatusCode()).isEqualTo(500);
    assertThat(body(response)).containsEntry("error", "internal_error").containsKey("requestId");
    assertThat(lines.withMessage("request failed")).singleElement()
        .satisfies(line -> assertThat(line).containsEntry("level", "ERROR").containsKey("errorType"));
  }

  @Test
  void primingPresignsAndReadsWithoutWritingAnything() {
    PresignService service = PresignHandler.service(new EnvReader(stack.env()), clients, Clock.systemUTC());
    service.prime();
    assertThat(TestStack.dynamoDb().scan(b -> b.tableName(stack.videosTable())).items())
        .noneMatch(item -> item.get(Videos.KEY).s().contains(Keys.PRIME));
  }

  // ---- malformed requests: every one gets its status and a sentence that says what is wrong ----

  static Stream<Arguments> malformedRequests() {
    return Stream.of(
        refused("no authorizer", e -> e.getRequestContext().setAuthorizer(null),
            401, "the request carries no verified identity (JWT claim 'sub')"),
        refused("claims without sub", e -> claims(e).remove("sub"),
            401, "the request carries no verified identity (JWT claim 'sub')"),
        refused("empty sub", e -> claims(e).put("sub", ""),
            401, "the request carries no verified identity (JWT claim 'sub')"),
        refused("sub one byte over the limit", e -> claims(e).put("sub", "a".repeat(256)),
            403, "the identity cannot upload: the subject is 256 bytes long in UTF-8; at most 255 are allowed"),
        refused("unicode sub over the limit", e -> claims(e).put("sub", "用".repeat(86)),
            403, "the identity cannot upload: the subject is 258 bytes long in UTF-8; at most 255 are allowed"),
        refused("sub with a lone surrogate", e -> claims(e).put("sub", "auth0|\ud800"),
            403, "the identity cannot upload: the subject is not well-formed Unicode (it holds a lone surrogate)"),
        refused("an ID token (no scope)", e -> claims(e).remove("scope"), 403, "the token grants none of the scopes this API requires (uploads:write); ID tokens and tokens for other APIs are refused"),
        refused("another API's scope", e -> claims(e).put("scope", "openid uploads:read"), 403, "the token grants none of the scopes this API requires (uploads:write); ID tokens and tokens for other APIs are refused"),
        refused("the scope as a prefix only", e -> claims(e).put("scope", "uploads:writer"), 403, "the token grants none of the scopes this API requires (uploads:write); ID tokens and tokens for other APIs are refused"),
        refused("GET", e -> e.getRequestContext().getHttp().setMethod("GET"),
            405, "GET is not allowed on /uploads; use POST"),
        refused("another path", e -> e.setRawPath("/videos"),
            404, "there is no /videos; this API serves POST /uploads"),
        refused("no body", e -> e.setBody(null),
            400, "the request body is empty; send a JSON object with fileName, contentType and sizeBytes"),
        refused("not JSON", e -> e.setBody("fileName=a.mp4"), 400, "request body is not valid JSON: …"),
        refused("an array", e -> e.setBody("[]"), 400, "request body must be a JSON object, not an array"),
        refused("trailing content", e -> e.setBody(body("\"a.mp4\"", "\"video/mp4\"", "1") + " {}"),
            400, "request body has content after its JSON value"),
        refused("duplicate field", e -> e.setBody("{\"fileName\":\"a\",\"fileName\":\"b\"}"),
            400, "request body is not valid JSON: Duplicate key (key 'fileName')"),
        refused("an identity in the body", e -> e.setBody(
                "{\"fileName\":\"a.mp4\",\"contentType\":\"video/mp4\",\"sizeBytes\":1,\"userId\":\"someone-else\"}"),
            400, "request body has an unknown field 'userId'; the fields are fileName, contentType and sizeBytes"),
        refused("no fileName", e -> e.setBody("{\"contentType\":\"video/mp4\",\"sizeBytes\":1}"),
            400, "request body has no 'fileName'"),
        refused("numeric fileName", e -> e.setBody(body("7", "\"video/mp4\"", "1")),
            400, "request body field 'fileName' must be a string, not a number"),
        refused("blank fileName", e -> e.setBody(body("\"  \"", "\"video/mp4\"", "1")),
            400, "request body field 'fileName' is blank"),
        refused("fileName with a path", e -> e.setBody(body("\"../../etc/passwd\"", "\"video/mp4\"", "1")),
            400, "request body field 'fileName' must be a plain file name, without path separators or control characters"),
        refused("fileName too long", e -> e.setBody(body("\"" + "a".repeat(256) + "\"", "\"video/mp4\"", "1")),
            400, "request body field 'fileName' is longer than 255 characters"),
        refused("no contentType", e -> e.setBody("{\"fileName\":\"a.mp4\",\"sizeBytes\":1}"),
            400, "request body has no 'contentType'"),
        refused("image contentType", e -> e.setBody(body("\"a.png\"", "\"image/png\"", "1")),
            415, "contentType 'image/png' is not accepted; send one of video/mp4, video/quicktime, video/webm"),
        refused("contentType with parameters", e -> e.setBody(body("\"a.mp4\"", "\"video/mp4; codecs=avc1\"", "1")),
            415, "contentType 'video/mp4; codecs=avc1' is not accepted; send one of video/mp4, video/quicktime, video/webm"),
        refused("no sizeBytes", e -> e.setBody("{\"fileName\":\"a.mp4\",\"contentType\":\"video/mp4\"}"),
            400, "request body has no 'sizeBytes'"),
        refused("sizeBytes as a string", e -> e.setBody(body("\"a.mp4\"", "\"video/mp4\"", "\"7136\"")),
            400, "request body field 'sizeBytes' must be a number, not a string"),
        refused("fractional sizeBytes", e -> e.setBody(body("\"a.mp4\"", "\"video/mp4\"", "1.5")),
            400, "request body field 'sizeBytes' must be a whole number of bytes, not 1.5"),
        refused("zero sizeBytes", e -> e.setBody(body("\"a.mp4\"", "\"video/mp4\"", "0")),
            400, "request body field 'sizeBytes' must be at least 1, not 0"),
        refused("negative sizeBytes", e -> e.setBody(body("\"a.mp4\"", "\"video/mp4\"", "-5")),
            400, "request body field 'sizeBytes' must be at least 1, not -5"),
        refused("astronomical sizeBytes", e -> e.setBody(body("\"a.mp4\"", "\"video/mp4\"", "1" + "0".repeat(30))),
            400, "request body field 'sizeBytes' is 1" + "0".repeat(30) + ", far larger than any upload"),
        refused("sizeBytes over the limit", e -> e.setBody(body("\"a.mp4\"", "\"video/mp4\"", "10000001")),
            413, "sizeBytes 10000001 is over the limit of 10000000 bytes"),
        refused("broken base64", e -> {
              e.setBody("not base64!");
              e.setIsBase64Encoded(true);
            }, 400, "the request body is marked base64 but is not valid base64"),
        refused("oversized body", e -> e.setBody(body("\"a.mp4\"", "\"video/mp4\"", "1") + " ".repeat(5000)),
            400, "the request body is larger than 4096 bytes"));
  }

  private static Arguments refused(String name, Consumer<APIGatewayV2HTTPEvent> change, int status, String message) {
    return Arguments.of(name, change, status, message);
  }

  private static Map<String, String> claims(APIGatewayV2HTTPEvent event) {
    Map<String, String> claims = new HashMap<>(event.getRequestContext().getAuthorizer().getJwt().getClaims());
    event.getRequestContext().getAuthorizer().getJwt().setClaims(claims);
    return claims;
  }

  private static String body(String fileName, String contentType, String sizeBytes) {
    return "{\"fileName\":" + fileName + ",\"contentType\":" + contentType + ",\"sizeBytes\":" + sizeBytes + "}";
  }

  @ParameterizedTest(name = "{0} → {2}")
  @MethodSource("malformedRequests")
  void refusesMalformedRequestsWithAClearJsonError(
      String name, Consumer<APIGatewayV2HTTPEvent> change, int status, String message) {
    APIGatewayV2HTTPEvent event = event();
    change.accept(event);
    long before = TestStack.dynamoDb().scan(b -> b.tableName(stack.videosTable())).count();

    APIGatewayV2HTTPResponse response = handler().handleRequest(event, LambdaContext.of("presign"));

    assertThat(response.getStatusCode()).isEqualTo(status);
    Map<String, Object> body = body(response);
    if (message.endsWith("…")) {
      assertThat((String) body.get("message")).startsWith(message.substring(0, message.length() - 1));
    } else {
      assertThat(body).containsEntry("message", message);
    }
    assertThat(body).containsKeys("error", "requestId");
    assertThat(TestStack.dynamoDb().scan(b -> b.tableName(stack.videosTable())).count()).isEqualTo(before);
  }
}
