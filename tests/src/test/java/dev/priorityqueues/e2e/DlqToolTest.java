package dev.priorityqueues.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.priorityqueues.contract.Job;
import dev.priorityqueues.contract.MessageAttributes;
import dev.priorityqueues.contract.Tables;
import dev.priorityqueues.contract.VideoStatus;
import dev.priorityqueues.local.cli.Main;
import dev.priorityqueues.local.cli.UpCommand;
import dev.priorityqueues.local.cloud.LocalCloud;
import dev.priorityqueues.local.cloud.Videos;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** The operator's DLQ tool against a running local cloud, as `./pq dlq ... --local` would use it. */
class DlqToolTest {

  @TempDir static Path dir;
  private static LocalCloud cloud;
  private static Path stackFile;

  @BeforeAll
  static void start() throws Exception {
    cloud = E2e.start(Map.of(), UnaryOperator.identity());
    stackFile = dir.resolve("local-stack.json");
    UpCommand.describe(cloud, stackFile);
  }

  @AfterAll
  static void stop() {
    cloud.close();
  }

  /** Runs `pq dlq <args> --local` with the given standard input; returns the exit code and output. */
  private static Result dlq(String stdin, String... args) {
    StringWriter out = new StringWriter();
    InputStream previous = System.in;
    System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
    try {
      String[] all = new String[args.length + 3];
      all[0] = "dlq";
      System.arraycopy(args, 0, all, 1, args.length);
      all[args.length + 1] = "--local";
      all[args.length + 2] = "--local-stack=" + stackFile;
      int code = new CommandLine(new Main()).setOut(new PrintWriter(out)).setErr(new PrintWriter(out)).execute(all);
      return new Result(code, out.toString());
    } finally {
      System.setIn(previous);
    }
  }

  private record Result(int code, String output) {}

  private static int depth(String tier) {
    Map<String, String> dlqs = cloud.output("dlqUrls");
    return Integer.parseInt(cloud.sqs().getQueueAttributes(b -> b.queueUrl(dlqs.get(tier))
        .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributesAsStrings().get("ApproximateNumberOfMessages"));
  }

  /** A video whose job the worker gave up on: its record says DEAD_LETTERED, its message waits in the DLQ. */
  private static String deadLetteredVideo() {
    String key = "uploads/dlq-user/" + UUID.randomUUID() + ".mp4";
    String jobId = UUID.randomUUID().toString();
    cloud.dynamoDb().putItem(b -> b.tableName(cloud.output("videosTableName")).item(Map.of(
        Tables.Videos.KEY, AttributeValue.fromS(key),
        Tables.Videos.USER_ID, AttributeValue.fromS("dlq-user"),
        Tables.Videos.STATUS, AttributeValue.fromS(VideoStatus.DEAD_LETTERED.name()),
        Tables.Videos.TIER, AttributeValue.fromS("regular"),
        Tables.Videos.JOB_ID, AttributeValue.fromS(jobId),
        Tables.Videos.REASON, AttributeValue.fromS("S3 was unavailable"))));
    cloud.s3().putObject(b -> b.bucket(cloud.output("bucketName")).key(key), RequestBody.fromBytes(E2e.sample("sample.mp4")));
    Job job = new Job(jobId, cloud.output("bucketName"), key, "dlq-user", "regular", Instant.now());
    Map<String, String> dlqs = cloud.output("dlqUrls");
    cloud.sqs().sendMessage(b -> b.queueUrl(dlqs.get("regular")).messageBody(job.toJson()).messageAttributes(Map.of(
        MessageAttributes.FAILURE_REASON, MessageAttributeValue.builder().dataType("String").stringValue("S3 was unavailable").build(),
        MessageAttributes.RECEIVE_COUNT, MessageAttributeValue.builder().dataType("Number").stringValue("5").build())));
    return key;
  }

  @Test
  void theStackFileHoldsThisRunsKeysAndOnlyItsOwnerCanReadIt() throws Exception {
    assertThat(java.nio.file.Files.getPosixFilePermissions(stackFile))
        .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    assertThat(java.nio.file.Files.readString(stackFile)).contains(cloud.aws().clientEnvironment().get("AWS_SECRET_ACCESS_KEY"));
    UpCommand.describe(cloud, stackFile);
    assertThat(java.nio.file.Files.getPosixFilePermissions(stackFile)).as("rewritten")
        .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
  }

  @Test
  void listsPeeksWithoutConsumingAndRedrivesBackToTheTier() {
    String key = deadLetteredVideo();

    Result list = dlq("", "list");
    assertThat(list.code()).isZero();
    assertThat(list.output()).containsPattern("regular\\s+1\\s+0");

    Result peek = dlq("", "peek", "regular");
    assertThat(peek.code()).isZero();
    assertThat(peek.output()).contains("1 message(s) in the regular DLQ").contains("reason    S3 was unavailable")
        .contains("received  5 time(s)").contains(key);
    assertThat(depth("regular")).as("peeking consumes nothing").isEqualTo(1);

    Result dryRun = dlq("", "redrive", "regular", "--dry-run");
    assertThat(dryRun.output()).contains("Dry run: 1 message(s) would move").contains("Nothing was moved");
    assertThat(depth("regular")).isEqualTo(1);

    Result redrive = dlq("", "redrive", "regular");
    assertThat(redrive.code()).as(redrive.output()).isZero();
    assertThat(redrive.output()).contains("COMPLETED: 1 moved (1 were waiting)");
    Videos.Record record = E2e.awaitTerminal(cloud, key, Duration.ofSeconds(30));
    assertThat(record.status()).isEqualTo(VideoStatus.DONE);
    assertThat(depth("regular")).isZero();
  }

  @Test
  void purgesOnlyAfterConfirmation() {
    Map<String, String> dlqs = cloud.output("dlqUrls");
    cloud.sqs().sendMessage(b -> b.queueUrl(dlqs.get("premium")).messageBody("garbage"));

    Result refused = dlq("no\n", "purge", "premium");
    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.output()).contains("Not confirmed: nothing was purged.");
    assertThat(depth("premium")).isEqualTo(1);

    Result confirmed = dlq("premium\n", "purge", "premium");
    assertThat(confirmed.code()).isZero();
    assertThat(confirmed.output()).contains("Purged the premium DLQ (1 message(s)).");
    E2e.await(() -> depth("premium") == 0, Duration.ofSeconds(5), "the purge");
  }

  @Test
  void refusesAnUnknownTierAndAMissingTarget() {
    Result unknown = dlq("", "peek", "gold");
    assertThat(unknown.code()).isEqualTo(1);
    assertThat(unknown.output()).contains("no tier 'gold'; tiers are [premium, regular]");

    StringWriter out = new StringWriter();
    int code = new CommandLine(new Main()).setOut(new PrintWriter(out)).setErr(new PrintWriter(out)).execute("dlq", "list");
    assertThat(code).isEqualTo(1);
    assertThat(out.toString()).contains("name exactly one target: --outputs FILE, --stack NAME or --local");
  }
}
