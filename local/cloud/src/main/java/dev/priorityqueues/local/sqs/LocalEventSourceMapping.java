package dev.priorityqueues.local.sqs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.priorityqueues.local.lambda.InvocationOutcome;
import dev.priorityqueues.local.lambda.LocalFunction;
import dev.priorityqueues.local.sdk.Caller;
import dev.priorityqueues.local.servers.SqsLambdaEvent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * An SQS event source mapping, polled the way Lambda polls: long-poll receives, batches up to the
 * batch size within the batching window, as many concurrent batches as Lambda's scaling allows at
 * the moment ({@link MappingScaling}: a ramp from 5, or from the minimum pollers in provisioned
 * mode, never above maximumConcurrency), the SQS event shaped exactly
 * as Lambda delivers it, and then deletion of every message except those the function reports
 * in {@code batchItemFailures}. A failed invocation deletes nothing: the messages come back after
 * their visibility timeout and the queue's redrive policy applies.
 */
public final class LocalEventSourceMapping implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** How often the scaler starts the pollers the ramp has allowed since (real ms). */
  private static final long SCALER_TICK_MILLIS = 50;

  /** What the program declared. {@code maximumConcurrency} null means not set. */
  public record Spec(
      String uuid,
      String queueUrl,
      String queueArn,
      String function,
      int batchSize,
      int batchingWindowSeconds,
      Integer maximumConcurrency,
      boolean reportBatchItemFailures,
      boolean enabled,
      ProvisionedPollers provisionedPollers) {

    public Spec(String uuid, String queueUrl, String queueArn, String function, int batchSize,
        int batchingWindowSeconds, Integer maximumConcurrency, boolean reportBatchItemFailures, boolean enabled) {
      this(uuid, queueUrl, queueArn, function, batchSize, batchingWindowSeconds, maximumConcurrency,
          reportBatchItemFailures, enabled, null);
    }
  }

  /** The mapping's {@code provisionedPollerConfig}; null in a spec means on-demand mode. */
  public record ProvisionedPollers(int minimum, int maximum) {}

  private final Spec spec;
  private final LocalFunction function;
  private final SqsClient sqs;
  private final String region;
  private final MappingScaling scaling;
  private int spawned;
  private volatile boolean running;
  private Thread scaler;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private final AtomicLong batches = new AtomicLong();
  private final AtomicLong messages = new AtomicLong();
  private final AtomicLong deleted = new AtomicLong();
  private final AtomicLong itemFailures = new AtomicLong();
  private final AtomicLong failedInvocations = new AtomicLong();

  /**
   * @param functionLimit the most concurrent invocations the function can run (its reserved
   *     concurrency, or the account's); the mapping's ramp stops there
   * @param awsClock AWS time in nanoseconds, for the scaling ramp ({@link MappingScaling#scaledClock})
   */
  public LocalEventSourceMapping(
      Spec spec, LocalFunction function, SqsClient sqs, String region, int functionLimit, LongSupplier awsClock) {
    this.spec = Objects.requireNonNull(spec, "spec");
    this.function = Objects.requireNonNull(function, "function");
    this.sqs = Objects.requireNonNull(sqs, "sqs");
    this.region = region;
    ProvisionedPollers provisioned = spec.provisionedPollers();
    this.scaling = provisioned == null
        ? MappingScaling.onDemand(spec.maximumConcurrency(), functionLimit, awsClock)
        : MappingScaling.provisioned(provisioned.minimum(), provisioned.maximum(), functionLimit, awsClock);
  }

  /** A mapping whose ramp runs in real time. */
  public LocalEventSourceMapping(
      Spec spec, LocalFunction function, SqsClient sqs, String region, int functionLimit) {
    this(spec, function, sqs, region, functionLimit, MappingScaling.scaledClock(1.0));
  }

  /** The concurrency Lambda's scaling allows this mapping now. */
  public int allowedConcurrency() {
    return scaling.allowed();
  }

  public Spec spec() {
    return spec;
  }

  public synchronized void start() {
    if (running || !spec.enabled()) {
      return;
    }
    running = true;
    addPollers();
    // Lambda adds pollers while messages remain even when every poller is busy in a long
    // invocation; polls alone would start new ones only when some invocation returned.
    scaler = new Thread(this::scale, "esm-scaler-" + spec.function() + "-" + tail(spec.queueArn()));
    scaler.setDaemon(true);
    scaler.start();
  }

  private void scale() {
    while (running) {
      addPollers();
      sleep(SCALER_TICK_MILLIS);
    }
  }

  /** Pollers are threads started as the ramp first allows them; above the allowed level they wait. */
  private synchronized void addPollers() {
    int allowed = scaling.allowed();
    while (running && spawned < allowed) {
      int index = spawned++;
      Thread thread = new Thread(() -> poll(index), "esm-" + spec.function() + "-" + tail(spec.queueArn()) + "-" + index);
      thread.setDaemon(true);
      thread.start();
    }
  }

  private void poll(int index) {
    Caller.poller(spec.function())
        .run(
            () -> {
              while (running) {
                try {
                  if (index >= scaling.allowed()) {
                    sleep(50); // retired by a scale-down, or not yet reached by the ramp
                    continue;
                  }
                  List<Message> batch = collectBatch();
                  scaling.polled(!batch.isEmpty());
                  addPollers();
                  if (!batch.isEmpty() && running) {
                    process(batch);
                  }
                } catch (RuntimeException e) {
                  if (running) {
                    // Lambda's pollers back off on errors; so does this one.
                    sleep(200);
                  }
                }
              }
            });
  }

  private List<Message> collectBatch() {
    List<Message> batch = new ArrayList<>();
    long windowEnd = System.nanoTime() + spec.batchingWindowSeconds() * 1_000_000_000L;
    do {
      int want = Math.min(10, spec.batchSize() - batch.size());
      int waitSeconds =
          batch.isEmpty()
              ? 20
              : (int) Math.min(20, Math.max(0, (windowEnd - System.nanoTime()) / 1_000_000_000L));
      batch.addAll(
          sqs.receiveMessage(
                  b ->
                      b.queueUrl(spec.queueUrl())
                          .maxNumberOfMessages(want)
                          .waitTimeSeconds(waitSeconds)
                          .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                          .messageAttributeNames("All"))
              .messages());
    } while (running
        && !batch.isEmpty()
        && batch.size() < spec.batchSize()
        && spec.batchingWindowSeconds() > 0
        && System.nanoTime() < windowEnd);
    return batch;
  }

  private void process(List<Message> batch) {
    batches.incrementAndGet();
    messages.addAndGet(batch.size());
    int now = inFlight.incrementAndGet();
    maxInFlight.accumulateAndGet(now, Math::max);
    InvocationOutcome result;
    try {
      result = function.invoke(sqsEvent(batch));
    } finally {
      inFlight.decrementAndGet();
    }
    Set<String> failed = failedMessageIds(result, batch);
    List<Message> done = batch.stream().filter(m -> !failed.contains(m.messageId())).toList();
    itemFailures.addAndGet(failed.size());
    deleteAll(done);
  }

  /** Which messages stay on the queue, by Lambda's rules for partial batch responses. */
  private Set<String> failedMessageIds(InvocationOutcome result, List<Message> batch) {
    Set<String> all = new HashSet<>();
    batch.forEach(m -> all.add(m.messageId()));
    if (!result.ok()) {
      failedInvocations.incrementAndGet();
      return all;
    }
    if (!spec.reportBatchItemFailures()) {
      return Set.of();
    }
    try {
      JsonNode response = JSON.readTree(result.response() == null ? "null" : result.response());
      if (response == null || response.isNull() || response.isEmpty()) {
        return Set.of();
      }
      JsonNode failures = response.get("batchItemFailures");
      if (failures == null || failures.isNull()) {
        return Set.of();
      }
      Set<String> failed = new HashSet<>();
      for (JsonNode failure : failures) {
        JsonNode id = failure.get("itemIdentifier");
        // An empty or unknown identifier fails the whole batch, as in Lambda.
        if (id == null || !id.isTextual() || !all.contains(id.asText())) {
          return all;
        }
        failed.add(id.asText());
      }
      return failed;
    } catch (Exception e) {
      return all;
    }
  }

  private void deleteAll(List<Message> done) {
    for (int i = 0; i < done.size(); i += 10) {
      List<Message> chunk = done.subList(i, Math.min(done.size(), i + 10));
      List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
      for (int j = 0; j < chunk.size(); j++) {
        entries.add(
            DeleteMessageBatchRequestEntry.builder()
                .id(Integer.toString(j))
                .receiptHandle(chunk.get(j).receiptHandle())
                .build());
      }
      DeleteMessageBatchResponse response =
          sqs.deleteMessageBatch(b -> b.queueUrl(spec.queueUrl()).entries(entries));
      deleted.addAndGet(response.successful().size());
    }
  }

  /** The event Lambda passes to a function for an SQS batch. */
  String sqsEvent(List<Message> batch) {
    try {
      return JSON.writeValueAsString(SqsLambdaEvent.of(batch, spec.queueArn(), region));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the SQS event of " + spec.uuid() + " is not JSON: " + e.getMessage(), e);
    }
  }

  public record Stats(
      long batches, long messages, long deleted, long itemFailures, long failedInvocations, int maxInFlight) {}

  public Stats stats() {
    return new Stats(
        batches.get(), messages.get(), deleted.get(), itemFailures.get(), failedInvocations.get(), maxInFlight.get());
  }

  /**
   * Stops polling. Each poller ends after its current long poll and batch: interrupting it could
   * cut an invocation short between its side effects and its deletes.
   */
  @Override
  public synchronized void close() {
    running = false;
  }

  private static String tail(String arn) {
    return arn == null ? "?" : arn.substring(arn.lastIndexOf(':') + 1);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
