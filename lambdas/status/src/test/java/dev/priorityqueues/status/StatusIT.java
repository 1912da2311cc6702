package dev.priorityqueues.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.priorityqueues.common.testing.IsolatedFunction;
import dev.priorityqueues.common.testing.TestStack;
import dev.priorityqueues.contract.Functions;
import dev.priorityqueues.contract.Json;
import dev.priorityqueues.local.servers.LambdaContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shrunk archive the program deploys, run the way the Lambda Java runtime runs it. */
class StatusIT {

  private static final Path JAR = Path.of("target", Functions.STATUS.id() + ".jar");
  private static TestStack stack;
  private static IsolatedFunction function;

  @BeforeAll
  static void load() {
    stack = TestStack.create("status-it");
    function = IsolatedFunction.load(JAR, Functions.STATUS.handlerClass(), stack.env());
  }

  @AfterAll
  static void close() throws Exception {
    function.close();
  }

  private static String fixture() throws Exception {
    return Files.readString(Path.of("src/test/resources/events/http-api-list-uploads.json"));
  }

  @Test
  void theArchiveIsWithinTheSizeBudget() throws Exception {
    assertThat(Files.size(JAR)).isLessThanOrEqualTo(8L * 1024 * 1024);
    assertThat(function.eventType().getName()).isEqualTo("com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent");
    assertThat(function.eventType().getClassLoader()).isSameAs(function.loader());
  }

  @Test
  void listsTheCallersVideos() throws Exception {
    String key = "uploads/0f8fad5b-d9cb-469f-a165-70867728950e/" + UUID.randomUUID() + ".mp4";
    TestStack.dynamoDb().putItem(b -> b.tableName(stack.videosTable()).item(Map.of(
        "videoKey", AttributeValue.fromS(key),
        "userId", AttributeValue.fromS("0f8fad5b-d9cb-469f-a165-70867728950e"),
        "status", AttributeValue.fromS("QUEUED"),
        "createdAt", AttributeValue.fromN("5"))));
    Map<String, Object> response = Json.parseObject("response", function.invoke(fixture(), LambdaContext.of("status")));
    assertThat(response).containsEntry("statusCode", 200);
    Map<String, Object> body = Json.parseObject("body", (String) response.get("body"));
    assertThat(body.get("videos").toString()).contains(key);
  }

  @Test
  void refusesARequestWithoutIdentity() throws Exception {
    String event = fixture().replace("\"sub\": \"0f8fad5b-d9cb-469f-a165-70867728950e\",", "");
    Map<String, Object> response = Json.parseObject("response", function.invoke(event, LambdaContext.of("status")));
    assertThat(response).containsEntry("statusCode", 401);
  }
}
