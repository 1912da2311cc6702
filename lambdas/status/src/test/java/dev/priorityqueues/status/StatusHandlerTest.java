package dev.priorityqueues.status;

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
import dev.priorityqueues.contract.Scopes;
import dev.priorityqueues.contract.Tables.Videos;
import dev.priorityqueues.contract.VideoIds;
import dev.priorityqueues.local.servers.LambdaContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The status handler on DynamoDB Local and S3Proxy: fixture events in, JSON and working URLs out. */
class StatusHandlerTest {

  static final String SUBJECT = "0f8fad5b-d9cb-469f-a165-70867728950e";
  static final String OTHER = "7c9e6679-7425-40de-944b-e07fc1f90ae7";

  private static TestStack stack;
  private static AwsClients clients;
  private final CapturedLines lines = new CapturedLines();

  @BeforeAll
  static void stack() {
    stack = TestStack.builder("status").env(FunctionEnv.JWT_SCOPES, Scopes.READ_DEFAULT).build();
    clients = new AwsClients(new EnvReader(stack.env()));
  }

  private StatusHandler handler() {
    Clock clock = Clock.systemUTC();
    return new StatusHandler(StatusHandler.service(new EnvReader(stack.env()), clients, clock),
        Log.create("status", Log.Level.DEBUG, lines, clock));
  }

  static APIGatewayV2HTTPEvent get(String videoId) {
    APIGatewayV2HTTPEvent event = EventLoader.loadApiGatewayHttpEvent("events/http-api-get-upload.json");
    event.setRawPath("/uploads/" + videoId);
    event.setPathParameters(Map.of("videoId", videoId));
    return event;
  }

  static APIGatewayV2HTTPEvent list(Map<String, String> query) {
    APIGatewayV2HTTPEvent event = EventLoader.loadApiGatewayHttpEvent("events/http-api-list-uploads.json");
    event.setQueryStringParameters(query.isEmpty() ? null : query);
    return event;
  }

  static APIGatewayV2HTTPEvent as(String subject, APIGatewayV2HTTPEvent event) {
    Map<String, String> claims = new HashMap<>(event.getRequestContext().getAuthorizer().getJwt().getClaims());
    claims.put("sub", subject);
    event.getRequestContext().getAuthorizer().getJwt().setClaims(claims);
    return event;
  }

  private Map<String, Object> call(APIGatewayV2HTTPEvent event, int status) {
    APIGatewayV2HTTPResponse response = handler().handleRequest(event, LambdaContext.of("status"));
    assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(status);
    assertThat(response.getHeaders()).containsEntry("Cache-Control", "no-store");
    return Json.parseObject("response", response.getBody());
  }

  /** A record as the pipeline leaves it; {@code extra} adds or replaces attributes. */
  static String putVideo(String user, String status, long createdAt, Map<String, AttributeValue> extra) {
    String key = "uploads/" + user + "/" + UUID.randomUUID() + ".mp4";
    Map<String, AttributeValue> item = new LinkedHashMap<>();
    item.put(Videos.KEY, AttributeValue.fromS(key));
    item.put(Videos.USER_ID, AttributeValue.fromS(user));
    item.put(Videos.STATUS, AttributeValue.fromS(status));
    item.put(Videos.FILE_NAME, AttributeValue.fromS("clip.mp4"));
    item.put(Videos.CONTENT_TYPE, AttributeValue.fromS("video/mp4"));
    item.put(Videos.CREATED_AT, AttributeValue.fromN(Long.toString(createdAt)));
    item.put(Videos.JOB_ID, AttributeValue.fromS("job-internal"));
    item.putAll(extra);
    TestStack.dynamoDb().putItem(b -> b.tableName(stack.videosTable()).item(item));
    return key;
  }

  static AttributeValue output(String kind, String name, String key, long bytes) {
    return AttributeValue.fromM(Map.of(
        "kind", AttributeValue.fromS(kind), "name", AttributeValue.fromS(name), "key", AttributeValue.fromS(key),
        "bytes", AttributeValue.fromN(Long.toString(bytes)), "width", AttributeValue.fromN("640"),
        "height", AttributeValue.fromN("360"), "durationMillis", AttributeValue.fromN("2000")));
  }

