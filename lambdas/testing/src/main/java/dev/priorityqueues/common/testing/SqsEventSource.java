package dev.priorityqueues.common.testing;

import dev.priorityqueues.contract.Json;
import dev.priorityqueues.contract.TierTable.Tier;
import dev.priorityqueues.local.servers.LocalAws;
import dev.priorityqueues.local.servers.SqsLambdaEvent;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * What Lambda's SQS event source mapping does, on ElasticMQ: receive a batch (which counts as a
 * receive, exactly as in AWS), hand it to the function as the event JSON Lambda sends, and
 * delete every message the function did not report in {@code batchItemFailures}.
 */
public final class SqsEventSource {
  private SqsEventSource() {}

  /** One delivered batch: the messages, the event JSON, and the ids the function failed. */
  public record Batch(List<Message> messages, String eventJson, Set<String> failedIds) {
    public boolean isEmpty() {
      return messages.isEmpty();
    }
  }

  /**
   * Receives up to {@code max} messages from the tier's queue, invokes {@code function} with the
   * event JSON (it returns the failed message ids), then deletes the successes.
   */
  public static Batch deliver(Tier tier, int max, Function<String, Set<String>> function) {
    List<Message> messages = TestStack.sqs().receiveMessage(b -> b.queueUrl(tier.queueUrl())
        .maxNumberOfMessages(max)
        .waitTimeSeconds(0)
        .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
        .messageAttributeNames("All")).messages();
    if (messages.isEmpty()) {
      return new Batch(messages, null, Set.of());
    }
    String json = eventJson(tier, messages);
    Set<String> failed = function.apply(json);
    for (Message message : messages) {
      if (!failed.contains(message.messageId())) {
        TestStack.sqs().deleteMessage(b -> b.queueUrl(tier.queueUrl()).receiptHandle(message.receiptHandle()));
      }
    }
    return new Batch(messages, json, failed);
  }

  /** The event Lambda sends for these messages of this tier's queue. */
  public static String eventJson(Tier tier, List<Message> messages) {
    return Json.write(SqsLambdaEvent.of(messages, tier.queueArn(), LocalAws.REGION));
  }
}
