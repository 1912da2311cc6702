package dev.priorityqueues.presign;

import static org.assertj.core.api.Assertions.assertThat;

import dev.priorityqueues.common.testing.HttpApiArchiveTest;
import dev.priorityqueues.contract.Functions;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shrunk archive the program deploys, run the way the Lambda Java runtime runs it. */
class PresignIT extends HttpApiArchiveTest {

  PresignIT() {
    super(Functions.PRESIGN, "http-api-post-uploads.json");
  }

  @Test
  void issuesAnUploadUrl() throws Exception {
    Map<String, Object> response = invoke(fixture());
    assertThat(response).containsEntry("statusCode", 201);
    Map<String, Object> body = body(response);
    assertThat((String) body.get("url")).contains("X-Amz-Signature=");
    assertThat(stack.video((String) body.get("key")).get("status").s()).isEqualTo("PENDING_UPLOAD");
  }
}
