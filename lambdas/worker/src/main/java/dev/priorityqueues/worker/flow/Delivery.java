package dev.priorityqueues.worker.flow;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.priorityqueues.contract.MessageAttributes;
import dev.priorityqueues.contract.TierTable.Tier;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * One message in the worker's hands, wherever it came from: the invocation's own batch (Lambda
 * deletes it unless the handler reports it failed) or a receive of the worker's own (the worker
 * deletes it itself).
 */
public record Delivery(
    Tier tier,
    Origin origin,
    String messageId,
    String receiptHandle,
    String body,
    int receiveCount,
    String groupId,
    Map<String, MessageAttributeValue> attributes) {

  /** Where a delivery came from; only {@link #BATCH} is settled by Lambda. */
  public enum Origin {
    /** The invocation's own batch, from the event source mapping. */
    BATCH,
    /** highest-first: taken from a higher tier before a message of the own batch. */
    STOLEN,
    /** highest-first: taken after the own batch, while time allowed. */
    DRAINED;

    public boolean settledByLambda() {
      return this == BATCH;
    }
  }

  public Delivery {
    attributes = Map.copyOf(attributes);
  }

  /** A record of the invocation's event. */
  public static Delivery fromEvent(SQSEvent.SQSMessage message, Tier tier) {
    Map<String, String> system = message.getAttributes() == null ? Map.of() : message.getAttributes();
    Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
    if (message.getMessageAttributes() != null) {
      message.getMessageAttributes().forEach((name, value) -> {
        MessageAttributeValue.Builder copy = MessageAttributeValue.builder().dataType(value.getDataType());
        if (value.getStringValue() != null) {
          copy.stringValue(value.getStringValue());
        }
        if (value.getBinaryValue() != null) {
          copy.binaryValue(SdkBytes.fromByteBuffer(value.getBinaryValue()));
        }
        attributes.put(name, copy.build());
      });
    }
    return new Delivery(tier, Origin.BATCH, message.getMessageId(), message.getReceiptHandle(), message.getBody(),
        receiveCount(system.get("ApproximateReceiveCount")), system.get("MessageGroupId"), attributes);
  }

  /** A message the worker received itself. */
  public static Delivery received(Message message, Tier tier, Origin origin) {
    Map<String, String> system = message.attributesAsStrings();
    return new Delivery(tier, origin, message.messageId(), message.receiptHandle(), message.body(),
        receiveCount(system.get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT.toString())),
        system.get(MessageSystemAttributeName.MESSAGE_GROUP_ID.toString()), message.messageAttributes());
  }

  /** A capacity token (highest-first's lending), not a job. */
  public boolean capacityToken() {
    return attributes.containsKey(MessageAttributes.CAPACITY_TOKEN);
  }

  /** How often consumer-level deferred this job so far (a fresh job: 0). */
  public int deferrals() {
    MessageAttributeValue value = attributes.get(MessageAttributes.DEFERRALS);
    if (value == null || value.stringValue() == null) {
      return 0;
    }
    try {
      return Math.max(0, Integer.parseInt(value.stringValue().trim()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** SQS always sends the count; a missing or garbled one counts as a first receive. */
  private static int receiveCount(String value) {
    try {
      return value == null ? 1 : Math.max(1, Integer.parseInt(value.trim()));
    } catch (NumberFormatException e) {
      return 1;
    }
  }
}
