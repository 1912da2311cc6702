package dev.priorityqueues.infra;

import com.pulumi.Context;
import com.pulumi.core.Output;
import com.pulumi.aws.AwsFunctions;
import com.pulumi.aws.outputs.GetCallerIdentityResult;
import com.pulumi.aws.outputs.GetPartitionResult;
import com.pulumi.aws.outputs.GetRegionResult;
import dev.priorityqueues.contract.CompletionEvents;
import dev.priorityqueues.contract.Flow;
import dev.priorityqueues.contract.Functions;
import dev.priorityqueues.infra.components.AbuseAlarms;
import dev.priorityqueues.infra.components.Alerts;
import dev.priorityqueues.infra.components.LambdaFunction;
import dev.priorityqueues.infra.components.Monitoring;
import dev.priorityqueues.infra.components.Storage;
import dev.priorityqueues.infra.components.TierQueue;
import dev.priorityqueues.infra.components.UploadApi;
import dev.priorityqueues.infra.components.UploadRouter;
import dev.priorityqueues.infra.components.UploadStatus;
import dev.priorityqueues.infra.components.Worker;
import dev.priorityqueues.infra.config.ConfigKey;
import dev.priorityqueues.infra.config.Settings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Every resource of a stack, built from validated {@link Settings}. {@link App} calls
 * {@link #build} with the stack's config; tests and the local cloud call it with settings they
 * build or load from a stack file.
 */
public final class PriorityQueuesStack {

  private final Alerts alerts;
  private final List<TierQueue> queues;
  private final Storage storage;
  private final UploadApi uploadApi;
  private final UploadStatus uploadStatus;
  private final UploadRouter router;
  private final Worker worker;
  private final Monitoring monitoring;
  private final Output<String> eventBusArn;

  private PriorityQueuesStack(Context ctx, Settings settings, Map<Functions, Path> archives, Path layer) {
    Map<String, String> tags = tags(ctx, settings);

    alerts = new Alerts("alerts", Alerts.Args.builder()
        .email(settings.alarms().email())
        .topicArn(settings.alarms().topicArn())
        .tags(tags)
        .build(), null);

    List<TierQueue> tierQueues = new ArrayList<>();
    for (Settings.Tier tier : settings.tiers()) {
      tierQueues.add(new TierQueue("tier-" + tier.name(), TierQueue.Args.builder()
          .tier(tier.name())
          .visibilityTimeoutSeconds(settings.queues().visibilityTimeoutSeconds())
          .retentionSeconds(settings.queues().retentionSeconds())
          .dlqRetentionSeconds(settings.queues().dlqRetentionSeconds())
          .maxReceiveCount(tier.maxReceiveCount())
          .alarmActions(alerts.actions())
          .tags(tags)
          .build(), null));
    }
    queues = List.copyOf(tierQueues);

    storage = new Storage("storage", Storage.Args.builder()
        .uploadRetentionDays(settings.uploads().retentionDays())
        .noncurrentVersionExpirationDays(settings.uploads().noncurrentVersionExpirationDays())
        .protectData(settings.protectData())
        .corsAllowedOrigins(settings.api().corsAllowedOrigins())
        .tags(tags)
        .build(), null);

    Output<Map<String, String>> common = FunctionEnvironment.common(settings, queues, storage);
    int logDays = settings.logRetentionDays();

    uploadApi = new UploadApi("presign", UploadApi.Args.builder()
        .function(new LambdaFunction.Config(archives.get(Functions.PRESIGN), settings.presign().memoryMb(),
            settings.presign().timeoutSeconds(), null, FunctionEnvironment.presign(settings, common), logDays))
        .storage(storage)
        .jwtIssuer(settings.auth().jwtIssuer())
        .jwtAudience(settings.auth().jwtAudience())
        .jwtScopes(settings.auth().jwtScopes())
        .throttle(settings.api().throttleRateLimit(), settings.api().throttleBurstLimit())
        .corsAllowedOrigins(settings.api().corsAllowedOrigins())
        .tags(tags)
        .build(), null);

    uploadStatus = new UploadStatus("status", UploadStatus.Args.builder()
        .function(new LambdaFunction.Config(archives.get(Functions.STATUS), settings.status().memoryMb(),
            settings.status().timeoutSeconds(), null, FunctionEnvironment.status(common), logDays))
        .storage(storage)
        .uploadApi(uploadApi)
        .tags(tags)
        .build(), null);

    router = new UploadRouter("router", UploadRouter.Args.builder()
        .function(new LambdaFunction.Config(archives.get(Functions.ROUTER), settings.router().memoryMb(),
            settings.router().timeoutSeconds(), null, FunctionEnvironment.router(settings, common), logDays))
        .storage(storage)
        .queues(queues)
        .retryPolicy(settings.events().retryAttempts(), settings.events().maxAgeSeconds())
        .routerMaxEventAgeSeconds(settings.events().routerMaxAgeSeconds())
        .alarmActions(alerts.actions())
        .tags(tags)
        .build(), null);

    List<Worker.Source> sources = new ArrayList<>();
    for (int i = 0; i < queues.size(); i++) {
      Settings.Tier tier = settings.tiers().get(i);
      sources.add(new Worker.Source(queues.get(i), tier.maxConcurrency(), tier.provisionedPollers(),
          tier.batchSize(), tier.batchingWindowSeconds()));
    }
    Settings.Worker w = settings.worker();
    eventBusArn = w.eventBusArn().map(Output::of).orElseGet(PriorityQueuesStack::defaultBusArn);
    Worker.Builder workerArgs = Worker.Args.builder()
        .function(new LambdaFunction.Config(archives.get(Functions.WORKER), w.memoryMb(),
            w.timeoutSeconds(), w.reservedConcurrency().orElse(null),
            FunctionEnvironment.worker(settings, common, eventBusArn), logDays, w.architecture(),
            w.ephemeralStorageMb()))
        .eventBus(eventBusArn)
        .sendsToTierQueues(sendsToTierQueues(settings));
    if (w.transcodes()) {
      // Layer names are per account and region: the stack name keeps two stacks apart.
      String layerName = (ConfigKey.PROJECT + "-ffmpeg-" + ctx.stackName()).replaceAll("[^a-zA-Z0-9_-]", "-");
      workerArgs.ffmpegLayer(layer, layerName.substring(0, Math.min(140, layerName.length())));
    }
    worker = new Worker("worker", workerArgs
        .sources(sources)
        .storage(storage)
        .tags(tags)
        .build(), null);

    // Resource policies name the roles, which exist only now.
    List<Output<String>> queueSenders = new ArrayList<>(List.of(router.function().role().arn()));
    if (sendsToTierQueues(settings)) {
      queueSenders.add(worker.function().role().arn());
    }
    queues.forEach(q -> q.restrictSends(queueSenders, List.of(worker.function().role().arn())));
    storage.restrictWrites(uploadApi.function().role().arn(), worker.function().role().arn(),
        settings.uploads().urlExpirySeconds());

    monitoring = new Monitoring("monitoring", Monitoring.Args.builder()
        // Pulumi allows '.' in a stack name and CloudWatch does not in a dashboard's.
        .dashboardName(ConfigKey.PROJECT + "-" + ctx.stackName().replace('.', '_'))
        .queues(queues)
        .worker(worker)
        .router(router)
        .oldestMessageAlarmSeconds(settings.alarms().oldestMessageSeconds())
        .topTierWaitP95AlarmSeconds(settings.alarms().topTierWaitP95Seconds())
        .alarmActions(alerts.actions())
        .tags(tags)
        .build(), null);

    Settings.Alarms alarms = settings.alarms();
    new AbuseAlarms("abuse-alarms", AbuseAlarms.Args.builder()
        .api(uploadApi)
        .router(router)
        .queues(queues)
        .thresholds(alarms.lowerTierOldestMessageSeconds(), alarms.apiErrorRatePercent(), alarms.apiThrottleRatePercent(),
            alarms.rejectsCount())
        .alarmActions(alerts.actions())
        .tags(tags)
        .build(), null);

    export(ctx, settings);
  }

  /**
   * Creates every resource and exports the outputs. Checks the function archives first: a
   * missing one stops the program before anything is created.
   */
  public static PriorityQueuesStack build(Context ctx, Settings settings) {
    Map<Functions, Path> archives = FunctionArchives.verify(settings.codeRoot());
    Path layer = settings.worker().transcodes()
        ? FunctionArchives.verifyLayer(settings.codeRoot(), settings.worker().architecture()) : null;
    settings.warnings().forEach(warning -> ctx.log().warn(warning));
    return new PriorityQueuesStack(ctx, settings, archives, layer);
  }

  private void export(Context ctx, Settings settings) {
    ctx.export(StackOutputs.TIER_ORDER, Output.of(queues.stream().map(TierQueue::tier).toList()));
    ctx.export(StackOutputs.QUEUE_URLS, byTier(q -> q.queue().url()));
    ctx.export(StackOutputs.QUEUE_ARNS, byTier(q -> q.queue().arn()));
    ctx.export(StackOutputs.DLQ_URLS, byTier(q -> q.dlq().url()));
    ctx.export(StackOutputs.DLQ_ARNS, byTier(q -> q.dlq().arn()));
    ctx.export(StackOutputs.BUCKET_NAME, storage.bucket().bucket());
    ctx.export(StackOutputs.UPLOAD_ENDPOINT, uploadApi.endpoint());
    ctx.export(StackOutputs.VIDEOS_TABLE_NAME, storage.videos().name());
    ctx.export(StackOutputs.USERS_TABLE_NAME, storage.users().name());
    ctx.export(StackOutputs.DASHBOARD_NAME, monitoring.dashboard().dashboardName());
    ctx.export(StackOutputs.EVENTS_DLQ_URL, router.eventsDlq().url());
    ctx.export(StackOutputs.FLOW, Output.of(settings.flow().id()));
    ctx.export(StackOutputs.COMPLETION_EVENT_SOURCE, Output.of(CompletionEvents.SOURCE));
    ctx.export(StackOutputs.COMPLETION_EVENT_DETAIL_TYPES, Output.of(Map.of(
        "DONE", CompletionEvents.PROCESSED, "FAILED", CompletionEvents.FAILED)));
    ctx.export(StackOutputs.COMPLETION_EVENT_BUS_ARN, eventBusArn);
  }

  /** consumer-level re-sends deferred jobs; highest-first with lending sends capacity tokens. */
  static boolean sendsToTierQueues(Settings settings) {
    return settings.flow() == Flow.CONSUMER_LEVEL
        || (settings.flow() == Flow.HIGHEST_FIRST && settings.tuning().lendTokens() > 0);
  }

  /** The account's default bus in this region and partition. */
  private static Output<String> defaultBusArn() {
    return Output.tuple(
            AwsFunctions.getPartition().applyValue(GetPartitionResult::partition),
            AwsFunctions.getRegion().applyValue(GetRegionResult::name),
            AwsFunctions.getCallerIdentity().applyValue(GetCallerIdentityResult::accountId))
        .applyValue(t -> "arn:" + t.t1 + ":events:" + t.t2 + ":" + t.t3 + ":event-bus/" + CompletionEvents.DEFAULT_BUS);
  }

  /** A map output keyed by tier name, in priority order. */
  private Output<Map<String, String>> byTier(Function<TierQueue, Output<String>> value) {
    return Output.all(queues.stream().map(value).toList()).applyValue(values -> {
      Map<String, String> map = new LinkedHashMap<>();
      for (int i = 0; i < queues.size(); i++) {
        map.put(queues.get(i).tier(), values.get(i));
      }
      return map;
    });
  }

  /** Every taggable resource gets the project and stack, then the configured tags. */
  private static Map<String, String> tags(Context ctx, Settings settings) {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("project", ConfigKey.PROJECT);
    tags.put("stack", ctx.stackName());
    tags.putAll(settings.tags());
    return tags;
  }

  public Alerts alerts() {
    return alerts;
  }

  /** Highest priority first. */
  public List<TierQueue> queues() {
    return queues;
  }

  public Storage storage() {
    return storage;
  }

  public UploadApi uploadApi() {
    return uploadApi;
  }

  public UploadStatus uploadStatus() {
    return uploadStatus;
  }

  public UploadRouter router() {
    return router;
  }

  public Worker worker() {
    return worker;
  }

  public Monitoring monitoring() {
    return monitoring;
  }
}
