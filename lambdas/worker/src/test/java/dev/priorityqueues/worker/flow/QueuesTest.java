package dev.priorityqueues.worker.flow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.priorityqueues.contract.MessageAttributes;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/** What a re-sent or dead-lettered message carries: the worker's attributes first, within SQS's ten. */
class QueuesTest {

  private static Map<String, MessageAttributeValue> carried(int count) {
    Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      attributes.put("producer-" + i, Queues.text("v" + i));
    }
    return attributes;
  }

  @Test
  void aMessageThatArrivedWithTenAttributesStillTakesTheWorkersOwn() {
    Map<String, MessageAttributeValue> sent = Queues.withCarried(
        Map.of(MessageAttributes.FAILURE_REASON, Queues.text("poison"), MessageAttributes.RECEIVE_COUNT, Queues.number(5)),
        carried(10));

    assertThat(sent).hasSize(Queues.MAX_ATTRIBUTES)
        .containsEntry(MessageAttributes.FAILURE_REASON, Queues.text("poison"))
        .containsEntry(MessageAttributes.RECEIVE_COUNT, Queues.number(5))
        .containsKeys("producer-0", "producer-7")
        .doesNotContainKeys("producer-8", "producer-9");
  }

  @Test
  void theWorkersValueReplacesAnEarlierOneOfTheSameName() {
    Map<String, MessageAttributeValue> earlier = carried(2);
    earlier.put(MessageAttributes.DEFERRALS, Queues.number(1));

    Map<String, MessageAttributeValue> sent =
        Queues.withCarried(Map.of(MessageAttributes.DEFERRALS, Queues.number(2)), earlier);

    assertThat(sent).hasSize(3).containsEntry(MessageAttributes.DEFERRALS, Queues.number(2));
  }
}
