package dev.priorityqueues.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.priorityqueues.contract.MessageAttributes;
import dev.priorityqueues.infra.config.InvalidConfigException;
import dev.priorityqueues.infra.config.Settings;
import dev.priorityqueues.infra.config.StackFiles;
import dev.priorityqueues.local.cloud.LocalCloud;
import dev.priorityqueues.local.cloud.LocalStacks;
import dev.priorityqueues.local.lambda.InvocationOutcome;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The corpus of malformed inputs ({@code src/test/resources/corpus/malformed-inputs.json}): each
 * entry goes through the deployed system's real entry point — the HTTP API, the router and worker
 * functions as Lambda invokes them, the settings parser — and must produce exactly the error the
 * corpus names. Nothing here is a mock.
 */
class MalformedInputCorpusTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static LocalCloud cloud;

  @BeforeAll
  static void start() {
    cloud = E2e.start(Map.of(), UnaryOperator.identity());
  }

  @AfterAll
  static void stop() {
    cloud.close();
  }

  static Stream<Arguments> corpus() throws Exception {
    try (InputStream in = MalformedInputCorpusTest.class.getResourceAsStream("/corpus/malformed-inputs.json")) {
      ArrayNode entries = (ArrayNode) JSON.readTree(in);
      assertThat(entries).hasSizeGreaterThanOrEqualTo(50);
      return java.util.stream.StreamSupport.stream(entries.spliterator(), false)
          .map(e -> Arguments.of(e.get("target").asText() + ": " + e.get("name").asText(), e));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void producesExactlyItsError(String name, JsonNode entry) throws Exception {
    switch (entry.get("target").asText()) {
      case "presign" -> presign(entry);
      case "router" -> router(entry);
      case "worker" -> worker(entry);
      case "config" -> config(entry);
      default -> throw new IllegalArgumentException("unknown target in the corpus: " + entry.get("target"));
    }
  }

  private static void presign(JsonNode entry) throws Exception {
    String tokenKind = entry.path("token").asText("valid");
    String subject = entry.path("subject").asText("corpus-user");
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(cloud.output("uploadEndpoint")))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(entry.get("body").asText()));
    switch (tokenKind) {
      case "valid" -> request.header("Authorization", "Bearer " + cloud.identity().issue(subject, Duration.ofMinutes(5)));
      case "expired" -> request.header("Authorization", "Bearer " + cloud.identity().sign(new JWTClaimsSet.Builder()
          .issuer(cloud.identity().issuer()).audience("priority-queues-dev").subject(subject)
          .expirationTime(Date.from(Instant.now().minusSeconds(60))).build()));
      case "none" -> { }
      default -> throw new IllegalArgumentException("unknown token kind " + tokenKind);
    }
    HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    JsonNode body = JSON.readTree(response.body());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(entry.get("status").asInt());
    assertThat(body.get("message").asText()).isEqualTo(entry.get("message").asText());
  }

  private static void router(JsonNode entry) {
    InvocationOutcome result = cloud.functionNamed("router").invoke(entry.get("event").toString());
    assertThat(result.ok()).as("the router must refuse it").isFalse();
    assertThat(result.errorMessage()).isEqualTo(entry.get("error").asText());
  }

  /** Delivered as its last allowed receive, so the worker dead-letters it at once with its reason. */
  private static void worker(JsonNode entry) throws Exception {
    Map<String, String> queues = cloud.output("queueArns");
    Map<String, String> dlqs = cloud.output("dlqUrls");
    String marker = UUID.randomUUID().toString();
    ObjectNode event = JSON.createObjectNode();
    ObjectNode record = event.putArray("Records").addObject();
    record.put("messageId", marker);
    record.put("receiptHandle", "corpus-" + marker);
    record.put("body", entry.get("body").asText());
    record.putObject("attributes").put("ApproximateReceiveCount", "5").put("SentTimestamp", "1");
    record.putObject("messageAttributes");
    record.put("md5OfBody", "0");
    record.put("eventSource", "aws:sqs");
    record.put("eventSourceARN", queues.get("regular"));
    record.put("awsRegion", "us-east-1");
    InvocationOutcome result = cloud.functionNamed("worker").invoke(event.toString());
    assertThat(result.ok()).as(result.errorMessage()).isTrue();
    assertThat(JSON.readTree(result.response()).path("batchItemFailures")).as("dead-lettered, then acknowledged").isEmpty();
    Message dead = null;
    for (int attempt = 0; attempt < 20 && dead == null; attempt++) {
      for (Message m : cloud.sqs().receiveMessage(b -> b.queueUrl(dlqs.get("regular")).maxNumberOfMessages(10)
          .messageAttributeNames("All")).messages()) {
        if (m.body().equals(entry.get("body").asText())) {
          dead = m;
          cloud.sqs().deleteMessage(b -> b.queueUrl(dlqs.get("regular")).receiptHandle(m.receiptHandle()));
        }
      }
    }
    assertThat(dead).as("the message in the regular DLQ").isNotNull();
    assertThat(dead.messageAttributes().get(MessageAttributes.FAILURE_REASON).stringValue())
        .isEqualTo(entry.get("reason").asText());
  }

  private static void config(JsonNode entry) {
    Map<String, String> raw = new LinkedHashMap<>(StackFiles.readConfig(LocalStacks.projectDir(), "dev"));
    entry.get("config").fields().forEachRemaining(f -> {
      if (f.getValue().isNull()) {
        raw.remove(f.getKey());
      } else {
        raw.put(f.getKey(), f.getValue().asText());
      }
    });
    try {
      Settings.parse(raw, LocalStacks.projectDir());
      throw new AssertionError("the settings were accepted");
    } catch (InvalidConfigException e) {
      List<String> problems = e.problems();
      assertThat(problems).contains(entry.get("problem").asText());
    }
  }
}
