package dev.priorityqueues.presign;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.priorityqueues.common.AwsClients;
import dev.priorityqueues.common.Log;
import dev.priorityqueues.common.testing.CapturedLines;
import dev.priorityqueues.common.testing.TestStack;
import dev.priorityqueues.contract.EnvReader;
import dev.priorityqueues.contract.FunctionEnv;
import dev.priorityqueues.contract.Tables;
import dev.priorityqueues.contract.Tables.Videos;
import dev.priorityqueues.local.servers.LambdaContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Per-user quotas against DynamoDB Local: at the boundary, when slots free themselves, and under
 * concurrent requests, where only DynamoDB's conditional updates keep the count.
 */
class UploadQuotasTest {

  private static final int IN_FLIGHT = 3;
  private static final long BYTES_PER_DAY = 1000;
  private static final Instant T0 = Instant.parse("2026-11-29T23:50:00Z");

  private static TestStack stack;
  private static AwsClients clients;

  @BeforeAll
  static void stack() {
    stack = TestStack.builder("quotas")
        .env(FunctionEnv.UPLOAD_MAX_BYTES, BYTES_PER_DAY)
        .env(FunctionEnv.QUOTA_UPLOADS_IN_FLIGHT, IN_FLIGHT)
        .env(FunctionEnv.QUOTA_BYTES_PER_DAY, BYTES_PER_DAY)
        .build();
    clients = new AwsClients(new EnvReader(stack.env()));
  }

  private static PresignHandler handler(Instant at) {
    return handler(at, Map.of());
  }

  private static PresignHandler handler(Instant at, Map<String, String> overrides) {
    Clock clock = Clock.fixed(at, ZoneOffset.UTC);
    return new PresignHandler(PresignHandler.service(new EnvReader(stack.env(overrides)), clients, clock),
        Log.create("presign", Log.Level.INFO, new CapturedLines(), clock));
  }

  private static APIGatewayV2HTTPResponse presign(PresignHandler handler, String user, long size) {
    APIGatewayV2HTTPEvent event = PresignHandlerTest.event();
    Map<String, String> claims = new HashMap<>(event.getRequestContext().getAuthorizer().getJwt().getClaims());
    claims.put("sub", user);
    event.getRequestContext().getAuthorizer().getJwt().setClaims(claims);
    event.setBody("{\"fileName\":\"a.mp4\",\"contentType\":\"video/mp4\",\"sizeBytes\":" + size + "}");
    return handler.handleRequest(event, LambdaContext.of("presign"));
  }

  private static String user() {
    return "quota-" + UUID.randomUUID();
  }

  private static void finish(String videoKey, String status) {
    TestStack.dynamoDb().updateItem(b -> b.tableName(stack.videosTable())
        .key(Map.of(Videos.KEY, AttributeValue.fromS(videoKey)))
        .updateExpression("SET #status = :status")
        .expressionAttributeNames(Map.of("#status", Videos.STATUS))
        .expressionAttributeValues(Map.of(":status", AttributeValue.fromS(status))));
  }

  private static long recordsOf(String user) {
    return TestStack.dynamoDb().scan(b -> b.tableName(stack.videosTable()).filterExpression("userId = :u")
        .expressionAttributeValues(Map.of(":u", AttributeValue.fromS(user)))).count();
  }

  private static int slots(String user) {
    var item = TestStack.dynamoDb().getItem(b -> b.tableName(stack.env().get(FunctionEnv.QUOTAS_TABLE))
        .key(Map.of(Tables.Quotas.KEY, AttributeValue.fromS("inflight#" + user))).consistentRead(true)).item();
    return item == null || !item.containsKey(Tables.Quotas.SLOTS) ? 0 : item.get(Tables.Quotas.SLOTS).ss().size();
  }

  @Test
  void theLastUploadInFlightPassesTheNextIsRefusedUntilOneFinishes() {
    String user = user();
    PresignHandler handler = handler(T0);
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < IN_FLIGHT; i++) {
      APIGatewayV2HTTPResponse ok = presign(handler, user, 1);
      assertThat(ok.getStatusCode()).isEqualTo(201);
      keys.add((String) PresignHandlerTest.body(ok).get("key"));
    }

    APIGatewayV2HTTPResponse refused = presign(handler, user, 1);

