package dev.priorityqueues.local.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.priorityqueues.local.lambda.InvocationFaults;
import dev.priorityqueues.local.lambda.LocalFunction;
import dev.priorityqueues.local.lambda.TestHandlers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LocalHttpApiTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static LocalHttpApi api;
  private static LocalFunction fn;
  private static LocalIdentity identity;

  @BeforeAll
  static void start() {
    TestHandlers.reset("api-fn");
    fn = new LocalFunction(
        new LocalFunction.Spec("api-fn", "arn", TestHandlers.Http.class.getName(), Map.of(), 5, 128, null, false),
        Map.of(), new Semaphore(10), InvocationFaults.NONE);
    identity = new LocalIdentity("https://issuer.example/", List.of("uploads-api"), Clock.systemUTC());
    api = new LocalHttpApi("localapi", "123456789012");
    api.addRoute(new LocalHttpApi.Route("POST /uploads", fn, identity));
    api.addRoute(new LocalHttpApi.Route("POST /scoped", fn, identity, List.of("uploads:write", "admin")));
  }

  @AfterAll
  static void stop() {
    api.close();
    fn.close();
  }

  private static HttpResponse<String> post(String path, String token, String body) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(api.endpoint() + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void passesVerifiedClaimsToTheFunctionAndItsResponseBack() throws Exception {
    HttpResponse<String> response = post("/uploads", identity.issue("user-42", Duration.ofMinutes(5)), "{\"a\":1}");
    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(response.body()).isEqualTo("{\"sub\":\"user-42\",\"body\":{\"a\":1}}");
    APIGatewayV2HTTPEvent event = (APIGatewayV2HTTPEvent) TestHandlers.SEEN.get("api-fn").getLast();
    assertThat(event.getRouteKey()).isEqualTo("POST /uploads");
    assertThat(event.getRequestContext().getHttp().getMethod()).isEqualTo("POST");
    assertThat(event.getRequestContext().getAuthorizer().getJwt().getClaims())
        .containsEntry("iss", "https://issuer.example/")
        .containsEntry("aud", "[uploads-api]");
  }

  @Test
  void refusesMissingForeignAndExpiredTokensLikeApiGateway() throws Exception {
    int before = TestHandlers.SEEN.getOrDefault("api-fn", List.of()).size();
    LocalIdentity stranger = new LocalIdentity("https://issuer.example/", List.of("uploads-api"), Clock.systemUTC());
    String expired =
        identity.sign(new JWTClaimsSet.Builder().issuer("https://issuer.example/").audience("uploads-api")
            .subject("u").expirationTime(Date.from(Instant.now().minusSeconds(60))).build());
    String wrongAudience =
        identity.sign(new JWTClaimsSet.Builder().issuer("https://issuer.example/").audience("other")
            .subject("u").expirationTime(Date.from(Instant.now().plusSeconds(60))).build());
    for (String token : new String[] {null, "not-a-jwt", stranger.issue("u", Duration.ofMinutes(1)), expired, wrongAudience}) {
      HttpResponse<String> response = post("/uploads", token, "{}");
      assertThat(response.statusCode()).as("token %s", token).isEqualTo(401);
      assertThat(response.body()).isEqualTo("{\"message\":\"Unauthorized\"}");
    }
    assertThat(TestHandlers.SEEN.getOrDefault("api-fn", List.of())).hasSize(before);
  }

  @Test
  void aRouteWithScopesRefusesATokenWithoutOneOfThemWith403LikeApiGateway() throws Exception {
    assertThat(post("/scoped", identity.issue("u", Duration.ofMinutes(1)), "{}").statusCode())
        .as("the local identity issues the scopes it was given").isEqualTo(201);
    int before = TestHandlers.SEEN.getOrDefault("api-fn", List.of()).size();
    JWTClaimsSet.Builder valid = new JWTClaimsSet.Builder().issuer("https://issuer.example/").audience("uploads-api")
        .subject("u").expirationTime(Date.from(Instant.now().plusSeconds(60)));
    String idToken = identity.sign(valid.build());
    String otherScope = identity.sign(valid.claim("scope", "openid uploads:read").build());
    for (String token : new String[] {idToken, otherScope}) {
      HttpResponse<String> response = post("/scoped", token, "{}");
      assertThat(response.statusCode()).isEqualTo(403);
      assertThat(response.body()).isEqualTo("{\"message\":\"Forbidden\"}");
    }
    assertThat(TestHandlers.SEEN.getOrDefault("api-fn", List.of())).as("never invoked").hasSize(before);
    assertThat(post("/scoped", identity.sign(valid.claim("scope", null).claim("scp", List.of("admin")).build()), "{}")
        .statusCode()).as("any one of the route's scopes, from scp").isEqualTo(201);
    assertThat(post("/uploads", idToken, "{}").statusCode()).as("a route without scopes").isEqualTo(201);
    LocalIdentity admin = new LocalIdentity("https://issuer.example/", List.of("uploads-api"), List.of("admin"), Clock.systemUTC());
    assertThat(admin.verify(admin.issue("u", Duration.ofMinutes(1))).orElseThrow()).containsEntry("scope", "admin");
  }

  @Test
  void answersUnknownRoutesWithNotFound() throws Exception {
    HttpResponse<String> response = post("/elsewhere", identity.issue("u", Duration.ofMinutes(1)), "{}");
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).isEqualTo("{\"message\":\"Not Found\"}");
  }
}
