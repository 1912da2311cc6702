package dev.priorityqueues.local.cli;

import dev.priorityqueues.contract.Tables;
import dev.priorityqueues.contract.VideoStatus;
import dev.priorityqueues.infra.config.Settings;
import dev.priorityqueues.local.bench.BenchReport;
import dev.priorityqueues.local.bench.Percentiles;
import dev.priorityqueues.local.cloud.LocalCloud;
import dev.priorityqueues.local.cloud.LocalStacks;
import dev.priorityqueues.local.cloud.Uploader;
import dev.priorityqueues.local.cloud.Videos;
import dev.priorityqueues.worker.processing.TranscodingProcessor;
import dev.priorityqueues.local.lambda.LocalFunction;
import dev.priorityqueues.local.sdk.Caller;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@code ./pq demo}: the whole system on one machine. Deploys the dev stack onto the local
 * cloud, seeds users of every subscription, uploads real videos through the presigned-URL API,
 * waits for the pipeline and reports per tier.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Deploy a stack locally, upload real videos through the API, and report how each tier was served.")
public final class DemoCommand implements Callable<Integer> {

  /** Sample files shipped with the local cloud: real containers, and one file that only claims to be one. */
  private record Sample(String resource, String contentType) {}

  private static final List<Sample> VIDEOS = List.of(
      new Sample("samples/sample.mp4", "video/mp4"),
      new Sample("samples/sample.mov", "video/quicktime"),
      new Sample("samples/sample.webm", "video/webm"));
  private static final Sample NOT_A_VIDEO = new Sample("samples/not-a-video.mp4", "video/mp4");

  @Option(names = "--stack", defaultValue = "dev", description = "Stack file to deploy (default: ${DEFAULT-VALUE}).")
  String stack;

  @Option(names = "--videos", defaultValue = "60", description = "How many videos to upload, 1 to 2000 (default: ${DEFAULT-VALUE}).")
  int videos;

  @Option(names = "--users", defaultValue = "3", description = "Users per subscription level, 1 to 50 (default: ${DEFAULT-VALUE}).")
  int usersPerSubscription;

  @Option(names = "--timeout", defaultValue = "90", description = "Seconds to wait for the pipeline (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Console.requireRange(spec, "--videos", videos, 1, 2000);
    Console.requireRange(spec, "--users", usersPerSubscription, 1, 50);
    Console.requireRange(spec, "--timeout", timeoutSeconds, 5, 3600, "seconds");
    PrintStream console = Console.quietFunctions(Path.of("local/cloud/work/demo-functions.log"));
    Path projectDir = LocalStacks.projectDir();
    Settings settings = LocalStacks.settings(projectDir, stack, Map.of());
    console.println("Starting ElasticMQ, DynamoDB Local and S3Proxy, and deploying Pulumi." + stack + ".yaml through Pulumi's mocks ...");
    try (LocalCloud cloud = LocalCloud.start(LocalStacks.options(stack, settings))) {
      StackPrinter.startTimes(console, cloud);
      StackPrinter.outputs(console, cloud);
      StackPrinter.resources(console, cloud);

      List<User> users = seedUsers(cloud, settings);
      console.printf("%nSeeded %d users: %s%n", users.size(), describe(users));

      cloud.calls().apiCalls().reset();
      List<String> keys = upload(console, cloud, users);
      List<Videos.Record> records = await(console, cloud, keys);
      report(console, cloud, settings, records);
      return records.stream().allMatch(Videos.Record::terminal) ? 0 : 1;
    }
  }

  /** A demo user: who they are, their subscription (null: not in the users table) and expected tier. */
  private record User(String id, String subscription, String tier) {}

  private List<User> seedUsers(LocalCloud cloud, Settings settings) {
    String table = cloud.output("usersTableName");
    List<User> users = new ArrayList<>();
    for (Settings.Tier tier : settings.tiers()) {
      for (String subscription : tier.subscriptions()) {
        for (int i = 1; i <= usersPerSubscription; i++) {
          String id = subscription + "-user-" + i;
          users.add(new User(id, subscription, tier.name()));
          cloud.dynamoDb().putItem(b -> b.tableName(table).item(Map.of(
              Tables.Users.KEY, AttributeValue.fromS(id), Tables.Users.SUBSCRIPTION, AttributeValue.fromS(subscription))));
        }
      }
    }
    users.add(new User("unregistered-user", null, settings.defaultTier()));
    return users;
  }