    assertThat(refused.getStatusCode()).isEqualTo(429);
    // The soonest a slot frees itself: the first URL's end plus the grace for an upload in transit.
    assertThat(refused.getHeaders()).containsEntry("Retry-After",
        Long.toString((Duration.ofSeconds(900).plus(UploadQuotas.UPLOAD_GRACE)).toSeconds()));
    assertThat(PresignHandlerTest.body(refused)).containsEntry("error", "quota_exceeded")
        .containsEntry("message", "you have 3 uploads in flight, the most allowed; wait until one finishes");
    assertThat(recordsOf(user)).as("the refused request leaves no record").isEqualTo(IN_FLIGHT);
    assertThat(presign(handler(T0), "quota-someone-else-" + UUID.randomUUID(), 1).getStatusCode())
        .as("another user's quota is their own").isEqualTo(201);

    finish(keys.get(0), "DONE");
    assertThat(presign(handler, user, 1).getStatusCode()).isEqualTo(201);
    finish(keys.get(1), "FAILED");
    finish(keys.get(2), "QUEUED");
    assertThat(presign(handler, user, 1).getStatusCode()).isEqualTo(201);
    assertThat(presign(handler, user, 1).getStatusCode()).as("queued work holds its slot").isEqualTo(429);
    assertThat(slots(user)).isEqualTo(IN_FLIGHT);
  }

  /** A URL nobody used frees its slot once it expired and an upload could no longer be arriving. */
  @Test
  void anUnusedUrlFreesItsSlotAfterItsEndAndTheGrace() {
    String user = user();
    for (int i = 0; i < IN_FLIGHT; i++) {
      assertThat(presign(handler(T0), user, 1).getStatusCode()).isEqualTo(201);
    }
    Instant abandoned = T0.plusSeconds(900).plus(UploadQuotas.UPLOAD_GRACE);
    assertThat(presign(handler(abandoned.minusSeconds(1)), user, 1).getStatusCode()).isEqualTo(429);
    assertThat(presign(handler(abandoned), user, 1).getStatusCode()).isEqualTo(201);
    assertThat(slots(user)).isEqualTo(1);
  }

  @Test
  void theDaysLastByteIsAllowedTheNextIsRefusedUntilMidnightUtc() {
    String user = user();
    PresignHandler handler = handler(T0);
    assertThat(presign(handler, user, 600).getStatusCode()).isEqualTo(201);
    assertThat(presign(handler, user, 400).getStatusCode()).isEqualTo(201);

    APIGatewayV2HTTPResponse refused = presign(handler, user, 1);

    assertThat(refused.getStatusCode()).isEqualTo(429);
    assertThat(refused.getHeaders()).containsEntry("Retry-After", "600");
    assertThat(PresignHandlerTest.body(refused)).containsEntry("message", "the upload of 1 bytes would take you over"
        + " your 1000 bytes for today (UTC); the quota renews at 2026-11-30T00:00:00Z");
    assertThat(slots(user)).as("the refused upload gave its slot back").isEqualTo(2);
    assertThat(recordsOf(user)).isEqualTo(2);
    assertThat(presign(handler(Instant.parse("2026-11-30T00:00:00Z")), user, 1).getStatusCode()).isEqualTo(201);
  }

  /** Many requests at once: exactly the quota passes, whichever requests win. */
  @Test
  void concurrentRequestsNeverPassAQuotaTogether() throws Exception {
    String slotsUser = user();
    String bytesUser = user();
    int requests = 12;
    ExecutorService pool = Executors.newFixedThreadPool(requests);
    try {
      List<Integer> slotAnswers = race(pool, requests, () -> presign(handler(T0), slotsUser, 1).getStatusCode());
      // With room for every upload in flight, only the 1000 bytes of the day hold them back (4 × 250).
      Map<String, String> roomy = Map.of(FunctionEnv.QUOTA_UPLOADS_IN_FLIGHT, "100");
      List<Integer> byteAnswers = race(pool, requests, () -> presign(handler(T0, roomy), bytesUser, 250).getStatusCode());

      assertThat(slotAnswers).filteredOn(s -> s == 201).hasSize(IN_FLIGHT);
      assertThat(slotAnswers).filteredOn(s -> s == 429).hasSize(requests - IN_FLIGHT);
      assertThat(slots(slotsUser)).isEqualTo(IN_FLIGHT);
      assertThat(recordsOf(slotsUser)).isEqualTo(IN_FLIGHT);
      assertThat(byteAnswers).filteredOn(s -> s == 201).hasSize(4);
      assertThat(byteAnswers).filteredOn(s -> s == 429).hasSize(requests - 4);
    } finally {
      pool.shutdownNow();
    }
  }

  private static List<Integer> race(ExecutorService pool, int n, java.util.concurrent.Callable<Integer> request)
      throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Integer>> answers = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      answers.add(pool.submit(() -> {
        start.await();
        return request.call();
      }));
    }
    start.countDown();
    List<Integer> statuses = new ArrayList<>();
    for (Future<Integer> answer : answers) {
      statuses.add(answer.get());
    }
    return statuses;
  }
}
