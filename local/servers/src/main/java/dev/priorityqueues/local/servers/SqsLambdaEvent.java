package dev.priorityqueues.local.servers;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * The event Lambda's SQS event source mapping passes to a function for a batch of received
 * messages, field for field: one builder for the local cloud's mappings and the handler tests'
 * event source, so both hand a function the same event. A map of plain values (strings, lists,
 * maps), for whichever JSON writer the caller has; a binary attribute is Base64, as Lambda sends it.
 */
public final class SqsLambdaEvent {
  private SqsLambdaEvent() {}

  /** {@code {"Records": [...]}} for these messages, received from the queue {@code queueArn}. */
  public static Map<String, Object> of(List<Message> messages, String queueArn, String region) {
    List<Map<String, Object>> records = new ArrayList<>();
    for (Message message : messages) {
      Map<String, Object> messageAttributes = new LinkedHashMap<>();
      message.messageAttributes().forEach((name, value) -> messageAttributes.put(name, attribute(value)));
      Map<String, Object> record = new LinkedHashMap<>();
      record.put("messageId", message.messageId());
      record.put("receiptHandle", message.receiptHandle());
      record.put("body", message.body());
      record.put("attributes", new LinkedHashMap<String, Object>(message.attributesAsStrings()));
      record.put("messageAttributes", messageAttributes);
      record.put("md5OfBody", message.md5OfBody());
      if (message.md5OfMessageAttributes() != null) {
        record.put("md5OfMessageAttributes", message.md5OfMessageAttributes());
      }
      record.put("eventSource", "aws:sqs");
      record.put("eventSourceARN", queueArn);
      record.put("awsRegion", region);
      records.add(record);
    }
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("Records", records);
    return event;
  }

  private static Map<String, Object> attribute(MessageAttributeValue value) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (value.stringValue() != null) {
      out.put("stringValue", value.stringValue());
    }
    if (value.binaryValue() != null) {
      out.put("binaryValue", Base64.getEncoder().encodeToString(value.binaryValue().asByteArray()));
    }
    out.put("stringListValues", List.of());
    out.put("binaryListValues", List.of());
    out.put("dataType", value.dataType());
    return out;
  }
}
