package dev.priorityqueues.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.priorityqueues.common.testing.HttpApiArchiveTest;
import dev.priorityqueues.common.testing.TestStack;
import dev.priorityqueues.contract.FunctionEnv;
import dev.priorityqueues.contract.Functions;
import dev.priorityqueues.contract.Scopes;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The shrunk archive the program deploys, run the way the Lambda Java runtime runs it. */
class StatusIT extends HttpApiArchiveTest {

  StatusIT() {
    super(Functions.STATUS, "http-api-list-uploads.json");
  }

  @Override
  protected TestStack.Builder stack(TestStack.Builder builder) {
    return builder.env(FunctionEnv.JWT_SCOPES, Scopes.READ_DEFAULT);
  }

  @Test
  void listsTheCallersVideos() throws Exception {
    String key = "uploads/0f8fad5b-d9cb-469f-a165-70867728950e/" + UUID.randomUUID() + ".mp4";
    TestStack.dynamoDb().putItem(b -> b.tableName(stack.videosTable()).item(Map.of(
        "videoKey", AttributeValue.fromS(key),
        "userId", AttributeValue.fromS("0f8fad5b-d9cb-469f-a165-70867728950e"),
        "status", AttributeValue.fromS("QUEUED"),
        "createdAt", AttributeValue.fromN("5"))));
    Map<String, Object> response = invoke(fixture());
    assertThat(response).containsEntry("statusCode", 200);
    assertThat(body(response).get("videos").toString()).contains(key);
  }

  @Test
  void refusesAnUploadTokenWithoutTheReadScope() throws Exception {
    Map<String, Object> response = invoke(fixture().replace("\"scope\": \"openid uploads:read\"", "\"scope\": \"openid uploads:write\""));
    assertThat(response).containsEntry("statusCode", 403);
    assertThat(body(response)).containsEntry("error", "insufficient_scope");
  }
}
