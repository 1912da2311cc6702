package dev.priorityqueues.worker.flow;

import dev.priorityqueues.contract.MessageAttributes;
import dev.priorityqueues.contract.TierTable.Tier;
import dev.priorityqueues.worker.flow.Delivery.Origin;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * Every SQS call the worker makes itself (Lambda's own receives and deletes of the batch are not
 * here), counted per operation so each invocation can log what its flow cost.
 */
public final class Queues {

  /** The SQS calls the worker makes. */
  public enum Call {
    RECEIVE,
    DELETE,
    CHANGE_VISIBILITY,
    SEND,
    GET_ATTRIBUTES
  }

  /** SQS allows at most ten message attributes. */
  static final int MAX_ATTRIBUTES = 10;

  private final SqsClient sqs;
  private final Map<Call, AtomicLong> calls = new EnumMap<>(Call.class);

  public Queues(SqsClient sqs) {
    this.sqs = sqs;
    for (Call call : Call.values()) {
      calls.put(call, new AtomicLong());
    }
  }

  /** One message from the tier's queue if one is visible now: a short poll, no waiting. */
  public Optional<Delivery> receiveOne(Tier tier, Origin origin) {
    count(Call.RECEIVE);
    List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(tier.queueUrl())
        .maxNumberOfMessages(1)
        .waitTimeSeconds(0)
        .messageSystemAttributeNames(
            MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, MessageSystemAttributeName.MESSAGE_GROUP_ID)
        .messageAttributeNames("All")).messages();
    return messages.isEmpty() ? Optional.empty() : Optional.of(Delivery.received(messages.getFirst(), tier, origin));
  }

  /**
   * Deletes up to ten deliveries of one tier in one call; returns those SQS did not delete (for
   * example because their receipt handle expired).
   */
  public List<Delivery> deleteBatch(Tier tier, List<Delivery> deliveries) {
    if (deliveries.isEmpty()) {
      return List.of();
    }
    count(Call.DELETE);
    List<DeleteMessageBatchRequestEntry> entries = new java.util.ArrayList<>();
    for (int i = 0; i < deliveries.size(); i++) {
      entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i))
          .receiptHandle(deliveries.get(i).receiptHandle()).build());
    }
    DeleteMessageBatchResponse response = sqs.deleteMessageBatch(b -> b.queueUrl(tier.queueUrl()).entries(entries));
    return response.failed().stream().map(f -> deliveries.get(Integer.parseInt(f.id()))).toList();
  }

  /**
   * Sends {@code count} (at most 10) capacity tokens to the tier's queue in one call. A token
   * carries no job: it only makes the tier's mapping start an invocation.
   */
  public void sendCapacityTokens(Tier tier, int count) {
    count(Call.SEND);
    List<SendMessageBatchRequestEntry> entries = new java.util.ArrayList<>();
    for (int i = 0; i < count; i++) {
      entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i)).messageBody("capacity token")
          .messageAttributes(Map.of(MessageAttributes.CAPACITY_TOKEN, number(1))).build());
    }
    sqs.sendMessageBatch(b -> b.queueUrl(tier.queueUrl()).entries(entries));
  }

  public void changeVisibility(Delivery delivery, int seconds) {
    count(Call.CHANGE_VISIBILITY);
    sqs.changeMessageVisibility(b -> b.queueUrl(delivery.tier().queueUrl())
        .receiptHandle(delivery.receiptHandle())
        .visibilityTimeout(seconds));
  }

  /**
   * Sends the delivery's body again to its own queue, after {@code delaySeconds}, with
   * {@code attributes} and as many of the delivery's own as SQS's limit leaves room for.
   */
  public void resend(Delivery delivery, int delaySeconds, Map<String, MessageAttributeValue> attributes) {
    send(delivery, delivery.tier().queueUrl(), delaySeconds, attributes);
  }

  /** Sends the delivery's body to its tier's DLQ, with attributes as {@link #resend} does. */
  public void sendToDeadLetterQueue(Delivery delivery, Map<String, MessageAttributeValue> attributes) {
    send(delivery, delivery.tier().dlqUrl(), 0, attributes);
  }

  private void send(Delivery delivery, String queueUrl, int delaySeconds, Map<String, MessageAttributeValue> attributes) {
    count(Call.SEND);
    SendMessageRequest.Builder request = SendMessageRequest.builder()
        .queueUrl(queueUrl)
        .messageBody(delivery.body())
        .delaySeconds(delaySeconds)
        .messageAttributes(withCarried(attributes, delivery.attributes()));
    if (delivery.groupId() != null) {
      request.messageGroupId(delivery.groupId());
    }
    sqs.sendMessage(request.build());
  }

  /**
   * The worker's own attributes, then the message's earlier ones up to SQS's limit of ten: a
   * message that arrived with ten must still be deferrable and dead-letterable, reason first.
   */
  static Map<String, MessageAttributeValue> withCarried(Map<String, MessageAttributeValue> own,
      Map<String, MessageAttributeValue> carried) {
    Map<String, MessageAttributeValue> all = new LinkedHashMap<>(own);
    carried.forEach((name, value) -> {
      if (all.size() < MAX_ATTRIBUTES) {
        all.putIfAbsent(name, value);
      }
    });
    return all;
  }

  static MessageAttributeValue text(String value) {
    return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
  }

  static MessageAttributeValue number(long value) {
    return MessageAttributeValue.builder().dataType("Number").stringValue(Long.toString(value)).build();
  }

  /** ApproximateNumberOfMessages: visible messages, eventually consistent in AWS. */
  public long visibleMessages(Tier tier) {
    count(Call.GET_ATTRIBUTES);
    String value = sqs.getQueueAttributes(b -> b.queueUrl(tier.queueUrl())
            .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
        .attributes().get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES);
    return value == null ? 0 : Long.parseLong(value);
  }

  /** Calls made so far by this execution environment, per operation. */
  public Map<Call, Long> calls() {
    Map<Call, Long> snapshot = new EnumMap<>(Call.class);
    calls.forEach((call, count) -> snapshot.put(call, count.get()));
    return snapshot;
  }

  private void count(Call call) {
    calls.get(call).incrementAndGet();
  }
}
