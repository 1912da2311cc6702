package dev.priorityqueues.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.priorityqueues.common.Completion;
import dev.priorityqueues.common.ProcessedOutput;
import dev.priorityqueues.common.testing.SqsEventSource;
import dev.priorityqueues.common.testing.TestStack;
import dev.priorityqueues.contract.CompletionEvents;
import dev.priorityqueues.contract.FunctionEnv;
import dev.priorityqueues.contract.Job;
import dev.priorityqueues.contract.Tables.Videos;
import dev.priorityqueues.worker.processing.PermanentFailure;
import dev.priorityqueues.worker.processing.VideoProcessor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Video Processed / Video Failed: published once per outcome, even across a failed publish. */
class CompletionEventsTest {

  static PutEventsRecorder events;

  @BeforeAll
  static void start() {
    events = new PutEventsRecorder();
  }

  @AfterAll
  static void stop() {
    events.close();
  }

  /** A transcode's steps, in the order they ran (not alphabetical). */
  static final Map<String, Long> STEPS = new LinkedHashMap<>();

  static {
    STEPS.put("probe", 40L);
    STEPS.put("ffmpeg", 1500L);
    STEPS.put("check", 3L);
    STEPS.put("upload", 200L);
  }

  /** Finishes "ok-*" keys with one output, fails everything else for good. */
  static final VideoProcessor PROCESSOR = new VideoProcessor() {
    @Override
    public Completion process(Job job) {
      if (!job.userId().startsWith("ok")) {
        throw new PermanentFailure("not a video: test");
      }
      return new Completion("mp4", 2000L, 320, 240, null, List.of(new ProcessedOutput(ProcessedOutput.RENDITION,
          "240p.mp4", "processed/" + job.videoKey() + "/240p.mp4", 1234, 320, 240, 2000)),
          STEPS);
    }

    @Override
    public long expectedMillis() {
      return 10;
    }
  };

  private WorkerFixture fixture(String name) {
    return new WorkerFixture(TestStack.builder(name)
        .env(FunctionEnv.FLOW, "queue-level")
        .env(FunctionEnv.RETRY_BACKOFF_SECONDS, 0)
        .env(FunctionEnv.EVENT_BUS, "pipeline")
        .env(FunctionEnv.AWS_ENDPOINT_URL_EVENTBRIDGE, events.endpoint().toString())
        .build());
  }

  private List<PutEventsRecorder.Entry> about(Job job) {
    return events.entries.stream().filter(e -> job.videoKey().equals(e.detail().get("videoKey"))).toList();
  }

  @Test
  void eachOutcomeIsPublishedOnceWithItsDetail() {
    WorkerFixture fixture = fixture("events");
    Job done = fixture.queued("regular", "ok-user");
    Job failed = fixture.queued("regular", "bad-user");

    SqsEventSource.Batch batch = fixture.deliver(fixture.handler(PROCESSOR), "regular", 10);

    assertThat(batch.failedIds()).isEmpty();
    PutEventsRecorder.Entry processed = about(done).get(0);
    assertThat(about(done)).hasSize(1);
    assertThat(processed.source()).isEqualTo(CompletionEvents.SOURCE);
    assertThat(processed.detailType()).isEqualTo("Video Processed");
    assertThat(processed.bus()).isEqualTo("pipeline");
    assertThat(processed.detail()).containsEntry("userId", "ok-user").containsEntry("tier", "regular")
        .containsEntry("status", "DONE").containsKeys("queueWaitMillis", "totalWaitMillis", "announcementId");
    @SuppressWarnings("unchecked")
    Map<String, Object> output = ((List<Map<String, Object>>) processed.detail().get("outputs")).get(0);
    assertThat(output).containsEntry("kind", "rendition").containsEntry("name", "240p.mp4").containsEntry("bytes", 1234);
    assertThat(about(failed)).singleElement().satisfies(e -> {
      assertThat(e.detailType()).isEqualTo("Video Failed");
      assertThat(e.detail()).containsEntry("reason", "not a video: test").containsEntry("status", "FAILED");
    });
    assertThat(fixture.stack.video(done.videoKey())).containsKey(Videos.ANNOUNCED_AT);
    // The steps' times go to the job's log line, in order, and nowhere else.
    assertThat(fixture.lines.withMessage("job done")).singleElement()
        .satisfies(line -> assertThat(line.get("stepMillis")).hasToString("{probe=40, ffmpeg=1500, check=3, upload=200}"));
    assertThat(processed.detail()).doesNotContainKey("stepMillis");
    assertThat(fixture.stack.video(done.videoKey())).doesNotContainKey("stepMillis");

    // A redelivered message of an announced video publishes nothing more.
    fixture.send("regular", done.toJson(), "ok-user");
    fixture.deliver(fixture.handler(PROCESSOR), "regular", 10);
    assertThat(about(done)).hasSize(1);
  }

  @Test
  void aFailedPublishKeepsTheMessageAndTheRedeliveryAnnouncesTheSameOutcome() {
    WorkerFixture fixture = fixture("events-retry");
    Job job = fixture.queued("regular", "ok-retry");
    events.refuse.set(1);

    SqsEventSource.Batch first = fixture.deliver(fixture.handler(PROCESSOR), "regular", 10);

    assertThat(first.failedIds()).as("not acknowledged: the event is not out yet").hasSize(1);
    assertThat(fixture.stack.video(job.videoKey()).get(Videos.STATUS).s()).isEqualTo("DONE");
    assertThat(about(job)).isEmpty();

    SqsEventSource.Batch second = fixture.deliver(fixture.handler(PROCESSOR), "regular", 10);

    assertThat(second.failedIds()).isEmpty();
    assertThat(about(job)).singleElement().satisfies(e -> assertThat(e.detailType()).isEqualTo("Video Processed"));
    assertThat(fixture.stack.video(job.videoKey()).get(Videos.COMPLETIONS).n()).as("processed once").isEqualTo("1");
  }
}
