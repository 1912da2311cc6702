package dev.priorityqueues.router;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.priorityqueues.contract.ContractException;
import dev.priorityqueues.contract.Json;
import java.util.Map;

/**
 * Fuzz target for the router's event parsing (S3's Object Created; CloudTrail's API-call shape
 * is among the detail-types it must refuse): whatever EventBridge hands over, the answer is a
 * parsed upload or a {@link ContractException} that says what is wrong.
 */
class RouterFuzzTest {

  @FuzzTest(maxDuration = "60s")
  void events(FuzzedDataProvider data) {
    ScheduledEvent event = new ScheduledEvent();
    event.setSource(data.pickValue(new String[] {"aws.s3", "aws.s3", "aws.events", ""}));
    event.setDetailType(data.pickValue(new String[] {
        ObjectCreated.OBJECT_CREATED, ObjectCreated.CLOUDTRAIL_CALL, "Object Deleted", data.consumeString(20)}));
    event.setId(data.consumeBoolean() ? null : data.consumeString(40));
    String detail = data.consumeRemainingAsString();
    try {
      event.setDetail(Json.parseObject("detail", detail));
    } catch (ContractException notJson) {
      event.setDetail(data.consumeBoolean() ? null : Map.of());
    }
    try {
      ObjectCreated upload = ObjectCreated.from(event);
      assertThat(upload.bucket()).isNotBlank();
      assertThat(upload.key()).isNotBlank();
      assertThat(upload.size() == null || upload.size() >= 0).isTrue();
    } catch (ContractException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
  }
}
