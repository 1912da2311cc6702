package dev.priorityqueues.local.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.priorityqueues.local.lambda.InvocationFaults;
import dev.priorityqueues.local.lambda.LocalFunction;
import dev.priorityqueues.local.lambda.TestHandlers;
import dev.priorityqueues.local.servers.LocalAws;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

class LocalEventSourceMappingTest {

  private static final LocalAws AWS = LocalAws.shared();
  private static final SqsClient SQS = AWS.sqs();

  @AfterAll
  static void closeClient() {
    SQS.close();
  }

  private record Queue(String url, String arn, String dlqUrl) {}

  private static Queue queue(int maxReceiveCount, int visibilitySeconds) {
    String name = "esm-" + UUID.randomUUID().toString().substring(0, 8);
    String dlq = SQS.createQueue(b -> b.queueName(name + "-dlq")).queueUrl();
    String dlqArn = arn(dlq);
    String url =
        SQS.createQueue(
                b ->
                    b.queueName(name)
                        .attributes(
                            Map.of(
                                QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(visibilitySeconds),
                                QueueAttributeName.REDRIVE_POLICY,
                                "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":" + maxReceiveCount + "}")))
            .queueUrl();
    return new Queue(url, arn(url), dlq);
  }

  private static String arn(String url) {
    return SQS.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
        .attributes()
        .get(QueueAttributeName.QUEUE_ARN);
  }

  private static LocalFunction batchFunction(String name, Map<String, String> env) {
    TestHandlers.reset(name);
    return new LocalFunction(
        new LocalFunction.Spec(name, "arn:aws:lambda:us-east-1:123456789012:function:" + name,
            TestHandlers.Batch.class.getName(), env, 10, 512, null, false),
        Map.of(), new Semaphore(100), InvocationFaults.NONE);
  }

  private static LocalEventSourceMapping mapping(Queue queue, LocalFunction fn, int batchSize, Integer maxConcurrency) {
    return new LocalEventSourceMapping(
        new LocalEventSourceMapping.Spec(UUID.randomUUID().toString(), queue.url(), queue.arn(), fn.name(),
            batchSize, 0, maxConcurrency, true, true),
        fn, SQS, LocalAws.REGION, 100);
  }

  /** A mapping whose scaling ramp runs on {@code clock} (nanoseconds of AWS time), stepped by the test. */
  private static LocalEventSourceMapping rampedMapping(
      Queue queue, LocalFunction fn, Integer maxConcurrency, LocalEventSourceMapping.ProvisionedPollers pollers, AtomicLong clock) {
    return new LocalEventSourceMapping(
        new LocalEventSourceMapping.Spec(UUID.randomUUID().toString(), queue.url(), queue.arn(), fn.name(),
            1, 0, maxConcurrency, true, true, pollers),
        fn, SQS, LocalAws.REGION, 100, clock::get);
  }

  private static void sendMany(Queue queue, int count) {
    for (int i = 0; i < count; i += 10) {
      int from = i;
      SQS.sendMessageBatch(b -> b.queueUrl(queue.url()).entries(
          java.util.stream.IntStream.range(from, Math.min(count, from + 10))
              .mapToObj(n -> SendMessageBatchRequestEntry.builder().id("m" + n).messageBody("m" + n).build())
              .toList()));
    }
  }

  /** Waits for the running count to reach {@code level}, then lets a generation of jobs pass to show it stays there. */
  private static void assertPlateau(String name, LocalEventSourceMapping esm, int level) throws InterruptedException {
    await(() -> TestHandlers.MAX_RUNNING.containsKey(name) && TestHandlers.MAX_RUNNING.get(name).get() >= level,
        Duration.ofSeconds(20));
    long done = esm.stats().deleted();
    await(() -> esm.stats().deleted() >= done + level, Duration.ofSeconds(20));
    assertThat(TestHandlers.MAX_RUNNING.get(name).get()).isEqualTo(level);
    assertThat(esm.allowedConcurrency()).isEqualTo(level);
  }

  @Test
  void onDemandStartsAtFiveBatchesAndAddsThreeHundredPerMinuteUpToItsCap() throws Exception {
    Queue queue = queue(3, 60);
    AtomicLong clock = new AtomicLong();
    try (LocalFunction fn = batchFunction("esm-ramp", Map.of("SLEEP_MILLIS", "1000"));
        LocalEventSourceMapping esm = rampedMapping(queue, fn, 25, null, clock)) {
      sendMany(queue, 400);
      esm.start();
      // AWS time stands still: the mapping keeps to its first 5 concurrent batches however deep the queue.
      assertPlateau("esm-ramp", esm, 5);
      // 2 s of backlog add 300 × 2/60 = 10.
      clock.addAndGet(Duration.ofSeconds(2).toNanos());
      assertPlateau("esm-ramp", esm, 15);
      // A minute more would add 300: the ramp stops at maximumConcurrency.
      clock.addAndGet(Duration.ofMinutes(1).toNanos());
      assertPlateau("esm-ramp", esm, 25);
    }
  }

  @Test
  void keepsRampingWhileEveryPollerIsBusyInALongInvocation() throws Exception {
    Queue queue = queue(3, 60);
    AtomicLong clock = new AtomicLong();
    try (LocalFunction fn = batchFunction("esm-busy-ramp", Map.of("SLEEP_MILLIS", "4000"));
        LocalEventSourceMapping esm = rampedMapping(queue, fn, 25, null, clock)) {
      sendMany(queue, 100);
      esm.start();
      await(() -> TestHandlers.RUNNING.containsKey("esm-busy-ramp") && TestHandlers.RUNNING.get("esm-busy-ramp").get() == 5,
          Duration.ofSeconds(3));
      // The first 5 batches are still running (4 s each) when 2 s of AWS time add 10 more.
      clock.addAndGet(Duration.ofSeconds(2).toNanos());
      await(() -> TestHandlers.RUNNING.get("esm-busy-ramp").get() == 15, Duration.ofSeconds(2));
      assertThat(esm.stats().deleted()).as("no invocation had returned yet").isZero();
    }
  }

  @Test
  void provisionedModeStartsWithItsMinimumPollersAndGrowsByAThousandPerMinute() throws Exception {
    Queue queue = queue(3, 60);
    AtomicLong clock = new AtomicLong();
    try (LocalFunction fn = batchFunction("esm-provisioned", Map.of("SLEEP_MILLIS", "1000"));
        LocalEventSourceMapping esm = rampedMapping(queue, fn, null, new LocalEventSourceMapping.ProvisionedPollers(2, 4), clock)) {
      sendMany(queue, 600);
      esm.start();
      // Two pollers of up to 10 concurrent invokes each, from the start.
      assertPlateau("esm-provisioned", esm, 20);
      // 0.6 s of backlog add 1,000 × 0.6/60 = 10.
      clock.addAndGet(Duration.ofMillis(600).toNanos());
      assertPlateau("esm-provisioned", esm, 30);
      // Then the maximum pollers bound it: 4 × 10.
      clock.addAndGet(Duration.ofMinutes(1).toNanos());
      assertPlateau("esm-provisioned", esm, 40);
    }
  }

  private static int visible(String url) {
    var attrs = SQS.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
        .attributes();
    return Integer.parseInt(attrs.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
        + Integer.parseInt(attrs.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
  }

  private static void await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition not met within %s", timeout).isLessThan(deadline);
      Thread.sleep(25);
    }
  }

  @Test
  void deliversLambdasSqsEventShapeAndDeletesProcessedMessages() throws Exception {
    Queue queue = queue(3, 30);
    try (LocalFunction fn = batchFunction("esm-shape", Map.of());
        LocalEventSourceMapping esm = mapping(queue, fn, 10, 2)) {
      SQS.sendMessage(b -> b.queueUrl(queue.url()).messageBody("hello").messageAttributes(Map.of(
          "tier", MessageAttributeValue.builder().dataType("String").stringValue("premium").build(),
          "digest", MessageAttributeValue.builder().dataType("Binary").binaryValue(SdkBytes.fromByteArray(new byte[] {1, 2, 3})).build())));
      esm.start();
      await(() -> esm.stats().deleted() == 1, Duration.ofSeconds(10));
      SQSEvent.SQSMessage seen = (SQSEvent.SQSMessage) TestHandlers.SEEN.get("esm-shape").get(0);
      assertThat(seen.getBody()).isEqualTo("hello");
      assertThat(seen.getEventSource()).isEqualTo("aws:sqs");
      assertThat(seen.getEventSourceArn()).isEqualTo(queue.arn());
      assertThat(seen.getAttributes()).containsEntry("ApproximateReceiveCount", "1").containsKey("SentTimestamp");
      assertThat(seen.getMessageAttributes().get("tier").getStringValue()).isEqualTo("premium");
      assertThat(seen.getMessageAttributes().get("digest").getDataType()).isEqualTo("Binary");
      assertThat(seen.getMessageAttributes().get("digest").getBinaryValue()).isEqualTo(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3}));
      assertThat(visible(queue.url())).isZero();
    }
  }