  private static String describe(List<User> users) {
    Map<String, List<String>> byTier = new LinkedHashMap<>();
    users.forEach(u -> byTier.computeIfAbsent(u.tier(), t -> new ArrayList<>())
        .add(u.subscription() == null ? "no record" : u.subscription()));
    StringBuilder text = new StringBuilder();
    byTier.forEach((tier, subs) -> text.append(tier).append(" ← ").append(subs.stream().distinct().toList()).append("; "));
    return text.substring(0, text.length() - 2);
  }

  /** Uploads through the real path: token → POST /uploads → presigned PUT. Lower tiers go first. */
  private List<String> upload(PrintStream console, LocalCloud cloud, List<User> users) throws Exception {
    Uploader uploader = new Uploader(URI.create(cloud.output("uploadEndpoint")));
    Map<String, byte[]> bytes = new HashMap<>();
    for (Sample sample : VIDEOS) {
      bytes.put(sample.resource(), read(sample.resource()));
    }
    bytes.put(NOT_A_VIDEO.resource(), read(NOT_A_VIDEO.resource()));
    // Lowest tier first, so higher tiers arrive on top of a backlog and must overtake it.
    List<User> order = new ArrayList<>(users);
    order.sort((a, b) -> Integer.compare(rank(cloud, b.tier()), rank(cloud, a.tier())));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<String>> uploads = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    try (ProgressBar bar = Console.bar(console, "Uploading", 10, videos)) {
      for (int i = 0; i < videos; i++) {
        User user = order.get(i * order.size() / videos);
        Sample sample = i == videos / 2 ? NOT_A_VIDEO : VIDEOS.get(i % VIDEOS.size());
        String token = cloud.identity().issue(user.id(), Duration.ofMinutes(15));
        String fileName = "demo-" + i + sample.resource().substring(sample.resource().lastIndexOf('.'));
        uploads.add(pool.submit(() -> {
          String key = uploadWithinQuota(uploader, token, fileName, sample.contentType(), bytes.get(sample.resource()));
          bar.step();
          return key;
        }));
      }
      for (Future<String> upload : uploads) {
        keys.add(upload.get());
      }
    } finally {
      pool.shutdown();
    }
    return keys;
  }

  /**
   * Uploads as a well-behaved client does: a 429 (the user's uploads in flight are at the stack's
   * quota) is retried once videos have had time to finish, so a large demo uploads as the
   * pipeline drains instead of failing.
   */
  private static String uploadWithinQuota(Uploader uploader, String token, String fileName, String contentType,
      byte[] bytes) throws InterruptedException {
    while (true) {
      try {
        return Caller.DRIVER.run(() -> uploader.upload(token, fileName, contentType, bytes));
      } catch (Uploader.UploadException e) {
        if (e.status() != 429) {
          throw e;
        }
        Thread.sleep(500);
      }
    }
  }

  private List<Videos.Record> await(PrintStream console, LocalCloud cloud, List<String> keys) throws InterruptedException {
    String table = cloud.output("videosTableName");
    long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
    List<Videos.Record> records;
    try (ProgressBar bar = Console.bar(console, "Processing", 10, keys.size())) {
      while (true) {
        Map<String, Videos.Record> byKey = new HashMap<>();
        Videos.all(cloud.dynamoDb(), table).forEach(r -> byKey.put(r.key(), r));
        records = keys.stream().map(byKey::get).filter(java.util.Objects::nonNull).toList();
        long finished = records.stream().filter(Videos.Record::terminal).count();
        bar.stepTo(finished);
        if (finished == keys.size() || System.nanoTime() > deadline) {
          break;
        }
        Thread.sleep(250);
      }
    }
    return records;
  }

