package dev.priorityqueues.local.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.priorityqueues.contract.Keys;
import dev.priorityqueues.contract.MessageAttributes;
import dev.priorityqueues.contract.Tables;
import dev.priorityqueues.contract.VideoStatus;
import dev.priorityqueues.infra.config.Settings;
import dev.priorityqueues.local.cloud.DeadLetters;
import dev.priorityqueues.local.cloud.LocalCloud;
import dev.priorityqueues.local.cloud.LocalStacks;
import dev.priorityqueues.local.cloud.Uploader;
import dev.priorityqueues.local.cloud.Videos;
import dev.priorityqueues.local.sdk.Caller;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * A fault-injection run with a nothing-lost accounting: real uploads through the real path on
 * the local cloud while {@link FaultPlan} breaks things, then a pass over every upload that
 * checks it finished exactly once or, if it was poisoned, is in a DLQ with its reason.
 */
public final class FaultRun {
  private FaultRun() {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[][] SAMPLES = {
    {"samples/sample.mp4", "video/mp4"}, {"samples/sample.mov", "video/quicktime"}, {"samples/sample.webm", "video/webm"},
  };

  /**
   * {@code workerTimeoutSeconds} sets the tier queues' visibility timeout (6×), which is how long a
   * crashed invocation's messages stay away: the run's tail.
   */
  public record Options(String stack, int uploads, long seed, FaultPlan.Rates rates, int clients, Duration settleTimeout,
      int workerTimeoutSeconds) {
    /** The command's timeout: room for a full batch of inspections on a loaded machine. */
    public static final int WORKER_TIMEOUT_SECONDS = 5;
  }

  /** The accounting of one run. Everything but the counts of faults must come out as the issue says. */
  public record Accounting(
      int uploads,
      int done,
      int completions,
      int resultObjects,
      long resultWrites,
      int poisonInjected,
      int poisonInDlqWithReason,
      int lost,
      int doubleEffects,
      Map<String, Long> faults,
      long duplicatedEvents,
      int eventsReplayed,
      int uploadRetries,
      List<String> problems,
      Duration took) {

    public boolean clean() {
      return lost == 0 && doubleEffects == 0 && poisonInDlqWithReason == poisonInjected && problems.isEmpty();
    }
  }

  public static Accounting run(Options options, IntConsumer uploaded, IntConsumer settled) throws Exception {
    long begin = System.nanoTime();
    // Short worker timeouts keep the visibility timeout (6×) short, so messages of failed
    // invocations come back within the run; zero backoff retries the rest at once. The run
    // accounts for deliveries, not codec work, and a 5 s timeout leaves no transcode budget:
    // the worker inspects.
    Settings settings = LocalStacks.settings(LocalStacks.projectDir(), options.stack(), Map.of(
        "workerTimeoutSeconds", Integer.toString(options.workerTimeoutSeconds()), "retryBackoffSeconds", "0",
        "workerProcessor", "inspect"));
    FaultPlan plan = new FaultPlan(options.seed(), options.rates());
    LocalCloud.Options cloudOptions =
        LocalStacks.options(options.stack(), settings).faults(plan).hook(plan).asyncRetryBase(Duration.ofMillis(100));
    try (LocalCloud cloud = LocalCloud.start(cloudOptions)) {
      cloud.bus().duplicate(options.rates().duplicateEvent(), plan::draw);
      List<String> users = seedUsers(cloud, settings);
      AtomicInteger retries = new AtomicInteger();
      List<String> keys = upload(cloud, options, users, retries, uploaded);
      int replayed = settle(cloud, keys, options.settleTimeout(), settled);
      return account(cloud, plan, keys, replayed, retries.get(), Duration.ofNanos(System.nanoTime() - begin));
    }
  }

  private static List<String> seedUsers(LocalCloud cloud, Settings settings) {
    List<String> users = new ArrayList<>();
    for (Settings.Tier tier : settings.tiers()) {
      for (String subscription : tier.subscriptions()) {
        for (int i = 0; i < 5; i++) {
          String id = subscription + "-" + i;
          users.add(id);
          cloud.dynamoDb().putItem(b -> b.tableName(cloud.output("usersTableName")).item(Map.of(
              Tables.Users.KEY, AttributeValue.fromS(id), Tables.Users.SUBSCRIPTION, AttributeValue.fromS(subscription))));
        }
      }
    }
    users.add("unregistered");
    return users;
  }

  /** Uploads like a real client: retries a presign or a PUT that failed with a server error. */
  private static List<String> upload(LocalCloud cloud, Options options, List<String> users, AtomicInteger retries,
      IntConsumer uploaded) throws Exception {
    Uploader uploader = new Uploader(URI.create(cloud.output("uploadEndpoint")));
    Map<String, byte[]> bytes = new HashMap<>();
    for (String[] sample : SAMPLES) {
      try (InputStream in = FaultRun.class.getClassLoader().getResourceAsStream(sample[0])) {
        bytes.put(sample[0], in.readAllBytes());
      }
    }
    ExecutorService pool = Executors.newFixedThreadPool(options.clients());
    List<Future<String>> futures = new ArrayList<>();
    AtomicInteger done = new AtomicInteger();
    // One token per user, as a client keeps its session: signing is the costly part of a token.
    Map<String, String> tokens = new HashMap<>();
    for (int i = 0; i < options.uploads(); i++) {
      String user = users.get(i % users.size());
      String[] sample = SAMPLES[i % SAMPLES.length];
      String token = tokens.computeIfAbsent(user, u -> cloud.identity().issue(u, Duration.ofHours(1)));
      String name = "fault-" + i + sample[0].substring(sample[0].lastIndexOf('.'));
      futures.add(pool.submit(() -> Caller.DRIVER.run(() -> {
        for (int attempt = 1; ; attempt++) {
          try {
            String key = uploader.upload(token, name, sample[1], bytes.get(sample[0]));
            uploaded.accept(done.incrementAndGet());
            return key;
          } catch (Uploader.UploadException e) {
            if (e.status() < 500 || attempt == 6) {
              throw e;
            }
            retries.incrementAndGet();
          }
        }
      })));
    }
    List<String> keys = new ArrayList<>();
    try {
      for (Future<String> future : futures) {
        keys.add(future.get());
      }
    } finally {
      pool.shutdown();
    }
    return keys;
  }

  /**
   * Waits until the pipeline is quiet. Events the router failed on after Lambda's retries sit in
   * the events DLQ with the event inside; they are replayed onto the bus, as an operator would.
   */
  private static int settle(LocalCloud cloud, List<String> keys, Duration timeout, IntConsumer settled) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    String table = cloud.output("videosTableName");
    Map<String, String> queues = cloud.output("queueUrls");
    String eventsDlq = cloud.output("eventsDlqUrl");
    Set<String> wanted = Set.copyOf(keys);
    int replayed = 0;
    int quietRounds = 0;
    while (System.nanoTime() < deadline) {
      Thread.sleep(1000);
      replayed += replayEvents(cloud, eventsDlq);
      long finished = Videos.all(cloud.dynamoDb(), table).stream()
          .filter(r -> wanted.contains(r.key()) && r.status() == VideoStatus.DONE).count();
      settled.accept((int) finished);
      boolean busy = cloud.bus().stats().pending() > 0 || queues.values().stream().anyMatch(url -> cloud.messagesIn(url) > 0)
          || cloud.messagesIn(eventsDlq) > 0;
      quietRounds = busy ? 0 : quietRounds + 1;
      if (quietRounds >= 3) {
        return replayed;
      }
    }
    throw new IllegalStateException("the pipeline was still busy after " + timeout);
  }