  @Test
  void keepsOnlyTheReportedFailuresAndRedrivesThemAfterMaxReceiveCount() throws Exception {
    Queue queue = queue(2, 1);
    try (LocalFunction fn = batchFunction("esm-partial", Map.of());
        LocalEventSourceMapping esm = mapping(queue, fn, 10, 2)) {
      SQS.sendMessage(b -> b.queueUrl(queue.url()).messageBody("ok-1"));
      SQS.sendMessage(b -> b.queueUrl(queue.url()).messageBody("please fail"));
      SQS.sendMessage(b -> b.queueUrl(queue.url()).messageBody("ok-2"));
      esm.start();
      await(() -> visible(queue.dlqUrl()) == 1, Duration.ofSeconds(20));
      assertThat(esm.stats().deleted()).isEqualTo(2);
      assertThat(esm.stats().itemFailures()).isEqualTo(2);
      assertThat(SQS.receiveMessage(b -> b.queueUrl(queue.dlqUrl())).messages().get(0).body()).isEqualTo("please fail");
    }
  }

  @Test
  void treatsAnUnknownItemIdentifierAsAWholeBatchFailure() throws Exception {
    Queue queue = queue(5, 30);
    try (LocalFunction fn = batchFunction("esm-unknown", Map.of());
        LocalEventSourceMapping esm = mapping(queue, fn, 10, 2)) {
      SQS.sendMessage(b -> b.queueUrl(queue.url()).messageBody("unknown-id"));
      esm.start();
      await(() -> esm.stats().batches() == 1, Duration.ofSeconds(10));
      Thread.sleep(200);
      assertThat(esm.stats().deleted()).isZero();
      assertThat(visible(queue.url())).isEqualTo(1);
    }
  }

  @Test
  void neverExceedsTheMappingsMaximumConcurrency() throws Exception {
    Queue queue = queue(3, 30);
    try (LocalFunction fn = batchFunction("esm-capped", Map.of("SLEEP_MILLIS", "150"));
        LocalEventSourceMapping esm = mapping(queue, fn, 1, 3)) {
      for (int i = 0; i < 15; i++) {
        int n = i;
        SQS.sendMessage(b -> b.queueUrl(queue.url()).messageBody("m" + n));
      }
      esm.start();
      await(() -> esm.stats().deleted() == 15, Duration.ofSeconds(20));
      assertThat(esm.stats().maxInFlight()).isEqualTo(3);
      assertThat(TestHandlers.MAX_RUNNING.get("esm-capped").get()).isEqualTo(3);
    }
  }
}
