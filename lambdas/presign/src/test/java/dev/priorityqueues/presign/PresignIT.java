package dev.priorityqueues.presign;

import static org.assertj.core.api.Assertions.assertThat;

import dev.priorityqueues.common.testing.IsolatedFunction;
import dev.priorityqueues.common.testing.TestStack;
import dev.priorityqueues.contract.Functions;
import dev.priorityqueues.contract.Json;
import dev.priorityqueues.local.servers.LambdaContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shrunk archive the program deploys, run the way the Lambda Java runtime runs it. */
class PresignIT {

  private static final Path JAR = Path.of("target", Functions.PRESIGN.id() + ".jar");
  private static TestStack stack;
  private static IsolatedFunction function;

  @BeforeAll
  static void load() {
    stack = TestStack.create("presign-it");
    function = IsolatedFunction.load(JAR, Functions.PRESIGN.handlerClass(), stack.env());
  }

  @AfterAll
  static void close() throws Exception {
    function.close();
  }

  private static String fixture() throws Exception {
    return Files.readString(Path.of("src/test/resources/events/http-api-post-uploads.json"));
  }

  @Test
  void theArchiveIsWithinTheSizeBudget() throws Exception {
    assertThat(Files.size(JAR)).isLessThanOrEqualTo(8L * 1024 * 1024);
    assertThat(function.eventType().getName()).isEqualTo("com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent");
    assertThat(function.eventType().getClassLoader()).isSameAs(function.loader());
  }

  @Test
  void issuesAnUploadUrl() throws Exception {
    Map<String, Object> response = Json.parseObject("response", function.invoke(fixture(), LambdaContext.of("presign")));
    assertThat(response).containsEntry("statusCode", 201);
    Map<String, Object> body = Json.parseObject("body", (String) response.get("body"));
    assertThat((String) body.get("url")).contains("X-Amz-Signature=");
    assertThat(stack.video((String) body.get("key")).get("status").s()).isEqualTo("PENDING_UPLOAD");
  }

  @Test
  void refusesARequestWithoutIdentity() throws Exception {
    String event = fixture().replace("\"sub\": \"0f8fad5b-d9cb-469f-a165-70867728950e\",", "");
    Map<String, Object> response = Json.parseObject("response", function.invoke(event, LambdaContext.of("presign")));
    assertThat(response).containsEntry("statusCode", 401);
    assertThat(Json.parseObject("body", (String) response.get("body")))
        .containsEntry("error", "unauthorized")
        .containsEntry("message", "the request carries no verified identity (JWT claim 'sub')");
  }
}
