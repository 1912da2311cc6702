package dev.priorityqueues.local.cloud;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/** Reading a dead-letter queue without consuming it: the DLQ tool and the fault accounting share it. */
public final class DeadLetters {
  private DeadLetters() {}

  /**
   * Receives up to {@code max} distinct messages with their attributes, then makes them all
   * visible again at once. A DLQ has no redrive policy, so the extra receives harm nothing.
   */
  public static List<Message> peek(SqsClient sqs, String url, int max) {
    Map<String, Message> seen = new LinkedHashMap<>();
    while (seen.size() < max) {
      List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(Math.min(10, max - seen.size()))
          .visibilityTimeout(30).messageAttributeNames("All").messageSystemAttributeNames(MessageSystemAttributeName.ALL))
          .messages();
      if (batch.isEmpty()) {
        break;
      }
      batch.forEach(m -> seen.putIfAbsent(m.messageId(), m));
    }
    List<Message> all = new ArrayList<>(seen.values());
    for (int i = 0; i < all.size(); i += 10) {
      List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>();
      for (Message m : all.subList(i, Math.min(all.size(), i + 10))) {
        entries.add(ChangeMessageVisibilityBatchRequestEntry.builder().id(Integer.toString(entries.size()))
            .receiptHandle(m.receiptHandle()).visibilityTimeout(0).build());
      }
      sqs.changeMessageVisibilityBatch(b -> b.queueUrl(url).entries(entries));
    }
    return all;
  }
}
