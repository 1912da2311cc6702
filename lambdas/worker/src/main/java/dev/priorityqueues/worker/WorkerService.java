package dev.priorityqueues.worker;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.priorityqueues.common.Log;
import dev.priorityqueues.common.Metrics;
import dev.priorityqueues.common.VideoStore;
import dev.priorityqueues.contract.Job;
import dev.priorityqueues.contract.Keys;
import dev.priorityqueues.contract.TierTable;
import dev.priorityqueues.contract.TierTable.Tier;
import dev.priorityqueues.worker.flow.Announcer;
import dev.priorityqueues.worker.flow.BacklogMonitor;
import dev.priorityqueues.worker.flow.ConsumerLevelFlow;
import dev.priorityqueues.worker.flow.Delivery;
import dev.priorityqueues.worker.flow.HighestFirstFlow;
import dev.priorityqueues.worker.flow.Invocation;
import dev.priorityqueues.worker.flow.JobRunner;
import dev.priorityqueues.worker.flow.JobTimer;
import dev.priorityqueues.worker.flow.PriorityFlow;
import dev.priorityqueues.worker.flow.QueueLevelFlow;
import dev.priorityqueues.worker.flow.Queues;
import dev.priorityqueues.worker.flow.Settlement;
import dev.priorityqueues.worker.processing.VideoProcessor;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * SQS batches from every tier's queue → jobs, in the order the configured flow gives, with a
 * partial batch response: only the messages that must come back are reported failed. One
 * message never fails another, and the handler never throws for a message's sake.
 */
public final class WorkerService {

  private final TierTable tiers;
  private final PriorityFlow flow;
  private final Queues queues;
  private final VideoStore videos;
  private final VideoProcessor processor;
  private final Log log;
  private final Metrics metrics;
  private final Clock clock;

  WorkerService(WorkerConfig config, SqsClient sqs, VideoStore videos, VideoProcessor processor, Log log,
      Metrics metrics, Clock clock) {
    this(config, sqs, videos, processor, java.util.Optional.empty(), java.util.Optional.empty(), log, metrics, clock);
  }

  WorkerService(WorkerConfig config, SqsClient sqs, VideoStore videos, VideoProcessor processor,
      java.util.Optional<dev.priorityqueues.common.EventPublisher> events,
      java.util.Optional<dev.priorityqueues.common.InputDisposal> inputs, Log log, Metrics metrics, Clock clock) {
    this.tiers = config.tiers();
    this.queues = new Queues(sqs);
    this.videos = videos;
    this.processor = processor;
    this.log = log;
    this.metrics = metrics;
    this.clock = clock;
    JobRunner runner = new JobRunner(videos, processor, queues, new JobTimer(processor.expectedMillis()),
        config.retryBackoffSeconds(), clock, new Announcer(videos, events, clock), inputs);
    this.flow = switch (config.flow()) {
      case QUEUE_LEVEL -> new QueueLevelFlow(runner);
      case CONSUMER_LEVEL -> new ConsumerLevelFlow(runner, queues,
          new BacklogMonitor(queues, config.backlogCacheMillis(), config.backlogHoldMillis(), clock),
          tiers, config.maxDeferrals(), config.deferDelaySeconds());
      case HIGHEST_FIRST -> new HighestFirstFlow(runner, queues, tiers, config.stealBudget(), config.drain(),
          config.backlogCacheMillis(), clock, config.lendTokens());
    };
  }

  Log log() {
    return log;
  }

  public SQSBatchResponse handle(SQSEvent event, Context context) {
    Log requestLog = log.with("requestId", context == null ? null : context.getAwsRequestId());
    Metrics.Recorder counts = metrics.recorder();
    Invocation invocation = new Invocation(requestLog, counts,
        () -> context == null ? Long.MAX_VALUE / 2 : context.getRemainingTimeInMillis());
    Map<Queues.Call, Long> callsBefore = queues.calls();
    List<String> failures = new ArrayList<>();
    List<Delivery> batch = new ArrayList<>();
    List<SQSEvent.SQSMessage> records = event == null || event.getRecords() == null ? List.of() : event.getRecords();
    for (SQSEvent.SQSMessage message : records) {
      Optional<Tier> tier = tiers.byQueueArn(message.getEventSourceArn());
      if (tier.isEmpty()) {
        requestLog.error("message from a queue that is not in PQ_TIERS; the mapping and the tier table disagree", null,
            "messageId", message.getMessageId(), "eventSourceARN", message.getEventSourceArn());
        failures.add(message.getMessageId());
      } else {
        batch.add(Delivery.fromEvent(message, tier.get()));
      }
    }
    Settlement settlement = new Settlement(queues, requestLog);
    try {
      flow.run(batch, invocation, settlement);
    } catch (RuntimeException e) {
      requestLog.error("the flow stopped early; unsettled messages are reported failed", e);
    } finally {
      settlement.flush();
      counts.flush();
    }
    failures.addAll(settlement.failures(batch));
    requestLog.info("batch done", "records", records.size(), "failed", failures.size(),
        "sqsCalls", difference(callsBefore, queues.calls()), "remainingMillis", invocation.remainingMillis());
    return new SQSBatchResponse(failures.stream().map(SQSBatchResponse.BatchItemFailure::new).toList());
  }

  /** Warms the paths every job takes; reads only. */
  void prime() {
    videos.prime();
    queues.visibleMessages(tiers.highest());
    processor.prime();
    Job.fromJson(new Job("prime", "prime", Keys.PRIME_VIDEO_KEY, Keys.PRIME, tiers.highest().name(),
        clock.instant()).toJson());
  }

  private static Map<String, Long> difference(Map<Queues.Call, Long> before, Map<Queues.Call, Long> after) {
    Map<String, Long> out = new LinkedHashMap<>();
    after.forEach((call, count) -> {
      long made = count - before.getOrDefault(call, 0L);
      if (made > 0) {
        out.put(call.name(), made);
      }
    });
    return out;
  }
}
