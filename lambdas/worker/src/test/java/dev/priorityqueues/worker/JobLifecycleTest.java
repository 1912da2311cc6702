package dev.priorityqueues.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import dev.priorityqueues.common.testing.SqsEventSource;
import dev.priorityqueues.common.testing.TestStack;
import dev.priorityqueues.contract.FunctionEnv;
import dev.priorityqueues.contract.Job;
import dev.priorityqueues.contract.MessageAttributes;
import dev.priorityqueues.contract.MetricNames;
import dev.priorityqueues.contract.Tables.Videos;
import dev.priorityqueues.local.servers.LambdaContext;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.Message;

/** One job's life in the worker: retries, the DLQ, duplicates and partial batch failures. */
class JobLifecycleTest {

  private static WorkerFixture fixture(int maxReceiveCount) {
    return new WorkerFixture(TestStack.builder("lifecycle")
        .maxReceiveCount(maxReceiveCount)
        .env(FunctionEnv.FLOW, "queue-level")
        .env(FunctionEnv.RETRY_BACKOFF_SECONDS, 0)
        .build());
  }

  @Test
  void theSqsFixtureIsWhatLambdaSends() {
    SQSEvent event = EventLoader.loadSQSEvent("events/sqs-batch.json");
    assertThat(event.getRecords()).hasSize(2);
    SQSEvent.SQSMessage second = event.getRecords().get(1);
    assertThat(second.getAttributes()).containsEntry("ApproximateReceiveCount", "2")
        .containsEntry("MessageGroupId", "google-oauth2.1047");
    assertThat(second.getMessageAttributes().get(MessageAttributes.DEFERRALS).getStringValue()).isEqualTo("2");
    assertThat(Job.fromJson(second.getBody()).tier()).isEqualTo("regular");
  }

  @Test
  void aMessageFromAQueueOutsideTheTierTableFailsAloneWithAReason() {
    WorkerFixture fixture = fixture(3);
    SQSEvent event = EventLoader.loadSQSEvent("events/sqs-batch.json");
    event.getRecords().get(1).setEventSourceArn(fixture.stack.tier("regular").queueArn());

    SQSBatchResponse response = fixture.handler(new RecordingProcessor()).handleRequest(event, LambdaContext.of("worker"));

    assertThat(WorkerFixture.failed(response)).contains("059f36b4-87a3-44ab-83d2-661975830a7d");
    assertThat(fixture.lines.withMessage(
            "message from a queue that is not in PQ_TIERS; the mapping and the tier table disagree"))
        .singleElement().satisfies(line -> assertThat(line)
            .containsEntry("eventSourceARN", "arn:aws:sqs:us-east-1:123456789012:pq-regular"));
  }

  @Test
  void aPoisonMessageRetriesFastThenReachesTheDlqWithItsReason() {
    WorkerFixture fixture = fixture(3);
    fixture.send("regular", "{\"not\":\"a job\"}", "nobody");
    WorkerHandler handler = fixture.handler(new RecordingProcessor());

    for (int receive = 1; receive <= 2; receive++) {
      SqsEventSource.Batch batch = fixture.deliver(handler, "regular", 10);
      assertThat(batch.messages()).as("back at once (visibility 0), not after the 30 s timeout").hasSize(1);
      assertThat(batch.failedIds()).hasSize(1);
    }
    SqsEventSource.Batch last = fixture.deliver(handler, "regular", 10);
    assertThat(last.failedIds()).as("dead-lettered by the worker, so acknowledged").isEmpty();

    assertThat(fixture.backlog(fixture.stack.tier("regular").queueUrl())).isZero();
    assertThat(fixture.deadLetters("regular")).singleElement().satisfies(message -> {
      assertThat(message.body()).isEqualTo("{\"not\":\"a job\"}");
      assertThat(message.messageAttributes().get(MessageAttributes.FAILURE_REASON).stringValue())
          .isEqualTo("malformed job: job message has no 'version'");
      assertThat(message.messageAttributes().get(MessageAttributes.RECEIVE_COUNT).stringValue()).isEqualTo("3");
      assertThat(message.messageAttributes().get(MessageAttributes.SOURCE_QUEUE_ARN).stringValue())
          .isEqualTo(fixture.stack.tier("regular").queueArn());
    });
    assertThat(fixture.lines.withMessage("job will be retried")).hasSize(2)
        .allSatisfy(line -> assertThat(line).containsEntry("reason", "malformed job: job message has no 'version'"));
    assertThat(fixture.lines.metric(MetricNames.DEAD_LETTERS, "regular")).isEqualTo(1);
  }

  @Test
  void oneBadMessageFailsAloneInItsBatch() {
    WorkerFixture fixture = fixture(3);
    Job first = fixture.queued("regular", "u1");
    fixture.send("regular", "garbage", "u2");
    Job third = fixture.queued("regular", "u3");
    RecordingProcessor processor = new RecordingProcessor();

    SqsEventSource.Batch batch = fixture.deliver(fixture.handler(processor), "regular", 10);

    Message bad = batch.messages().get(1);
    assertThat(batch.failedIds()).containsExactly(bad.messageId());
    assertThat(processor.order()).containsExactly("regular:u1", "regular:u3");
    assertThat(fixture.status(first)).isEqualTo("DONE");
    assertThat(fixture.status(third)).isEqualTo("DONE");
    assertThat(fixture.backlog(fixture.stack.tier("regular").queueUrl())).isEqualTo(1);
  }

