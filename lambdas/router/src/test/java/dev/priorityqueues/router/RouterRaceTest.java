package dev.priorityqueues.router;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.priorityqueues.common.AwsClients;
import dev.priorityqueues.common.Log;
import dev.priorityqueues.common.Metrics;
import dev.priorityqueues.common.NewUpload;
import dev.priorityqueues.common.VideoStore;
import dev.priorityqueues.common.testing.CapturedLines;
import dev.priorityqueues.common.testing.TestStack;
import dev.priorityqueues.contract.EnvReader;
import dev.priorityqueues.contract.Job;
import dev.priorityqueues.contract.Keys;
import dev.priorityqueues.local.servers.LambdaContext;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * EventBridge may deliver one event twice at the same moment. Many trials of 2 to 4 identical
 * deliveries handled at once, each by its own execution environment, on real ElasticMQ and
 * DynamoDB Local: every upload must get exactly one message on its queue.
 */
class RouterRaceTest {

  private static final int TRIALS = 60;
  private static final int MAX_CONCURRENT = 4;

  private static TestStack stack;
  private static ExecutorService pool;
  private static final List<RouterHandler> environments = new ArrayList<>();

  @BeforeAll
  static void start() {
    stack = TestStack.builder("router-race").build();
    AwsClients clients = new AwsClients(new EnvReader(stack.env()));
    Clock clock = Clock.systemUTC();
    for (int i = 0; i < MAX_CONCURRENT; i++) {
      environments.add(new RouterHandler(RouterHandler.service(new EnvReader(stack.env()), clients, clock),
          Log.create("router", Log.Level.WARN, new CapturedLines(), clock), new Metrics("router", new CapturedLines(), clock)));
    }
    pool = Executors.newFixedThreadPool(MAX_CONCURRENT);
  }

  @AfterAll
  static void stop() {
    pool.shutdownNow();
  }

  @Test
  void concurrentDuplicateDeliveriesPutOneJobOnTheQueue() throws Exception {
    VideoStore videos = new VideoStore(TestStack.dynamoDb(), stack.videosTable());
    Map<String, List<String>> outcomes = new TreeMap<>();
    for (int trial = 0; trial < TRIALS; trial++) {
      String user = "racer-" + trial;
      String key = Keys.uploadKey(user, UUID.randomUUID(), "mp4");
      videos.createPending(new NewUpload(key, user, "a.mp4", "video/mp4", 10L, Instant.now(), Instant.now().plusSeconds(3600)));
      ScheduledEvent event = RouterHandlerTest.objectCreated(stack.bucket(), key, 10L);
      int deliveries = 2 + trial % (MAX_CONCURRENT - 1);
      CyclicBarrier together = new CyclicBarrier(deliveries);
      List<Future<Map<String, String>>> results = new ArrayList<>();
      for (int d = 0; d < deliveries; d++) {
        RouterHandler environment = environments.get(d);
        results.add(pool.submit(() -> {
          together.await();
          return environment.handleRequest(event, LambdaContext.of("router"));
        }));
      }
      List<String> seen = new ArrayList<>();
      for (Future<Map<String, String>> result : results) {
        seen.add(result.get().get("outcome"));
      }
      outcomes.put(key, seen);
    }

    Map<String, Integer> messagesPerUpload = drain(stack.tier("regular").queueUrl());
    List<String> doubled = outcomes.keySet().stream()
        .filter(key -> messagesPerUpload.getOrDefault(key, 0) != 1)
        .map(key -> key + " → " + messagesPerUpload.getOrDefault(key, 0) + " messages, outcomes " + outcomes.get(key))
        .toList();
    assertThat(doubled).as("%d of %d trials did not put exactly one job on the queue", doubled.size(), TRIALS).isEmpty();
    assertThat(messagesPerUpload.keySet()).containsExactlyInAnyOrderElementsOf(outcomes.keySet());
    // One delivery queued it; the others saw it sent (possibly after waiting for the sender).
    assertThat(outcomes.values()).allSatisfy(seen -> assertThat(seen)
        .containsOnlyOnce("QUEUED").containsOnly("QUEUED", "DUPLICATE"));
  }

  /** Every message on the queue, counted per upload (ElasticMQ's receives are exact). */
  private static Map<String, Integer> drain(String queueUrl) {
    Map<String, Integer> counts = new TreeMap<>();
    while (true) {
      List<Message> batch = TestStack.sqs().receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)).messages();
      if (batch.isEmpty()) {
        return counts;
      }
      for (Message message : batch) {
        counts.merge(Job.fromJson(message.body()).videoKey(), 1, Integer::sum);
        TestStack.sqs().deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
      }
    }
  }
}
