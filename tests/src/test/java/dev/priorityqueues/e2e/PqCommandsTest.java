package dev.priorityqueues.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Every `./pq` command at its smallest size, run as a user runs it (`./pq ...` as a process) in a
 * fresh copy after the README's build step, each checked for its exit code and key output. Nothing
 * rots unnoticed: a command that breaks fails `./pq test`.
 */
class PqCommandsTest {
  private static final Duration LIMIT = Duration.ofMinutes(10);

  @Test
  void help() {
    FreshCopy.Result run = FreshCopy.run(LIMIT, "./pq", "help");
    assertThat(run.exit()).as(run.tail()).isZero();
    assertThat(run.stdout()).contains("./pq demo", "./pq up [--for <seconds>]", "./pq bench", "./pq coldstart",
        "./pq dlq", "./pq erase-user <userId>", "./pq faults", "./pq transcode-bench", "./pq scale-bench", "./pq fuzz [--seconds N]", "./pq build");
  }

  @Test
  void demo() {
    FreshCopy.Result run = FreshCopy.run(LIMIT, "./pq", "demo", "--videos", "4", "--users", "1");
    assertThat(run.exit()).as(run.tail()).isZero();
    assertThat(run.all()).containsPattern("TIER +VIDEOS +DONE +FAILED")
        .containsPattern("(?m)^premium +\\d+ +\\d+")
        .containsPattern("(?m)^regular +\\d+ +\\d+")
        // Each function's calls per upload, the outputs' uploads (made on the worker's own
        // threads) and the completion events (plain HTTP) included.
        .containsPattern("(?m)^ +worker-function S3\\.PutObject +[1-9][\\d.]*$")
        .containsPattern("(?m)^ +worker-function EventBridge\\.PutEvents +1\\.00$")
        .containsPattern("(?m)^ +router-function Sqs\\.SendMessage +1\\.00$")
        // ...held against the minimal set the design needs (MinimalCalls): presign's is 3 per upload.
        .containsPattern("(?m)^ +presign-function +[\\d.]+ measured / +3\\.00 minimal = [\\d.]+\\D{1,3}$")
        .containsPattern("(?m)^ +all three +[\\d.]+ measured / +[\\d.]+ minimal = [\\d.]+\\D{1,3} the minimal set$");
  }

  @Test
  void upStopsByItselfAfterItsLifetime() {
    FreshCopy.Result run = FreshCopy.run(LIMIT, "./pq", "up", "--for", "1");
    assertThat(run.exit()).as(run.tail()).isZero();
    assertThat(run.all()).contains("uploadEndpoint", "Stopping in 1 s", "Stopped after 1 s.");
    assertThat(FreshCopy.built().resolve("local/cloud/work/local-stack.json")).doesNotExist();

    FreshCopy.Result wrong = FreshCopy.run(LIMIT, "./pq", "up", "--for", "0");
    assertThat(wrong.exit()).isEqualTo(2);
    assertThat(wrong.stderr()).contains("--for must be from 1 to 86400, not 0");
  }