  @Test
  void aRedeliveredJobNeverRepeatsAFinishedEffect() {
    WorkerFixture fixture = fixture(3);
    Job job = fixture.queued("premium", "dup");
    fixture.send("premium", job.toJson(), "dup");
    RecordingProcessor processor = new RecordingProcessor();

    SqsEventSource.Batch batch = fixture.deliver(fixture.handler(processor), "premium", 10);

    assertThat(batch.messages()).hasSize(2);
    assertThat(batch.failedIds()).isEmpty();
    assertThat(processor.order()).containsExactly("premium:dup");
    Map<String, AttributeValue> item = fixture.stack.video(job.videoKey());
    assertThat(item.get(Videos.STATUS).s()).isEqualTo("DONE");
    assertThat(item.get(Videos.COMPLETIONS).n()).isEqualTo("1");
    assertThat(item).containsKeys(Videos.QUEUED_AT, Videos.STARTED_AT, Videos.FINISHED_AT, Videos.QUEUE_WAIT_MILLIS);
    assertThat(fixture.lines.withMessage("redelivered job of a finished video; acknowledged without effect")).hasSize(1);
    // One wait and one end-to-end value for the job, in its tier: the duplicate adds none.
    long recordedWait = Long.parseLong(item.get(Videos.QUEUE_WAIT_MILLIS).n());
    assertThat(fixture.lines.values(MetricNames.QUEUE_WAIT, "premium")).containsExactly(recordedWait);
    assertThat(fixture.lines.values(MetricNames.END_TO_END, "premium")).singleElement()
        .satisfies(endToEnd -> assertThat(endToEnd).isGreaterThanOrEqualTo(recordedWait));
    assertThat(fixture.lines.values(MetricNames.QUEUE_WAIT, "regular")).isEmpty();
  }

  @Test
  void aTransientFailureIsRetriedAndTheRetryFinishesTheJob() {
    WorkerFixture fixture = fixture(3);
    Job job = fixture.queued("regular", "flaky");
    RecordingProcessor processor = new RecordingProcessor().failTransiently("flaky", 1);
    WorkerHandler handler = fixture.handler(processor);

    assertThat(fixture.deliver(handler, "regular", 10).failedIds()).hasSize(1);
    Map<String, AttributeValue> released = fixture.stack.video(job.videoKey());
    assertThat(released.get(Videos.STATUS).s()).isEqualTo("QUEUED");
    assertThat(released.get(Videos.REASON).s()).isEqualTo("processing failed: IllegalStateException: simulated outage for flaky");

    assertThat(fixture.deliver(handler, "regular", 10).failedIds()).isEmpty();
    Map<String, AttributeValue> done = fixture.stack.video(job.videoKey());
    assertThat(done.get(Videos.STATUS).s()).isEqualTo("DONE");
    assertThat(done.get(Videos.ATTEMPTS).n()).isEqualTo("2");
    assertThat(done.get(Videos.COMPLETIONS).n()).isEqualTo("1");
    assertThat(done).doesNotContainKeys(Videos.REASON, Videos.LEASE_UNTIL);
    assertThat(fixture.lines.metric(MetricNames.RETRIES, "regular")).isEqualTo(1);
  }

  @Test
  void aPermanentFailureIsRecordedAndNotRetried() {
    WorkerFixture fixture = fixture(3);
    Job job = fixture.queued("regular", "hopeless");
    SqsEventSource.Batch batch = fixture.deliver(fixture.handler(new RecordingProcessor().failForGood("hopeless")),
        "regular", 10);
    assertThat(batch.failedIds()).isEmpty();
    Map<String, AttributeValue> item = fixture.stack.video(job.videoKey());
    assertThat(item.get(Videos.STATUS).s()).isEqualTo("FAILED");
    assertThat(item.get(Videos.REASON).s()).isEqualTo("not a video: simulated for hopeless");
    assertThat(fixture.deadLetters("regular")).isEmpty();
    assertThat(fixture.lines.metric(MetricNames.JOBS_FAILED, "regular")).isEqualTo(1);
  }

  @Test
  void aStolenMessageThatFailsIsRetriedWithAnHonestReceiveCount() {
    WorkerFixture fixture = new WorkerFixture(TestStack.builder("stolen-retry")
        .env(FunctionEnv.FLOW, "highest-first").env(FunctionEnv.RETRY_BACKOFF_SECONDS, 0).env(FunctionEnv.DRAIN, false)
        .build());
    fixture.queued("premium", "shaky");
    fixture.queued("regular", "steady");
    RecordingProcessor processor = new RecordingProcessor().failTransiently("shaky", 1);

    SqsEventSource.Batch batch = fixture.deliver(fixture.handler(processor), "regular", 10);

    assertThat(batch.failedIds()).isEmpty();
    assertThat(processor.order()).containsExactly("premium:shaky", "premium:shaky", "regular:steady");
    assertThat(fixture.lines.withMessage("job done")).extracting(line -> line.get("origin") + "/" + line.get("receiveCount"))
        .containsExactly("STOLEN/2", "BATCH/1");
    assertThat(fixture.backlog(fixture.stack.tier("premium").queueUrl())).isZero();
  }