  static String fetch(String url) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(url).isEqualTo(200);
    return response.body();
  }

  @Test
  void aDoneVideoListsEveryOutputWithAWorkingShortLivedUrl() throws Exception {
    String rendition = "processed/" + UUID.randomUUID() + "/360p.mp4";
    String thumbnail = "processed/" + UUID.randomUUID() + "/thumb.jpg";
    TestStack.s3().putObject(b -> b.bucket(stack.bucket()).key(rendition), RequestBody.fromString("rendition bytes"));
    TestStack.s3().putObject(b -> b.bucket(stack.bucket()).key(thumbnail), RequestBody.fromString("thumbnail bytes"));
    String key = putVideo(SUBJECT, "DONE", 1_000, Map.of(
        Videos.TIER, AttributeValue.fromS("premium"),
        Videos.QUEUE_WAIT_MILLIS, AttributeValue.fromN("420"),
        Videos.RESULT_KEY, AttributeValue.fromS("processed/ignored.json"),
        Videos.OUTPUTS, AttributeValue.fromL(List.of(
            output("rendition", "360p", rendition, 15), output("thumbnail", "poster", thumbnail, 15),
            output("rendition", "stray", "uploads/someone/else.mp4", 1)))));

    Map<String, Object> body = call(get(VideoIds.of(key)), 200);

    assertThat(body).containsEntry("videoId", VideoIds.of(key)).containsEntry("status", "DONE")
        .containsEntry("tier", "premium").containsEntry("queueWaitMillis", 420).containsEntry("fileName", "clip.mp4")
        .doesNotContainKeys("jobId", "userId", "leaseUntil");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> outputs = (List<Map<String, Object>>) body.get("outputs");
    assertThat(outputs).extracting(o -> o.get("name")).containsExactly("360p", "poster");
    assertThat(outputs.get(0)).containsEntry("kind", "rendition").containsEntry("width", 640)
        .containsEntry("height", 360).containsEntry("durationMillis", 2000).containsEntry("bytes", 15);
    assertThat((String) outputs.get(0).get("url")).contains("X-Amz-Expires=300");
    assertThat(fetch((String) outputs.get(0).get("url"))).isEqualTo("rendition bytes");
    assertThat(fetch((String) outputs.get(1).get("url"))).isEqualTo("thumbnail bytes");
    assertThat(lines.withMessage("output left out: its key is not under processed/")).hasSize(1);
  }

  @Test
  void aDoneVideoWithoutOutputsGetsItsResultObject() throws Exception {
    String result = "processed/" + UUID.randomUUID() + ".json";
    TestStack.s3().putObject(b -> b.bucket(stack.bucket()).key(result), RequestBody.fromString("{\"ok\":true}"));
    String key = putVideo(SUBJECT, "DONE", 2_000, Map.of(Videos.RESULT_KEY, AttributeValue.fromS(result)));

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> outputs = (List<Map<String, Object>>) call(get(VideoIds.of(key)), 200).get("outputs");
    assertThat(outputs).singleElement().satisfies(o -> assertThat(o).containsEntry("kind", "result"));
    assertThat(fetch((String) outputs.get(0).get("url"))).isEqualTo("{\"ok\":true}");
  }

  @Test
  void aQueuedVideoShowsItsTierAndHowLongItHasWaited() {
    long queuedAt = System.currentTimeMillis() - 5_000;
    String key = putVideo(SUBJECT, "QUEUED", 3_000, Map.of(Videos.TIER, AttributeValue.fromS("regular"),
        Videos.QUEUED_AT, AttributeValue.fromN(Long.toString(queuedAt))));
    Map<String, Object> body = call(get(VideoIds.of(key)), 200);
    assertThat(body).containsEntry("status", "QUEUED").containsEntry("tier", "regular").doesNotContainKey("outputs");
    assertThat(((Number) body.get("waitingMillis")).longValue()).isBetween(5_000L, 60_000L);
  }

  @Test
  void someoneElsesVideoAnswersExactlyLikeAMissingOne() {
    String theirs = VideoIds.of(putVideo(OTHER, "DONE", 4_000, Map.of(
        Videos.RESULT_KEY, AttributeValue.fromS("processed/x.json"))));
    String missing = VideoIds.of("uploads/" + SUBJECT + "/" + UUID.randomUUID() + ".mp4");

    Map<String, Object> other = call(get(theirs), 404);
    Map<String, Object> none = call(get(missing), 404);
    assertThat(other).containsEntry("error", "not_found")
        .containsEntry("message", "there is no video '" + theirs + "' among your uploads");
    assertThat(none.get("message")).isEqualTo("there is no video '" + missing + "' among your uploads");
    // The owner does see it.
    assertThat(call(as(OTHER, get(theirs)), 200)).containsEntry("status", "DONE");
  }

  @Test
  void anIdThatIsNotOneThisApiIssuesIsABadRequest() {
    for (String id : List.of("not+base64", VideoIds.of("processed/secret.json"), "AAAA", "x".repeat(700))) {
      assertThat(call(get(id), 400)).containsEntry("error", "invalid_request")
          .hasEntrySatisfying("message", m -> assertThat((String) m).contains("is not a video id"));
    }
  }

  @Test
  void theListIsTheCallersOwnNewestFirstInPages() {
    String user = "lister-" + UUID.randomUUID();
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      keys.add(putVideo(user, "QUEUED", 10_000 + i, Map.of()));
    }
    putVideo(OTHER, "QUEUED", 10_002, Map.of());

    List<String> seen = new ArrayList<>();
    String next = null;
    int pages = 0;
    do {
      Map<String, String> query = new HashMap<>(Map.of("limit", "2"));
      if (next != null) {
        query.put("next", next);
      }
      Map<String, Object> page = call(as(user, list(query)), 200);
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> videos = (List<Map<String, Object>>) page.get("videos");
      assertThat(videos).hasSizeLessThanOrEqualTo(2);
      videos.forEach(v -> seen.add((String) v.get("key")));
      next = (String) page.get("next");
      pages++;
    } while (next != null && pages < 10);

    assertThat(seen).containsExactly(keys.get(4), keys.get(3), keys.get(2), keys.get(1), keys.get(0));
  }

  @Test
  void aPageTokenIsBoundToItsUserAndCannotBeForged() {
    String user = "paged-" + UUID.randomUUID();
    putVideo(user, "QUEUED", 1, Map.of());
    putVideo(user, "QUEUED", 2, Map.of());
    String next = (String) call(as(user, list(Map.of("limit", "1"))), 200).get("next");
    assertThat(next).isNotNull();

    assertThat(call(as(OTHER, list(Map.of("next", next))), 400).get("message"))
        .isEqualTo("the page token was issued for another user's list; start again without 'next'");
    String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(
        ("{\"u\":\"" + user + "\",\"c\":\"1\",\"k\":\"uploads/x\"}").getBytes(StandardCharsets.UTF_8));
    String huge = Base64.getUrlEncoder().withoutPadding().encodeToString(
        ("{\"u\":\"" + user + "\",\"c\":99999999999999999999999,\"k\":\"uploads/x\"}").getBytes(StandardCharsets.UTF_8));
    for (String token : List.of(forged, huge, next + "!", "e30", next.substring(0, next.length() - 3))) {
      assertThat(call(as(user, list(Map.of("next", token))), 400)).containsEntry("error", "invalid_request");
    }
  }

  @Test
  void badQueryParametersAreNamed() {
    assertThat(call(list(Map.of("limit", "0")), 400).get("message")).isEqualTo("limit must be a whole number from 1 to 50, not '0'");
    assertThat(call(list(Map.of("limit", "lots")), 400).get("message")).isEqualTo("limit must be a whole number from 1 to 50, not 'lots'");
    assertThat(call(list(Map.of("sort", "asc")), 400).get("message"))
        .isEqualTo("unknown query parameter 'sort'; the parameters are limit and next");
  }

  @Test
  void aRequestWithoutIdentityOrWithAnotherMethodIsRefused() {
    APIGatewayV2HTTPEvent anonymous = list(Map.of());
    anonymous.getRequestContext().getAuthorizer().getJwt().setClaims(Map.of());
    assertThat(call(anonymous, 401)).containsEntry("error", "unauthorized");
    APIGatewayV2HTTPEvent delete = list(Map.of());
    delete.getRequestContext().getHttp().setMethod("DELETE");
    APIGatewayV2HTTPResponse response = handler().handleRequest(delete, LambdaContext.of("status"));
    assertThat(response.getStatusCode()).isEqualTo(405);
    assertThat(response.getHeaders()).containsEntry("Allow", "GET");
  }

  /** Defence in depth: the routes require statusJwtScopes, and the function checks them again. */
  @Test
  void aTokenWithoutTheReadScopeIsRefusedAsAnUploadTokenWouldBe() {
    String refusal = "the token grants none of the scopes this API requires (uploads:read);"
        + " ID tokens and tokens for other APIs are refused";
    for (String scope : new String[] {"openid uploads:write", "uploads:reader", ""}) {
      APIGatewayV2HTTPEvent event = list(Map.of());
      Map<String, String> claims = new HashMap<>(event.getRequestContext().getAuthorizer().getJwt().getClaims());
      claims.put("scope", scope);
      event.getRequestContext().getAuthorizer().getJwt().setClaims(claims);
      assertThat(call(event, 403)).as(scope).containsEntry("error", "insufficient_scope").containsEntry("message", refusal);
    }
    APIGatewayV2HTTPEvent cognito = get(VideoIds.of("uploads/" + SUBJECT + "/missing.mp4"));
    Map<String, String> claims = new HashMap<>(cognito.getRequestContext().getAuthorizer().getJwt().getClaims());
    claims.remove("scope");
    claims.put("scp", "[uploads:read]");
    cognito.getRequestContext().getAuthorizer().getJwt().setClaims(claims);
    assertThat(call(cognito, 404)).containsEntry("error", "not_found");
  }

  @Test
  void theFunctionRefusesToStartWithoutItsScopes() {
    Map<String, String> env = new HashMap<>(stack.env());
    env.put(FunctionEnv.JWT_SCOPES, "");
    assertThatThrownBy(() -> StatusHandler.service(new EnvReader(env), clients, Clock.systemUTC()))
        .hasMessage("PQ_JWT_SCOPES must list 1 to 5 OAuth scopes (the program sets it from statusJwtScopes), not ''");
  }
}
