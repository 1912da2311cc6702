package dev.priorityqueues.local.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.priorityqueues.local.sdk.CallScope;
import dev.priorityqueues.local.sdk.Caller;
import dev.priorityqueues.local.servers.LocalAws;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

class FairQueuesTest {

  private final SqsClient sqs = LocalAws.shared().sqs();
  private FairQueues fair;
  private CallScope calls;
  private String queue;
  private String dlq;

  @BeforeEach
  void fairQueue() {
    String name = "fair-" + UUID.randomUUID().toString().substring(0, 8);
    dlq = sqs.createQueue(b -> b.queueName(name + "-dlq")).queueUrl();
    String dlqArn = sqs.getQueueAttributes(b -> b.queueUrl(dlq).attributeNames(QueueAttributeName.QUEUE_ARN))
        .attributes().get(QueueAttributeName.QUEUE_ARN);
    queue = sqs.createQueue(b -> b.queueName(name).attributes(Map.of(
        QueueAttributeName.VISIBILITY_TIMEOUT, "30",
        QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"1\"}"))).queueUrl();
    fair = new FairQueues(sqs);
    fair.enable(queue);
    calls = CallScope.bind(LocalAws.shared());
    calls.addHook(fair);
  }

  @AfterEach
  void release() {
    calls.close();
    sqs.close();
  }

  private void send(String group, String body) {
    sqs.sendMessage(b -> b.queueUrl(queue).messageBody(body).messageGroupId(group));
  }

  /** One message, or null after a few empty answers (SQS may answer a receive with nothing). */
  private Message receiveOne() {
    for (int attempt = 0; attempt < 3; attempt++) {
      List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(1)
          .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
      if (!messages.isEmpty()) {
        return messages.get(0);
      }
    }
    return null;
  }

  @Test
  void servesQuietTenantsBeforeANoisyTenantsBacklog() {
    for (int i = 0; i < 30; i++) {
      send("heavy", "heavy-" + i);
    }
    for (int i = 0; i < 3; i++) {
      send("light-" + i, "light-" + i);
    }
    List<String> order = new ArrayList<>();
    Message message;
    while ((message = receiveOne()) != null) {
      order.add(message.body());
      String handle = message.receiptHandle();
      sqs.deleteMessage(b -> b.queueUrl(queue).receiptHandle(handle));
    }
    assertThat(order).hasSize(33);
    // On a plain queue the light messages would come after all 30 heavy ones.
    assertThat(order.subList(0, 6)).contains("light-0", "light-1", "light-2");
    assertThat(fair.tenants(queue)).isEqualTo(4);
  }

  @Test
  void groupsWhoseNamesHashAlikeAreStillTwoTenants() {
    assertThat("Aa".hashCode()).isEqualTo("BB".hashCode());
    for (int i = 0; i < 5; i++) {
      send("Aa", "Aa-" + i);
    }
    send("BB", "BB-0");

    List<String> firstTwo = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Message message = receiveOne();
      firstTwo.add(message.body());
      sqs.deleteMessage(b -> b.queueUrl(queue).receiptHandle(message.receiptHandle()));
    }

    assertThat(firstTwo).as("BB is served beside Aa, not behind it").contains("BB-0");
  }

  @Test
  void countsEveryTenantsMessagesAsTheQueues() {
    send("a", "1");
    send("b", "2");
    sqs.sendMessage(b -> b.queueUrl(queue).messageBody("no group"));
    Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(b -> b.queueUrl(queue)
        .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes();
    assertThat(attributes).containsEntry(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "3");
  }

  @Test
  void aLaggedCountOfAFairQueueCountsEachTenantOnce() throws Exception {
    send("a", "1");
    send("b", "2");
    sqs.sendMessage(b -> b.queueUrl(queue).messageBody("no group"));
    calls.attributeLag().set(50);
    // What the local cloud's sampler does: read the true (tenant-summed) count and record it.
    Map<String, String> sampled = sqs.getQueueAttributes(b -> b.queueUrl(queue)
        .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributesAsStrings();
    calls.attributeLag().record(queue, sampled, System.currentTimeMillis());
    Thread.sleep(100);

    Map<QueueAttributeName, String> seenByAFunction = Caller.function("worker").call(() -> sqs.getQueueAttributes(
        b -> b.queueUrl(queue).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes());

    assertThat(seenByAFunction).containsEntry(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "3");
  }

  @Test
  void prefersTheTenantWithFewerMessagesInFlight() {
    for (int i = 0; i < 5; i++) {
      send("busy", "busy-" + i);
    }
    // Two of busy's messages are taken and kept in flight.
    assertThat(receiveOne().body()).startsWith("busy");
    assertThat(receiveOne().body()).startsWith("busy");
    send("quiet", "quiet-0");
    assertThat(receiveOne().body()).isEqualTo("quiet-0");
  }

  @Test
  void redrivesATenantsMessageToTheQueuesDeadLetterQueue() {
    send("a", "poison");
    Message first = receiveOne();
    String handle = first.receiptHandle();
    sqs.changeMessageVisibility(b -> b.queueUrl(queue).receiptHandle(handle).visibilityTimeout(0));
    assertThat(receiveOne()).isNull();
    assertThat(sqs.receiveMessage(b -> b.queueUrl(dlq)).messages()).singleElement()
        .satisfies(m -> assertThat(m.body()).isEqualTo("poison"));
  }
}