  private static int replayEvents(LocalCloud cloud, String eventsDlq) throws IOException {
    int replayed = 0;
    while (true) {
      List<Message> messages = cloud.sqs().receiveMessage(b -> b.queueUrl(eventsDlq).maxNumberOfMessages(10)).messages();
      if (messages.isEmpty()) {
        return replayed;
      }
      for (Message message : messages) {
        JsonNode record = JSON.readTree(message.body());
        // Lambda's on-failure record wraps the event; EventBridge's own DLQ holds the event itself.
        JsonNode event = record.has("requestPayload") ? record.get("requestPayload") : record;
        cloud.bus().put(event.toString());
        cloud.sqs().deleteMessage(b -> b.queueUrl(eventsDlq).receiptHandle(message.receiptHandle()));
        replayed++;
      }
    }
  }

  private static Accounting account(LocalCloud cloud, FaultPlan plan, List<String> keys, int replayed, int retries,
      Duration took) throws IOException {
    Map<String, Videos.Record> records = new HashMap<>();
    Videos.all(cloud.dynamoDb(), cloud.output("videosTableName")).forEach(r -> records.put(r.key(), r));
    Map<String, Integer> resultObjects = resultObjects(cloud);
    Map<String, String> poisonReasons = poisonInDlqs(cloud);
    Map<String, Long> writes = plan.resultWrites();
    Set<String> poisoned = plan.poisoned();
    int done = 0;
    int completions = 0;
    int objects = 0;
    int lost = 0;
    int doubles = 0;
    int poisonFound = 0;
    List<String> problems = new ArrayList<>();
    for (String key : keys) {
      Videos.Record record = records.get(key);
      if (poisoned.contains(key)) {
        String reason = poisonReasons.get(key);
        if (reason != null && !reason.isBlank()) {
          poisonFound++;
        } else {
          lost++;
          problems.add(key + ": poisoned, but not in a DLQ with a reason");
        }
        if (record != null && record.status() == VideoStatus.DONE) {
          problems.add(key + ": poisoned, yet DONE");
        }
        continue;
      }
      if (record == null || record.status() != VideoStatus.DONE) {
        lost++;
        problems.add(key + ": " + (record == null ? "no record" : record.status() + " " + record.reason()));
        continue;
      }
      done++;
      long c = record.completions() == null ? 0 : record.completions();
      int o = resultObjects.getOrDefault(key, 0);
      completions += (int) c;
      objects += o;
      if (c != 1 || o != 1) {
        doubles++;
        problems.add(key + ": " + c + " completions and " + o + " result objects");
      }
    }
    long resultWrites = writes.values().stream().mapToLong(Long::longValue).sum();
    return new Accounting(keys.size(), done, completions, objects, resultWrites, poisoned.size(), poisonFound, lost,
        doubles, plan.injected(), cloud.bus().stats().duplicated(), replayed, retries, problems, took);
  }

