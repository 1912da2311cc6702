package dev.priorityqueues.worker.flow;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.priorityqueues.contract.ContractException;
import dev.priorityqueues.contract.Job;
import dev.priorityqueues.contract.MessageAttributes;
import dev.priorityqueues.contract.TierTable;
import java.util.List;
import java.util.Map;

/**
 * Fuzz target for what the worker reads from an SQS record before any AWS call: the receive
 * count and the deferral count (which decide retries and DLQ moves) and the job body. Garbled
 * counts must never crash or go negative; a bad body must be a {@link ContractException}.
 */
class WorkerFuzzTest {

  private static final TierTable.Tier TIER = new TierTable.Tier("regular", 0, "http://q/regular",
      "arn:aws:sqs:us-east-1:123456789012:regular", "http://q/regular-dlq", "arn:aws:sqs:us-east-1:123456789012:regular-dlq",
      List.of("free"), 5);

  @FuzzTest(maxDuration = "60s")
  void jobMessages(FuzzedDataProvider data) {
    SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
    message.setMessageId(data.consumeString(36));
    message.setReceiptHandle(data.consumeString(20));
    message.setAttributes(data.consumeBoolean() ? null : Map.of("ApproximateReceiveCount", data.consumeString(12)));
    if (data.consumeBoolean()) {
      SQSEvent.MessageAttribute deferrals = new SQSEvent.MessageAttribute();
      deferrals.setDataType("Number");
      deferrals.setStringValue(data.consumeString(12));
      message.setMessageAttributes(Map.of(MessageAttributes.DEFERRALS, deferrals));
    }
    message.setBody(data.consumeRemainingAsString());

    Delivery delivery = Delivery.fromEvent(message, TIER);
    assertThat(delivery.receiveCount()).isPositive();
    assertThat(delivery.deferrals()).isNotNegative();
    try {
      Job job = Job.fromJson(delivery.body());
      assertThat(job.videoKey()).startsWith("uploads/");
    } catch (ContractException e) {
      assertThat(e.getMessage()).startsWith("job message");
    }
  }
}
