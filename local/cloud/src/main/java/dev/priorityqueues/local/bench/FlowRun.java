package dev.priorityqueues.local.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.priorityqueues.contract.Flow;
import dev.priorityqueues.contract.Job;
import dev.priorityqueues.contract.Keys;
import dev.priorityqueues.contract.Tables;
import dev.priorityqueues.contract.VideoStatus;
import dev.priorityqueues.infra.config.Settings;
import dev.priorityqueues.local.cloud.LocalCloud;
import dev.priorityqueues.local.cloud.LocalStacks;
import dev.priorityqueues.local.cloud.Videos;
import dev.priorityqueues.local.sdk.ApiCalls;
import dev.priorityqueues.local.sdk.Caller;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Replays one scenario's trace through one flow on a fresh local cloud and measures what every
 * job experienced. The driver stands where the router stands: it writes each video record as
 * QUEUED and sends the job to its tier's queue at the job's arrival time; from there on, the
 * deployed program — mappings, worker, flow — does the scheduling being measured.
 */
public final class FlowRun {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * How a run is set up. {@code fairQueues} sends each job with its user as the message group.
   * {@code timeScale} runs AWS time that many times faster than the machine's (the mappings'
   * scaling ramp); the scenario's own times must already be divided by it. {@code tuning} adds
   * stack settings (the time-scaled benchmark divides the flows' time constants with it).
   */
  public record Setup(
      Path projectDir, String stack, int slots, int serviceMillis, Duration attributeLag, boolean fairQueues,
      int lendTokens, double timeScale, Map<String, String> tuning) {

    public Setup {
      tuning = Map.copyOf(tuning);
    }

    public Setup(Path projectDir, String stack, int slots, int serviceMillis, Duration attributeLag, boolean fairQueues,
        int lendTokens) {
      this(projectDir, stack, slots, serviceMillis, attributeLag, fairQueues, lendTokens, 1.0, Map.of());
    }

    public Setup(Path projectDir, String stack, int slots, int serviceMillis, Duration attributeLag, boolean fairQueues) {
      this(projectDir, stack, slots, serviceMillis, attributeLag, fairQueues, 0);
    }

    /** The same setup with highest-first lending {@code tokens} capacity tokens (0: off). */
    public Setup withLendTokens(int tokens) {
      return new Setup(projectDir, stack, slots, serviceMillis, attributeLag, fairQueues, tokens, timeScale, tuning);
    }
  }

  /** What one job experienced; times in ms from the trace start. */
  public record JobResult(Arrival arrival, long arrivedMillis, long waitMillis, long serviceMillis, long finishedMillis, VideoStatus status) {}

  /** Everything measured in one run. */
  public record Result(
      String label,
      Flow flow,
      Scenario scenario,
      List<JobResult> jobs,
      Map<ApiCalls.Key, Long> calls,
      int dlqMessages,
      long makespanMillis,
      Map<String, Double> meanLatencyMillis,
      Duration wall,
      List<RunMonitor.Sample> allowedConcurrency,
      RunMonitor.Cpu cpu) {

    /** Calls by one kind of caller to one service ("Sqs", "DynamoDb", "S3"). */
    public long calls(dev.priorityqueues.local.sdk.Caller.Kind kind, String service) {
      return calls.entrySet().stream()
          .filter(e -> e.getKey().kind() == kind && e.getKey().service().equals(service))
          .mapToLong(Map.Entry::getValue)
          .sum();
    }
  }

  private FlowRun() {}

  public static Result run(String label, Scenario scenario, Flow flow, Setup setup, IntConsumer progress) {
    Settings settings = LocalStacks.settings(setup.projectDir(), setup.stack(), overrides(scenario, flow, setup));
    LocalCloud.Options options = LocalStacks.options(setup.stack(), settings).attributeLag(setup.attributeLag())
        .awsClock(dev.priorityqueues.local.sqs.MappingScaling.scaledClock(setup.timeScale()));
    long wallStart = System.nanoTime();
    try (LocalCloud cloud = LocalCloud.start(options)) {
      Map<String, String> queueUrls = cloud.output("queueUrls");
      Map<String, String> dlqUrls = cloud.output("dlqUrls");
      String videosTable = cloud.output("videosTableName");
      String bucket = cloud.output("bucketName");
      List<Arrival> arrivals = scenario.arrivals();
      Map<Integer, String> keys = new HashMap<>();
      for (Arrival a : arrivals) {
        keys.put(a.index(), Keys.UPLOADS_PREFIX + a.user() + "/bench-" + a.index() + ".mp4");
      }
      Map<Integer, String> jobIds = queueRecords(cloud, videosTable, arrivals, keys);
      cloud.calls().apiCalls().reset();

      Map<Integer, Instant> sentAt = new ConcurrentHashMap<>();
      ScheduledExecutorService driver = Executors.newScheduledThreadPool(8, r -> {
        Thread t = new Thread(r, "bench-driver");
        t.setDaemon(true);
        return t;
      });
      long traceStart = System.currentTimeMillis() + 200;
      RunMonitor monitor = new RunMonitor(cloud.mappings(), traceStart, 100);
      AtomicInteger sent = new AtomicInteger();
      for (Arrival arrival : arrivals) {
        long delay = traceStart + arrival.atMillis() - System.currentTimeMillis();
        driver.schedule(() -> {
          Instant now = Instant.now();
          Job job = new Job(jobIds.get(arrival.index()), bucket, keys.get(arrival.index()), arrival.user(), arrival.tier(), now);
          Caller.DRIVER.run(() -> cloud.sqs().sendMessage(b -> {
            b.queueUrl(queueUrls.get(arrival.tier())).messageBody(job.toJson());
            if (setup.fairQueues()) {
              b.messageGroupId(arrival.user());
            }
          }));
          sentAt.put(arrival.index(), now);
          sent.incrementAndGet();
        }, Math.max(0, delay), TimeUnit.MILLISECONDS);
      }
      awaitDrained(cloud, videosTable, queueUrls, arrivals.size(), sent, progress);
      driver.shutdownNow();
      RunMonitor.Cpu cpu = monitor.cpu();
      Map<ApiCalls.Key, Long> calls = cloud.calls().apiCalls().snapshot();
      Map<String, Double> latency = cloud.calls().apiCalls().meanLatencyMillis();

      Map<String, Videos.Record> records = new HashMap<>();
      Videos.all(cloud.dynamoDb(), videosTable).forEach(r -> records.put(r.key(), r));
      List<JobResult> jobs = new ArrayList<>();
      long makespan = 0;
      for (Arrival arrival : arrivals) {
        Videos.Record record = records.get(keys.get(arrival.index()));
        long arrived = sentAt.get(arrival.index()).toEpochMilli() - traceStart;
        boolean done = record != null && record.startedAt() != null && record.finishedAt() != null;
        long started = done ? record.startedAt() - traceStart : -1;
        long finished = done ? record.finishedAt() - traceStart : -1;
        makespan = Math.max(makespan, finished);
        jobs.add(new JobResult(arrival, arrived, done ? started - arrived : -1, done ? finished - started : -1, finished,
            record == null ? VideoStatus.QUEUED : record.status()));
      }
      int dlq = 0;
      for (String url : dlqUrls.values()) {
        dlq += cloud.messagesIn(url);
      }
      return new Result(label, flow, scenario, jobs, calls, dlq, makespan, latency, Duration.ofNanos(System.nanoTime() - wallStart),
          monitor.samples(), cpu);
    }
  }

  /** The stack's config with the scenario's tiers and the run's flow, slots and service time. */
  static Map<String, String> overrides(Scenario scenario, Flow flow, Setup setup) {
    List<Map<String, Object>> tiers = new ArrayList<>();
    for (Scenario.TierSpec tier : scenario.tiers()) {
      Map<String, Object> t = new LinkedHashMap<>();
      t.put("name", tier.name());
      t.put("subscriptions", List.of(tier.subscription()));
      if (tier.provisioned()) {
        t.put("provisionedPollers", Map.of("min", tier.minPollers(), "max", tier.maxConcurrency() / 10));
      } else {
        t.put("maxConcurrency", tier.maxConcurrency());
      }
      t.put("maxReceiveCount", 5);
      t.put("batchSize", 1);
      t.put("batchingWindowSeconds", 0);
      tiers.add(t);
    }
    Map<String, String> overrides = new LinkedHashMap<>();
    try {
      overrides.put("tiers", JSON.writeValueAsString(tiers));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    overrides.put("defaultTier", scenario.tiers().get(scenario.tiers().size() - 1).name());
    overrides.put("flow", flow.id());
    overrides.put("workerReservedConcurrency", Integer.toString(setup.slots()));
    overrides.put("accountConcurrency", Integer.toString(Math.max(1000, setup.slots() + 100)));
    overrides.put("workerProcessor", "simulated:" + setup.serviceMillis());
    // Message groups only when this run measures fair queues: the router and the emulation agree.
    overrides.put("fairQueues", Boolean.toString(setup.fairQueues()));
    overrides.put("lendTokens", Integer.toString(setup.lendTokens()));
    overrides.putAll(setup.tuning());
    return overrides;
  }

  /** Writes every job's record as the router would have: QUEUED, sent, with its job id and tier. */
  private static Map<Integer, String> queueRecords(
      LocalCloud cloud, String table, List<Arrival> arrivals, Map<Integer, String> keys) {
    Map<Integer, String> jobIds = new HashMap<>();
    List<WriteRequest> batch = new ArrayList<>();
    long now = System.currentTimeMillis();
    for (Arrival arrival : arrivals) {
      String jobId = UUID.randomUUID().toString();
      jobIds.put(arrival.index(), jobId);
      Map<String, AttributeValue> item = new HashMap<>();
      item.put(Tables.Videos.KEY, AttributeValue.fromS(keys.get(arrival.index())));
      item.put(Tables.Videos.USER_ID, AttributeValue.fromS(arrival.user()));
      item.put(Tables.Videos.STATUS, AttributeValue.fromS(VideoStatus.QUEUED.name()));
      item.put(Tables.Videos.TIER, AttributeValue.fromS(arrival.tier()));
      item.put(Tables.Videos.JOB_ID, AttributeValue.fromS(jobId));
      item.put(Tables.Videos.QUEUED_AT, AttributeValue.fromN(Long.toString(now)));
      item.put(Tables.Videos.SENT_AT, AttributeValue.fromN(Long.toString(now)));
      batch.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
      if (batch.size() == 25) {
        write(cloud, table, batch);
        batch = new ArrayList<>();
      }
    }
    if (!batch.isEmpty()) {
      write(cloud, table, batch);
    }
    return jobIds;
  }

  private static void write(LocalCloud cloud, String table, List<WriteRequest> batch) {
    Map<String, List<WriteRequest>> pending = Map.of(table, batch);
    while (!pending.isEmpty()) {
      Map<String, List<WriteRequest>> request = pending;
      pending = cloud.dynamoDb().batchWriteItem(b -> b.requestItems(request)).unprocessedItems();
    }
  }

  private static void awaitDrained(
      LocalCloud cloud, String table, Map<String, String> queueUrls, int jobs, AtomicInteger sent, IntConsumer progress) {
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    while (System.nanoTime() < deadline) {
      sleep(500);
      int inQueues = 0;
      for (String url : queueUrls.values()) {
        inQueues += cloud.messagesIn(url);
      }
      int finished = Math.max(0, sent.get() - inQueues);
      progress.accept(finished);
      if (sent.get() == jobs && inQueues == 0) {
        long terminal = Videos.all(cloud.dynamoDb(), table).stream()
            .filter(r -> r.status().terminal() || r.status() == VideoStatus.DEAD_LETTERED).count();
        if (terminal >= jobs) {
          progress.accept(jobs);
          return;
        }
      }
    }
    throw new IllegalStateException("the run did not drain within 10 minutes");
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