  @Test
  void dlqListPeekRedrivePurgeOnTheLocalCloud() throws Exception {
    Path copy = FreshCopy.built();
    Path stackFile = copy.resolve("local/cloud/work/local-stack.json");
    Files.deleteIfExists(stackFile);
    // A safety net only: the test stops it.
    Path log = Files.createTempFile("pq-up", ".log");
    Process up = FreshCopy.start(copy, List.of("./pq", "up", "--for", "600"), log);
    try {
      E2e.await(() -> Files.exists(stackFile) || !up.isAlive(), LIMIT, "./pq up to describe the local cloud");
      assertThat(up.isAlive()).as("./pq up is running: %s", FreshCopy.clean(Files.readString(log))).isTrue();
      JsonNode stack = new ObjectMapper().readTree(waitForContent(stackFile));
      JsonNode env = stack.get("environment");
      try (SqsClient sqs = SqsClient.builder().httpClient(UrlConnectionHttpClient.create())
          .endpointOverride(URI.create(env.get("AWS_ENDPOINT_URL_SQS").asText()))
          .region(Region.of(env.get("AWS_REGION").asText()))
          .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
              env.get("AWS_ACCESS_KEY_ID").asText(), env.get("AWS_SECRET_ACCESS_KEY").asText())))
          .build()) {
        for (String tier : List.of("premium", "regular")) {
          sqs.sendMessage(b -> b.queueUrl(stack.at("/outputs/dlqUrls/" + tier).asText()).messageBody("smoke-" + tier));
        }
      }

      // The page ./pq up names is served, as a user opens it.
      Pattern pageLine = Pattern.compile("Or open the upload page: (http://\\S+)/ ");
      E2e.await(() -> pageLine.matcher(readQuietly(log)).find(), Duration.ofSeconds(30), "./pq up to name its page");
      java.util.regex.Matcher page = pageLine.matcher(Files.readString(log));
      assertThat(page.find()).isTrue();
      try (HttpClient http = HttpClient.newHttpClient()) {
        HttpResponse<String> html = http.send(HttpRequest.newBuilder(URI.create(page.group(1) + "/")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(html.statusCode()).isEqualTo(200);
        assertThat(html.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(html.body()).contains("<title>priority-queues: upload and watch the tiers</title>");
      }

      FreshCopy.Result list = FreshCopy.run(LIMIT, "./pq", "dlq", "list", "--local");
      assertThat(list.exit()).as(list.tail()).isZero();
      assertThat(list.stdout()).containsPattern("(?m)^premium +1 +0 ").containsPattern("(?m)^regular +1 +0 ");

      FreshCopy.Result peek = FreshCopy.run(LIMIT, "./pq", "dlq", "peek", "regular", "--local");
      assertThat(peek.exit()).as(peek.tail()).isZero();
      assertThat(peek.stdout()).contains("1 message(s) in the regular DLQ", "smoke-regular");

      FreshCopy.Result redrive = FreshCopy.run(LIMIT, "./pq", "dlq", "redrive", "premium", "--local");
      assertThat(redrive.exit()).as(redrive.tail()).isZero();
      assertThat(redrive.stdout()).contains("Moving 1 message(s) from the premium DLQ").contains("1 moved");

      FreshCopy.Result purge = FreshCopy.run(LIMIT, "./pq", "dlq", "purge", "regular", "--local", "--yes");
      assertThat(purge.exit()).as(purge.tail()).isZero();
      assertThat(purge.stdout()).contains("Purged the regular DLQ (1 message(s)).");

      // ./pq erase-user against the same running cloud, as an operator runs it.
      var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(
          env.get("AWS_ACCESS_KEY_ID").asText(), env.get("AWS_SECRET_ACCESS_KEY").asText()));
      // An output (no upload event follows it, so nothing else touches it before the erasure).
      String object = "processed/uploads/smoke-eraser/00000000-0000-0000-0000-000000000001.mp4/360.mp4";
      try (var dynamoDb = software.amazon.awssdk.services.dynamodb.DynamoDbClient.builder()
              .httpClient(UrlConnectionHttpClient.create()).credentialsProvider(credentials)
              .endpointOverride(URI.create(env.get("AWS_ENDPOINT_URL_DYNAMODB").asText()))
              .region(Region.of(env.get("AWS_REGION").asText())).build();
          var s3 = software.amazon.awssdk.services.s3.S3Client.builder()
              .httpClient(UrlConnectionHttpClient.create()).credentialsProvider(credentials).forcePathStyle(true)
              .endpointOverride(URI.create(env.get("AWS_ENDPOINT_URL_S3").asText()))
              .region(Region.of(env.get("AWS_REGION").asText())).build()) {
        dynamoDb.putItem(b -> b.tableName(stack.at("/outputs/usersTableName").asText()).item(java.util.Map.of(
            "userId", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("smoke-eraser"),
            "subscription", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("pro"))));
        s3.putObject(b -> b.bucket(stack.at("/outputs/bucketName").asText()).key(object),
            software.amazon.awssdk.core.sync.RequestBody.fromString("not really a video"));
      }
      FreshCopy.Result erase = FreshCopy.run(LIMIT, "./pq", "erase-user", "smoke-eraser", "--local", "--yes");
      assertThat(erase.exit()).as(erase.tail()).isZero();
      assertThat(erase.stdout()).contains("Removed for user 'smoke-eraser':", "users item         1")
          .containsPattern("object versions +1 under processed/uploads/smoke-eraser/")
          .contains("Their log lines carry userId ~");
    } finally {
      up.toHandle().descendants().forEach(ProcessHandle::destroy);
      up.destroy();
      up.waitFor(1, TimeUnit.MINUTES);
    }
  }

  @Test
  void bench() throws IOException {
    Path out = Files.createTempDirectory("pq-bench");
    FreshCopy.Result run = FreshCopy.run(LIMIT, "./pq", "bench", "--scenario", "regular-burst", "--flows", "highest-first",
        "--caps", "equal", "--scale", "0.1", "--service-ms", "200", "--no-warmup", "--out", out.toString());
    assertThat(run.exit()).as(run.tail()).isZero();
    assertThat(run.all()).contains("Scenario regular-burst", "highest-first");
    assertThat(out.resolve("priority-flows.md")).isNotEmptyFile();

    // The at-scale benchmark at its smallest: one run, 40 slots, AWS time 20x faster (about 3 s of trace).
    FreshCopy.Result scale = FreshCopy.run(LIMIT, "./pq", "scale-bench", "--slots", "40", "--time-scale", "20",
        "--service-s", "10", "--burst-jobs", "40", "--surge-jobs", "8", "--scenario", "premium-surge",
        "--runs", "hf-provisioned", "--out", out.toString());
    assertThat(scale.exit()).as(scale.tail()).isZero();
    assertThat(scale.all()).contains("Scenario premium-surge", "highest-first provisioned top: premium p95");
    assertThat(Files.readString(out.resolve("priority-flows-at-scale.md")))
        .contains("Time-scaled run: every time constant divided by 20", "| highest-first provisioned top | premium provisioned 2–2 pollers / regular 20")
        .doesNotContain("NaN", "Infinity");
  }

  @Test
  void transcodeBench() throws IOException {
    Path report = Files.createTempDirectory("pq-transcode").resolve("transcode.md");
    FreshCopy.Result run = FreshCopy.run(LIMIT, "./pq", "transcode-bench", "--seconds", "1", "--height", "240",
        "--small-mb", "1", "--large-mb", "1", "--runs", "1", "--out", report.toString());
    assertThat(run.exit()).as(run.tail()).isZero();
    assertThat(Files.readString(report)).contains("| default (720p + 360p, watermark, thumbnail) |", "| one rendition (720p",
        "| small-240p-1s-1mb.mp4 |", "| large-240p-1mb.mp4 |", "Job wall time ÷ bare ffmpeg:", "Heap of the worker's JVM, large ÷ small input", "peak heap", "held heap",
        "of the pairs' own ratios",
        "| worker jar (no codec) |", "| 10240 MB | 5.79 |",
        "| input | bare ffmpeg | probe | prepare | ffmpeg | check | upload | job ffmpeg ÷ bare | rest of the job | local S3's CPU |",
        "## The worker's JIT", "Every tier ÷ C1 only (medians of the pairs' ratios): whole job",
        // The real layer's crypto provider loaded, passed its self-tests and served the job's uploads.
        "on its classpath as Lambda's Java runtime puts it (the crypto it installed: AmazonCorrettoCryptoProvider 2.")
        .doesNotContain("NaN", "Infinity")
        .containsPattern("\\| large-240p-1mb.mp4 \\|( [^|]+ \\|){6} [1-9][\\d.]* MB \\|")
        .containsPattern("The median job allocated [\\d.]*[1-9][\\d.]* MB for [\\d.]+ MB of outputs")
        .containsPattern("Each pair's own ratio, in the order they ran .*: [\\d., ]+ \\(small\\); [\\d., ]+ \\(large\\)\\.")
        // One pair each: too few for a verdict either way.
        .containsPattern("target ≤ 1.10x: undecided \\(too few pairs for a 90% interval; they range [\\d.]+–[\\d.]+x\\)"
            + " \\(small\\), undecided \\(too few")
        .containsPattern("whole job [\\d.]+x \\(too few pairs for a 90% interval; [^)]*\\), upload [\\d.]+x\\. The pairs are too"
            + " few to tell the two apart\\.")
        // The steps' row: the job's own FFmpeg run took time.
        .containsPattern("\\| small-240p-1s-1mb.mp4 \\| [\\d.]+ s \\| [\\d.]+ s \\| [\\d.]+ s \\| [\\d.]*[1-9][\\d.]* s \\|")
        // Both JIT rows: each job's FFmpeg run took time.
        .containsPattern("\\| C1 only \\(Lambda's default; the worker's\\) \\| [\\d.]+ s \\| [\\d.]*[1-9][\\d.]* s \\| [\\d.]+ s \\|")
        .containsPattern("\\| every tier \\| [\\d.]+ s \\| [\\d.]*[1-9][\\d.]* s \\| [\\d.]+ s \\|");

    FreshCopy.Result wrong = FreshCopy.run(LIMIT, "./pq", "transcode-bench", "--seconds", "0");
    assertThat(wrong.exit()).isEqualTo(2);
    assertThat(wrong.stderr()).contains("--seconds must be from 1 to 120 seconds, not 0");
  }

  @Test
  void faults() {
    FreshCopy.Result run = FreshCopy.run(LIMIT, "./pq", "faults", "--uploads", "10", "--clients", "2");
    assertThat(run.exit()).as(run.tail()).isZero();
    assertThat(run.all()).containsPattern("(?m)^  uploads +10$").containsPattern("(?m)^  lost +0$")
        .contains("Nothing lost, nothing done twice.");
  }

  @Test
  void coldstart() {
    FreshCopy.Result run = FreshCopy.run(LIMIT, "./pq", "coldstart", "1");
    assertThat(run.exit()).as(run.tail()).isZero();
    assertThat(run.stdout()).contains("Cold start, median of 1 fresh JVMs")
        .containsPattern("(?m)^\\| presign \\| \\d+ \\| \\d+ \\| [\\d.]+ \\|")
        .containsPattern("(?m)^\\| router \\| \\d+ \\| \\d+ \\| [\\d.]+ \\|")
        .containsPattern("(?m)^\\| worker \\| \\d+ \\| \\d+ \\| [\\d.]+ \\|")
        // Each handler's first invocation succeeds: a cold start measured on an error path would
        // measure the wrong thing.
        .containsPattern("(?m)^\\| worker \\|.*\\{\\\"batchItemFailures\\\":\\[\\]\\}")
        .containsPattern("(?m)^\\| router \\|.*\\{\\\"outcome\\\":\\\"QUEUED\\\"");
  }

  /**
   * Every target is listed, and two of them (from two modules, so the multi-module build and the
   * target selection are exercised) are fuzzed for a second. The normal test run already replays
   * every target's inputs in its own module; fuzzing all ten here cost ~12 s of Jazzer start-up each.
   */
  @Test
  void fuzzSelectedTargetsForOneSecond() {
    FreshCopy.Result list = FreshCopy.run(LIMIT, "./pq", "fuzz", "--list");
    assertThat(list.exit()).as(list.tail()).isZero();
    List<String> targets = list.stdout().lines().filter(l -> !l.isBlank()).toList();
    assertThat(targets).hasSizeGreaterThanOrEqualTo(10)
        .contains("ContractFuzzTest#userFolders", "ContainerProbeFuzzTest#containers", "SettingsFuzzTest#rawConfig");

    List<String> picked = List.of("ContractFuzzTest#userFolders", "ContainerProbeFuzzTest#containers");
    FreshCopy.Result run = FreshCopy.run(LIMIT, "./pq", "fuzz", "--seconds", "1", picked.get(0), picked.get(1));
    assertThat(run.exit()).as(run.tail()).isZero();
    for (String target : picked) {
      assertThat(run.stdout()).containsPattern("(?m)^" + Pattern.quote(target)
          + " +Done \\d+ runs in \\d+ second.* no finding$");
    }
    assertThat(run.stdout().lines().filter(l -> !l.isBlank())).as("only the chosen targets ran").hasSize(2);

    FreshCopy.Result wrong = FreshCopy.run(LIMIT, "./pq", "fuzz", "--seconds", "0");
    assertThat(wrong.exit()).isEqualTo(2);
    assertThat(wrong.stderr()).contains("--seconds must be a whole number of seconds from 1 to 86400");

    FreshCopy.Result unknown = FreshCopy.run(LIMIT, "./pq", "fuzz", "--seconds", "1", "NoSuchFuzzTest#nothing");
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.stderr()).contains("unknown fuzz target 'NoSuchFuzzTest#nothing'", "SettingsFuzzTest#rawConfig");
  }

  private static String readQuietly(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "";
    }
  }

  private static String waitForContent(Path file) throws IOException {
    E2e.await(() -> {
      try {
        return Files.size(file) > 0 && Files.readString(file).strip().endsWith("}");
      } catch (IOException e) {
        return false;
      }
    }, Duration.ofSeconds(30), file + " to be written");
    return Files.readString(file);
  }
}
