package dev.priorityqueues.worker;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.priorityqueues.common.AwsClients;
import dev.priorityqueues.common.Log;
import dev.priorityqueues.common.Metrics;
import dev.priorityqueues.common.NewUpload;
import dev.priorityqueues.common.VideoStore;
import dev.priorityqueues.common.testing.CapturedLines;
import dev.priorityqueues.common.testing.Events;
import dev.priorityqueues.common.testing.SqsEventSource;
import dev.priorityqueues.common.testing.TestStack;
import dev.priorityqueues.contract.EnvReader;
import dev.priorityqueues.contract.Job;
import dev.priorityqueues.contract.Keys;
import dev.priorityqueues.contract.TierTable.Tier;
import dev.priorityqueues.local.servers.LambdaContext;
import dev.priorityqueues.worker.processing.VideoProcessor;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** A worker on a private {@link TestStack}, fed by an emulated event source mapping. */
final class WorkerFixture {

  final TestStack stack;
  final CapturedLines lines = new CapturedLines();
  final VideoStore videos;
  private final AwsClients clients;

  WorkerFixture(TestStack stack) {
    this.stack = stack;
    this.clients = new AwsClients(new EnvReader(stack.env()));
    this.videos = new VideoStore(TestStack.dynamoDb(), stack.videosTable());
  }

  WorkerHandler handler(VideoProcessor processor, Clock clock) {
    return new WorkerHandler(WorkerHandler.service(new EnvReader(stack.env()), clients, processor,
        Log.create("worker", Log.Level.DEBUG, lines, clock), new Metrics("worker", lines, clock), clock));
  }

  WorkerHandler handler(VideoProcessor processor) {
    return handler(processor, Clock.systemUTC());
  }

  /** The handler {@code PQ_PROCESSOR} configures (inspect by default). */
  WorkerHandler configuredHandler() {
    return new WorkerHandler(configuredService());
  }

  WorkerService configuredService() {
    Clock clock = Clock.systemUTC();
    return WorkerHandler.service(new EnvReader(stack.env()), clients,
        Log.create("worker", Log.Level.DEBUG, lines, clock), new Metrics("worker", lines, clock), clock);
  }

  /** What the router leaves behind: a QUEUED record and its job on the tier queue. */
  Job queued(String tierName, String userId) {
    return queued(tierName, userId, Keys.uploadKey(userId, UUID.randomUUID(), "mp4"));
  }

  Job queued(String tierName, String userId, String key) {
    Job job = recorded(tierName, userId, key);
    send(tierName, job.toJson(), userId);
    return job;
  }

  /** A QUEUED record whose job message the test sends itself (or not). */
  Job recorded(String tierName, String userId, String key) {
    Instant now = Instant.now();
    videos.createPending(new NewUpload(key, userId, "a.mp4", "video/mp4", 100, now, now.plusSeconds(600)));
    Job job = new Job(UUID.randomUUID().toString(), stack.bucket(), key, userId, tierName, now);
    videos.queue(key, job.jobId(), tierName, 100L, "event", now);
    return job;
  }

  void send(String tierName, String body, String groupId) {
    TestStack.sqs().sendMessage(b -> b.queueUrl(stack.tier(tierName).queueUrl()).messageBody(body)
        .messageGroupId(groupId));
  }

  /** One invocation with up to {@code max} messages of the tier, as Lambda's mapping makes it. */
  SqsEventSource.Batch deliver(WorkerHandler handler, String tierName, int max, LambdaContext context) {
    return SqsEventSource.deliver(stack.tier(tierName), max, json -> failed(handler.handleRequest(
        Events.fromJson(json, SQSEvent.class), context)));
  }

  SqsEventSource.Batch deliver(WorkerHandler handler, String tierName, int max) {
    return deliver(handler, tierName, max, LambdaContext.of("worker"));
  }

  static Set<String> failed(SQSBatchResponse response) {
    return response.getBatchItemFailures().stream()
        .map(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
        .collect(Collectors.toCollection(HashSet::new));
  }

  /** Visible plus in-flight messages of a queue (ElasticMQ's counts are exact). */
  long backlog(String queueUrl) {
    Map<QueueAttributeName, String> attributes = TestStack.sqs().getQueueAttributes(b -> b.queueUrl(queueUrl)
        .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
    return attributes.values().stream().mapToLong(Long::parseLong).sum();
  }

  List<Message> deadLetters(String tierName) {
    Tier tier = stack.tier(tierName);
    return TestStack.sqs().receiveMessage(b -> b.queueUrl(tier.dlqUrl()).maxNumberOfMessages(10)
        .messageAttributeNames("All").messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
  }

  String status(Job job) {
    return stack.video(job.videoKey()).get("status").s();
  }
}