  @Test
  void jobsThatCanNeverRunGoStraightToTheDlq() {
    WorkerFixture fixture = fixture(5);
    Job noRecord = new Job(UUID.randomUUID().toString(), fixture.stack.bucket(), "uploads/ghost/x.mp4", "ghost",
        "regular", Instant.now());
    fixture.send("regular", noRecord.toJson(), "ghost");
    Job real = fixture.recorded("regular", "real", "uploads/real/" + UUID.randomUUID() + ".mp4");
    Job impostor = new Job("not-the-job", real.bucket(), real.videoKey(), real.userId(), real.tier(), real.enqueuedAt());
    fixture.send("regular", impostor.toJson(), "real");
    fixture.send("regular", real.toJson(), "real");

    SqsEventSource.Batch batch = fixture.deliver(fixture.handler(new RecordingProcessor()), "regular", 10);

    assertThat(batch.failedIds()).isEmpty();
    assertThat(fixture.deadLetters("regular"))
        .extracting(m -> m.messageAttributes().get(MessageAttributes.FAILURE_REASON).stringValue())
        .containsExactlyInAnyOrder(
            "there is no video record for uploads/ghost/x.mp4",
            "job not-the-job is not the video's job (" + real.jobId() + "); the video is QUEUED");
    assertThat(fixture.status(real)).isEqualTo("DONE");
  }

  @Test
  void primingReadsButWritesNothing() {
    WorkerFixture fixture = fixture(3);
    Job job = fixture.queued("premium", "untouched");
    fixture.configuredService().prime();
    assertThat(fixture.status(job)).isEqualTo("QUEUED");
    assertThat(fixture.backlog(fixture.stack.tier("premium").queueUrl())).isEqualTo(1);
  }

  // ---- malformed job messages: each fails alone and reaches the DLQ with a clear reason ----

  static Stream<Arguments> malformedBodies() {
    String valid = new Job("j", "b", "uploads/u/a.mp4", "u", "regular", Instant.parse("2026-11-22T10:00:00Z")).toJson();
    return Stream.of(
        Arguments.of("blank (SQS refuses empty bodies)", "  ", "malformed job: job message is empty; expected a JSON object"),
        Arguments.of("not JSON", "video please", "malformed job: job message is not valid JSON: …"),
        Arguments.of("an array", "[1,2]", "malformed job: job message must be a JSON object, not an array"),
        Arguments.of("no version", "{}", "malformed job: job message has no 'version'"),
        Arguments.of("a future version", valid.replace("\"version\":1", "\"version\":2"),
            "malformed job: job message has version 2; this worker reads version 1"),
        Arguments.of("a key outside uploads/", valid.replace("uploads/u/a.mp4", "processed/u/a.mp4"),
            "malformed job: job message videoKey 'processed/u/a.mp4' is not under uploads/"),
        Arguments.of("a bad enqueuedAt", valid.replace("2026-11-22T10:00:00Z", "yesterday"),
            "malformed job: job message enqueuedAt 'yesterday' is not an ISO-8601 instant"),
        Arguments.of("a numeric jobId", valid.replace("\"jobId\":\"j\"", "\"jobId\":7"),
            "malformed job: job message field 'jobId' must be a string, not a number"),
        Arguments.of("no userId", valid.replace("\"userId\":\"u\",", ""), "malformed job: job message has no 'userId'"),
        Arguments.of("a blank tier", valid.replace("\"tier\":\"regular\"", "\"tier\":\"\""),
            "malformed job: job message field 'tier' is blank"),
        Arguments.of("trailing content", valid + "{}", "malformed job: job message has content after its JSON value"),
        Arguments.of("an oversized body", "x".repeat(Job.MAX_BODY_CHARS + 1),
            "malformed job: job message is 8193 characters; a job is at most 8192"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedBodies")
  void aMalformedMessageIsDeadLetteredWithAClearReason(String name, String body, String reason) {
    WorkerFixture fixture = fixture(1);
    fixture.send("regular", body, "someone");

    SqsEventSource.Batch batch = fixture.deliver(fixture.handler(new RecordingProcessor()), "regular", 10);

    assertThat(batch.failedIds()).isEmpty();
    assertThat(fixture.deadLetters("regular")).singleElement().satisfies(message -> {
      String actual = message.messageAttributes().get(MessageAttributes.FAILURE_REASON).stringValue();
      if (reason.endsWith("…")) {
        assertThat(actual).startsWith(reason.substring(0, reason.length() - 1));
      } else {
        assertThat(actual).isEqualTo(reason);
      }
    });
  }
}
