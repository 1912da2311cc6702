package dev.priorityqueues.worker;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.priorityqueues.common.AwsClients;
import dev.priorityqueues.common.InputDisposal;
import dev.priorityqueues.common.Log;
import dev.priorityqueues.common.Metrics;
import dev.priorityqueues.common.Priming;
import dev.priorityqueues.common.VideoStore;
import dev.priorityqueues.contract.EnvReader;
import dev.priorityqueues.contract.Functions;
import dev.priorityqueues.worker.processing.NativeCrypto;
import dev.priorityqueues.worker.processing.Processors;
import dev.priorityqueues.worker.processing.TranscodingProcessor;
import dev.priorityqueues.worker.processing.VideoProcessor;
import java.time.Clock;
import java.util.Map;
import org.joda.time.DateTime;

/**
 * SQS batches from every tier → videos processed in priority order. The event source mapping must
 * enable {@code ReportBatchItemFailures}. A thin adapter: the work is in {@link WorkerService}.
 */
public final class WorkerHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

  private final WorkerService service;
  @SuppressWarnings("unused") // CRaC holds resources weakly; this field keeps the hook alive.
  private final Priming priming;

  /** Used by the Lambda runtime. */
  public WorkerHandler() {
    this(System.getenv());
  }

  /** Used by the local cloud and tests: every setting comes from {@code env}. */
  public WorkerHandler(Map<String, String> env) {
    this(new EnvReader(env), Clock.systemUTC());
  }

  private WorkerHandler(EnvReader env, Clock clock) {
    this(service(env, new AwsClients(env), Log.create(Functions.WORKER.id(), env, Log.stdout(), clock),
        new Metrics(Functions.WORKER.id(), Log.stdout(), clock), clock));
  }

  /** Used by tests that wire the service themselves. */
  public WorkerHandler(WorkerService service) {
    this.service = service;
    this.priming = Priming.register(service.log(), () -> {
      service.prime();
      // The runtime's SQSEvent serializer binds the function's joda-time on the first invoke.
      DateTime.parse("2026-01-01T00:00:00Z");
    });
  }

  /** The service for a configuration map, with the processor {@code PQ_PROCESSOR} names. */
  public static WorkerService service(EnvReader env, AwsClients clients, Log log, Metrics metrics, Clock clock) {
    WorkerConfig config = WorkerConfig.from(env);
    VideoProcessor processor = Processors.fromSpec(config.processor(), config.bucket(), clients::s3,
        clients::presigner, env, clock);
    if (processor instanceof TranscodingProcessor) {
      // The layer that brings FFmpeg brings the native crypto provider for the uploads too.
      log.info("crypto provider", "provider", NativeCrypto.install());
    }
    return build(config, clients, processor, log, metrics, clock);
  }

  /** The service with a processor of the caller's choosing (tests record the order of jobs). */
  public static WorkerService service(EnvReader env, AwsClients clients, VideoProcessor processor, Log log,
      Metrics metrics, Clock clock) {
    return build(WorkerConfig.from(env), clients, processor, log, metrics, clock);
  }

  private static WorkerService build(WorkerConfig config, AwsClients clients, VideoProcessor processor, Log log,
      Metrics metrics, Clock clock) {
    return new WorkerService(config, clients.sqs(), new VideoStore(clients.dynamoDb(), config.videosTable(), config.privacy().recordRetention()),
        processor, config.eventBus().map(clients::events),
        java.util.Optional.of(new InputDisposal(clients::s3, config.bucket(), config.privacy().rejectedInputs())),
        log.with("flow", config.flow().id()), metrics, clock);
  }

  @Override
  public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
    return service.handle(event, context);
  }
}