  private void report(PrintStream console, LocalCloud cloud, Settings settings, List<Videos.Record> records) {
    Map<String, String> dlqUrls = cloud.output("dlqUrls");
    console.printf("%n%-10s %7s %6s %7s %10s %10s %10s %5s%n", "TIER", "VIDEOS", "DONE", "FAILED", "P50 WAIT", "P95 WAIT", "MAX WAIT", "DLQ");
    for (Settings.Tier tier : settings.tiers()) {
      List<Videos.Record> inTier = records.stream().filter(r -> tier.name().equals(r.tier())).toList();
      Percentiles waits = new Percentiles(inTier.stream().filter(r -> r.queueWaitMillis() != null)
          .mapToDouble(Videos.Record::queueWaitMillis).toArray());
      console.printf(Locale.ROOT, "%-10s %7d %6d %7d %10s %10s %10s %5d%n", tier.name(), inTier.size(),
          inTier.stream().filter(r -> r.status() == VideoStatus.DONE).count(),
          inTier.stream().filter(r -> r.status() == VideoStatus.FAILED).count(),
          BenchReport.ms(waits.at(50)), BenchReport.ms(waits.at(95)), BenchReport.ms(waits.max()), dlqDepth(cloud, dlqUrls.get(tier.name())));
    }
    records.stream().filter(r -> r.status() != VideoStatus.DONE).forEach(r ->
        console.printf("  %s %s: %s%n", r.key(), r.status(), r.reason() == null ? "(no reason recorded)" : r.reason()));
    long unfinished = records.stream().filter(r -> !r.terminal()).count();
    console.printf(Locale.ROOT, "%n%d uploads, %d finished, %d still in flight. Cloud API calls per upload: %.1f (handlers and pollers).%n",
        records.size(), records.size() - unfinished, unfinished, cloud.calls().apiCalls().cloudCalls(null) / (double) Math.max(1, records.size()));
    callsPerUpload(console, cloud.calls().apiCalls(), records.size());
    MinimalCalls.compare(console, cloud.calls().apiCalls(), records, MinimalCalls.deployed(cloud.functions()));
    for (LocalFunction function : cloud.functions()) {
      console.printf("  %-28s %5d invocations, %3d errors, %2d execution environments%n",
          function.name(), function.invocations(), function.errors(), function.environments());
    }
    cloud.iam().ifPresent(iam -> console.printf("  IAM: %d calls denied%n", iam.denials().size()));
    console.println("\nFunction logs (structured JSON): local/cloud/work/demo-functions.log");
    contactSheet(console, cloud, records);
  }

  /** Each function's calls (a mapping's polls counted with its function) per upload, by operation. */
  static void callsPerUpload(PrintStream console, dev.priorityqueues.local.sdk.ApiCalls calls, int uploads) {
    Map<String, Long> byCall = new java.util.TreeMap<>();
    calls.snapshot().forEach((key, count) -> {
      if (key.kind() != dev.priorityqueues.local.sdk.Caller.Kind.DRIVER) {
        String who = key.function() + (key.kind() == dev.priorityqueues.local.sdk.Caller.Kind.POLLER ? " (mapping)" : "");
        byCall.merge(who + " " + key.service() + "." + key.operation(), count, Long::sum);
      }
    });
    byCall.forEach((call, count) -> console.printf(Locale.ROOT, "    %-60s %6.2f%n", call, count / (double) Math.max(1, uploads)));
  }

  /** Every DONE video's thumbnail on one sheet, labelled with its tier and wait; named last. */
  private static void contactSheet(PrintStream console, LocalCloud cloud, List<Videos.Record> records) {
    List<ContactSheet.Tile> tiles = new ArrayList<>();
    for (Videos.Record record : records) {
      if (record.status() != VideoStatus.DONE) {
        continue;
      }
      String key = TranscodingProcessor.outputKey(record.key(), TranscodingProcessor.THUMBNAIL_NAME);
      try {
        byte[] jpeg = cloud.s3().getObjectAsBytes(b -> b.bucket(cloud.output("bucketName")).key(key)).asByteArray();
        tiles.add(new ContactSheet.Tile(jpeg, record.tier(),
            record.queueWaitMillis() == null ? 0 : record.queueWaitMillis()));
      } catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException e) {
        // Not transcoded (workerProcessor inspect or simulated): no thumbnail to show.
      }
    }
    if (tiles.isEmpty()) {
      console.println("No thumbnails (the worker does not transcode in this stack), so no contact sheet.");
      return;
    }
    Path sheet = ContactSheet.write(tiles, Path.of("local/cloud/work/demo-contact-sheet.png"));
    console.println("Contact sheet of " + tiles.size() + " thumbnails (tier · queue wait): " + sheet);
  }

  private static int dlqDepth(LocalCloud cloud, String url) {
    if (url == null) {
      return 0;
    }
    return cloud.messagesIn(url);
  }

  private static int rank(LocalCloud cloud, String tier) {
    List<String> order = cloud.output("tierOrder");
    return order.indexOf(tier);
  }

  private static byte[] read(String resource) throws IOException {
    try (InputStream in = DemoCommand.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("sample " + resource + " is missing from the local cloud's resources");
      }
      return in.readAllBytes();
    }
  }
}
