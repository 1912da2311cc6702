package dev.priorityqueues.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.priorityqueues.common.testing.IsolatedFunction;
import dev.priorityqueues.common.testing.SqsEventSource;
import dev.priorityqueues.common.testing.TestStack;
import dev.priorityqueues.contract.FunctionEnv;
import dev.priorityqueues.contract.Functions;
import dev.priorityqueues.contract.Job;
import dev.priorityqueues.contract.Json;
import dev.priorityqueues.contract.Keys;
import dev.priorityqueues.contract.Tables.Videos;
import dev.priorityqueues.local.servers.LambdaContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The shrunk archive the program deploys, run the way the Lambda Java runtime runs it, with the
 * default processor parsing a real MP4 (so the container readers survive shrinking too).
 */
class WorkerIT {

  private static final Path JAR = Path.of("target", Functions.WORKER.id() + ".jar");
  private static WorkerFixture fixture;
  private static IsolatedFunction function;

  @BeforeAll
  static void load() {
    // The shrunk jar transcodes with the layer's own ffmpeg, given where Lambda would find /opt/bin/ffmpeg.
    fixture = new WorkerFixture(TestStack.builder("worker-it").env(FunctionEnv.RETRY_BACKOFF_SECONDS, 0)
        .env(FunctionEnv.FFMPEG, dev.priorityqueues.worker.processing.TestFfmpeg.binary().toString()).build());
    function = IsolatedFunction.load(JAR, Functions.WORKER.handlerClass(), fixture.stack.env());
  }

  @AfterAll
  static void close() throws Exception {
    function.close();
  }

  /** The worker's default timeout: it transcodes, and estimates a first job at well over a minute. */
  private static final java.time.Duration WORKER_TIMEOUT = java.time.Duration.ofSeconds(900);

  /** One batch through the jar; returns the ids the response reported failed. */
  @SuppressWarnings("unchecked")
  private static SqsEventSource.Batch deliver(String tier) {
    return SqsEventSource.deliver(fixture.stack.tier(tier), 10, json -> {
      Map<String, Object> response = Json.parseObject("response", function.invoke(json, LambdaContext.withRemaining("worker", WORKER_TIMEOUT)));
      Set<String> failed = new HashSet<>();
      for (Object item : (List<Object>) response.get("batchItemFailures")) {
        failed.add((String) ((Map<String, Object>) item).get("itemIdentifier"));
      }
      return failed;
    });
  }

  @Test
  void theArchiveIsWithinTheSizeBudget() throws Exception {
    assertThat(Files.size(JAR)).isLessThanOrEqualTo(8L * 1024 * 1024);
    assertThat(function.eventType().getName()).isEqualTo("com.amazonaws.services.lambda.runtime.events.SQSEvent");
  }

  @Test
  void inspectsARealVideoOnceThoughItIsDeliveredTwice() {
    String key = Keys.uploadKey("it-user", UUID.randomUUID(), "mp4");
    TestStack.s3().putObject(b -> b.bucket(fixture.stack.bucket()).key(key), RequestBody.fromBytes(Samples.bytes("sample.mp4")));
    Job job = fixture.queued("premium", "it-user", key);
    fixture.send("premium", job.toJson(), "it-user");

    SqsEventSource.Batch batch = deliver("premium");

    assertThat(batch.messages()).hasSize(2);
    assertThat(batch.failedIds()).isEmpty();
    assertThat(fixture.stack.video(key).get(Videos.STATUS).s()).isEqualTo("DONE");
    assertThat(fixture.stack.video(key).get(Videos.COMPLETIONS).n()).isEqualTo("1");
    assertThat(fixture.stack.video(key).get(Videos.WIDTH).n()).isEqualTo("64");
  }

  @Test
  void reportsAMalformedMessageAsItsBatchItemFailure() {
    fixture.send("regular", "{\"version\":1}", "someone");
    SqsEventSource.Batch batch = deliver("regular");
    assertThat(batch.failedIds()).containsExactly(batch.messages().getFirst().messageId());
  }
}
