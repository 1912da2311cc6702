package dev.priorityqueues.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.priorityqueues.common.testing.SqsEventSource;
import dev.priorityqueues.common.testing.TestStack;
import dev.priorityqueues.contract.FunctionEnv;
import dev.priorityqueues.contract.Job;
import dev.priorityqueues.contract.Json;
import dev.priorityqueues.contract.Keys;
import dev.priorityqueues.contract.Tables.Videos;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The default processor end to end: real files in S3Proxy, results in S3 and on the records. */
class InspectingWorkerTest {

  @Test
  void inspectsRealVideosAndFailsEverythingElseForGood() {
    WorkerFixture fixture = new WorkerFixture(TestStack.builder("inspect").env(FunctionEnv.FLOW, "queue-level")
        .env(FunctionEnv.PROCESSOR, "inspect").build());
    Map<String, Job> jobs = new LinkedHashMap<>();
    for (String sample : new String[] {"sample.mp4", "sample.mov", "sample.webm", "not-a-video.mp4", "audio-only.m4a"}) {
      String user = sample.replaceAll("[^a-z0-9]", "-");
      String key = Keys.uploadKey(user, UUID.randomUUID(), sample.substring(sample.lastIndexOf('.') + 1));
      TestStack.s3().putObject(b -> b.bucket(fixture.stack.bucket()).key(key),
          RequestBody.fromBytes(Samples.bytes(sample)));
      jobs.put(sample, fixture.queued("regular", user, key));
    }
    jobs.put("missing", fixture.queued("regular", "gone"));

    SqsEventSource.Batch batch = fixture.deliver(fixture.configuredHandler(), "regular", 10);

    assertThat(batch.messages()).hasSize(6);
    assertThat(batch.failedIds()).isEmpty();
    assertDone(fixture, jobs.get("sample.mp4"), "mp4", "1000", "64", "48");
    assertDone(fixture, jobs.get("sample.mov"), "mov", "2000", "80", "60");
    assertDone(fixture, jobs.get("sample.webm"), "webm", "1500", "96", "54");
    assertFailed(fixture, jobs.get("not-a-video.mp4"),
        "not a video: it is not an MP4, MOV or WebM container (it starts with 54 68 69 73 20 69 73 20)");
    assertFailed(fixture, jobs.get("audio-only.m4a"), "not a video: its movie has no video track");
    assertFailed(fixture, jobs.get("missing"), "the object " + jobs.get("missing").videoKey() + " no longer exists");

    Map<String, Object> result = Json.parseObject("result", TestStack.s3().getObjectAsBytes(b -> b
        .bucket(fixture.stack.bucket()).key(Keys.resultKey(jobs.get("sample.mov").videoKey()))).asUtf8String());
    assertThat(result)
        .containsEntry("container", "mov").containsEntry("brand", "qt").containsEntry("durationMillis", 2000)
        .containsEntry("width", 80).containsEntry("height", 60).containsEntry("sizeBytes", 11746)
        .containsEntry("jobId", jobs.get("sample.mov").jobId()).containsKey("inspectedAt");
  }

  private static void assertDone(WorkerFixture fixture, Job job, String container, String millis, String width,
      String height) {
    Map<String, AttributeValue> item = fixture.stack.video(job.videoKey());
    assertThat(item.get(Videos.STATUS).s()).isEqualTo("DONE");
    assertThat(item.get(Videos.CONTAINER).s()).isEqualTo(container);
    assertThat(item.get(Videos.DURATION_MILLIS).n()).isEqualTo(millis);
    assertThat(item.get(Videos.WIDTH).n()).isEqualTo(width);
    assertThat(item.get(Videos.HEIGHT).n()).isEqualTo(height);
    assertThat(item.get(Videos.RESULT_KEY).s()).isEqualTo(Keys.resultKey(job.videoKey()));
  }

  private static void assertFailed(WorkerFixture fixture, Job job, String reason) {
    Map<String, AttributeValue> item = fixture.stack.video(job.videoKey());
    assertThat(item.get(Videos.STATUS).s()).isEqualTo("FAILED");
    assertThat(item.get(Videos.REASON).s()).isEqualTo(reason);
  }
}