  /** Result objects under processed/, counted per upload key. */
  private static Map<String, Integer> resultObjects(LocalCloud cloud) {
    Map<String, Integer> counts = new HashMap<>();
    String token = null;
    do {
      String continuation = token;
      ListObjectsV2Response page = cloud.s3().listObjectsV2(b -> b.bucket(cloud.output("bucketName"))
          .prefix(Keys.PROCESSED_PREFIX).continuationToken(continuation));
      page.contents().forEach(o -> counts.merge(
          o.key().substring(Keys.PROCESSED_PREFIX.length()).replaceFirst("\\.json$", ""), 1, Integer::sum));
      token = page.isTruncated() ? page.nextContinuationToken() : null;
    } while (token != null);
    return counts;
  }

  /** The upload key named by each message in the tier DLQs, with the failure reason it carries. */
  private static Map<String, String> poisonInDlqs(LocalCloud cloud) {
    Map<String, String> reasons = new LinkedHashMap<>();
    Map<String, String> dlqs = cloud.output("dlqUrls");
    for (String url : dlqs.values()) {
      List<Message> all = DeadLetters.peek(cloud.sqs(), url, 10_000);
      for (Message message : all) {
        var matcher = java.util.regex.Pattern.compile("\"videoKey\":\"([^\"]+)\"").matcher(message.body());
        if (matcher.find()) {
          var reason = message.messageAttributes().get(MessageAttributes.FAILURE_REASON);
          reasons.merge(matcher.group(1), reason == null ? "" : reason.stringValue(), (a, b) -> a.isBlank() ? b : a);
        }
      }
    }
    return reasons;
  }
}
