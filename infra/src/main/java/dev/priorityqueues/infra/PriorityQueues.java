package dev.priorityqueues.infra;

import com.pulumi.aws.AwsFunctions;
import com.pulumi.aws.outputs.GetCallerIdentityResult;
import com.pulumi.aws.outputs.GetPartitionResult;
import com.pulumi.aws.outputs.GetRegionResult;
import com.pulumi.core.Alias;
import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResourceOptions;
import dev.priorityqueues.contract.CompletionEvents;
import dev.priorityqueues.contract.RejectedInputs;
import dev.priorityqueues.contract.Flow;
import dev.priorityqueues.contract.Functions;
import dev.priorityqueues.infra.components.AbuseAlarms;
import dev.priorityqueues.infra.components.Alerts;
import dev.priorityqueues.infra.components.Component;
import dev.priorityqueues.infra.components.CustomerKey;
import dev.priorityqueues.infra.components.Encryption;
import dev.priorityqueues.infra.components.LambdaFunction;
import dev.priorityqueues.infra.components.Monitoring;
import dev.priorityqueues.infra.components.Storage;
import dev.priorityqueues.infra.components.TierQueue;
import dev.priorityqueues.infra.components.UploadApi;
import dev.priorityqueues.infra.components.UploadRouter;
import dev.priorityqueues.infra.components.UploadStatus;
import dev.priorityqueues.infra.components.Worker;
import dev.priorityqueues.infra.config.Settings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The whole system as one component ({@code priority-queues:index:PriorityQueues}): the tier
 * queues, storage, upload API, status API, router, worker, alerts, monitoring and abuse alarms
 * are its children. {@link App} creates it from the stack's validated config; another Pulumi
 * Java program creates it with {@code new PriorityQueues("video", args, null)}. Its outputs are
 * the stack's outputs ({@link StackOutputs}), as fields; {@link #outputs()} names them. (Other
 * languages get it through the component package, {@code provider.PriorityQueues}, whose
 * {@code @Export} fields are the same outputs.)
 */
public final class PriorityQueues extends Component {
  public static final String TYPE = "PriorityQueues";

  private final Output<List<String>> tierOrder;
  private final Output<Map<String, String>> queueUrls;
  private final Output<Map<String, String>> queueArns;
  private final Output<Map<String, String>> dlqUrls;
  private final Output<Map<String, String>> dlqArns;
  private final Output<String> bucketName;
  private final Output<String> uploadEndpoint;
  private final Output<String> videosTableName;
  private final Output<String> usersTableName;
  private final Output<String> quotasTableName;
  private final Output<String> dashboardName;
  private final Output<String> eventsDlqUrl;
  private final Output<String> flow;
  private final Output<String> completionEventSource;
  private final Output<Map<String, String>> completionEventDetailTypes;
  private final Output<String> completionEventBusArn;

  private final Optional<CustomerKey> customerKey;
  private final Alerts alerts;
  private final List<TierQueue> queues;
  private final Storage storage;
  private final UploadApi uploadApi;
  private final UploadStatus uploadStatus;
  private final UploadRouter router;
  private final Worker worker;
  private final Monitoring monitoring;
  private final AbuseAlarms abuseAlarms;

  public PriorityQueues(String name, PriorityQueuesArgs args, ComponentResourceOptions options) {
    super(TYPE, name, options);
    Settings settings = args.settings();
    Map<String, String> tags = args.tags();
    String prefix = args.resourcePrefix();

    // The customer-managed key, when kmsKey is set: every part below encrypts with it.
    customerKey = settings.kmsKey().inUse()
        ? Optional.of(new CustomerKey(prefix + "key", new CustomerKey.Args(
            settings.kmsKey(), "alias/" + args.dashboardName(), tags), part()))
        : Optional.empty();
    Optional<Encryption> encryption = customerKey.map(CustomerKey::encryption);

    alerts = new Alerts(prefix + "alerts", new Alerts.Args(
        settings.alarms().email(), settings.alarms().topicArn(), encryption, tags), part());
    Output<List<String>> alarmActions = alerts.actions();

    // Each tier travels as its one config value: to its queue and DLQ here, and from the queue
    // to the worker's mapping and the functions' tier table.
    List<TierQueue> tierQueues = new ArrayList<>();
    for (Settings.Tier tier : settings.tiers()) {
      tierQueues.add(new TierQueue(prefix + "tier-" + tier.name(),
          new TierQueue.Args(tier, settings.queues(), alarmActions, encryption, tags), part()));
    }
    queues = List.copyOf(tierQueues);

    storage = new Storage(prefix + "storage", new Storage.Args(
        settings.uploads(), settings.protectData(), settings.api().corsAllowedOrigins(), encryption, tags,
        settings.privacy()), part());

    Output<Map<String, String>> common = FunctionEnvironment.common(settings, queues, storage);
    int logDays = settings.logRetentionDays();
    var archives = args.archives();

    uploadApi = new UploadApi(prefix + "presign", new UploadApi.Args(
        new LambdaFunction.Config(archives.get(Functions.PRESIGN), settings.presign().memoryMb(),
            settings.presign().timeoutSeconds(), null, FunctionEnvironment.presign(settings, common, storage.quotas().name()), logDays)
            .encryptedWith(encryption),
        storage, settings.auth(), settings.api(), tags), part());

    uploadStatus = new UploadStatus(prefix + "status", new UploadStatus.Args(
        new LambdaFunction.Config(archives.get(Functions.STATUS), settings.status().memoryMb(),
            settings.status().timeoutSeconds(), null, FunctionEnvironment.status(settings, common), logDays)
            .encryptedWith(encryption),
        storage, uploadApi, settings.auth().statusJwtScopes(), tags), part());

    router = new UploadRouter(prefix + "router", new UploadRouter.Args(
        new LambdaFunction.Config(archives.get(Functions.ROUTER), settings.router().memoryMb(),
            settings.router().timeoutSeconds(), null, FunctionEnvironment.router(settings, common), logDays)
            .encryptedWith(encryption),
        storage, queues, settings.events(), alarmActions, tags, settings.privacy().rejectedInputs()), part());

    Settings.Worker w = settings.worker();
    completionEventBusArn = w.eventBusArn().map(Output::of).orElseGet(PriorityQueues::defaultBusArn);
    worker = new Worker(prefix + "worker", new Worker.Args(
        new LambdaFunction.Config(archives.get(Functions.WORKER), w.memoryMb(),
            w.timeoutSeconds(), w.reservedConcurrency().orElse(null),
            FunctionEnvironment.worker(settings, common, completionEventBusArn), logDays, w.architecture(),
            w.ephemeralStorageMb()).encryptedWith(encryption),
        storage, queues, args.ffmpegLayer(), args.layerName(), completionEventBusArn,
        workerSendsTo(settings), tags, settings.privacy().rejectedInputs()), part());

    // Resource policies name the roles, which exist only now.
    java.util.Set<String> workerSends = workerSendsTo(settings);
    for (TierQueue q : queues) {
      List<Output<String>> queueSenders = new ArrayList<>(List.of(router.function().role().arn()));
      if (workerSends.contains(q.tierName())) {
        queueSenders.add(worker.function().role().arn());
      }
      // Operators who redrive a DLQ: the message move task sends with their permissions.
      settings.operatorRoleArns().forEach(arn -> queueSenders.add(Output.of(arn)));
      q.restrictSends(queueSenders, List.of(worker.function().role().arn()));
    }
    storage.restrictWrites(uploadApi.function().role().arn(), worker.function().role().arn(),
        settings.privacy().rejectedInputs() == RejectedInputs.QUARANTINE
            ? List.of(router.function().role().arn(), worker.function().role().arn()) : List.of(),
        settings.uploads().urlExpirySeconds());

    monitoring = new Monitoring(prefix + "monitoring", new Monitoring.Args(
        args.dashboardName(), queues, worker, router, settings.alarms(), alarmActions, tags), part());

    abuseAlarms = new AbuseAlarms(prefix + "abuse-alarms", new AbuseAlarms.Args(
        uploadApi, router, queues, settings.alarms(), alarmActions, tags), part());

    tierOrder = Output.of(queues.stream().map(TierQueue::tierName).toList());
    queueUrls = byTier(q -> q.queue().url());
    queueArns = byTier(q -> q.queue().arn());
    dlqUrls = byTier(q -> q.dlq().url());
    dlqArns = byTier(q -> q.dlq().arn());
    bucketName = storage.bucket().bucket();
    uploadEndpoint = uploadApi.endpoint();
    videosTableName = storage.videos().name();
    usersTableName = storage.users().name();
    quotasTableName = storage.quotas().name();
    dashboardName = monitoring.dashboard().dashboardName();
    eventsDlqUrl = router.eventsDlq().url();
    flow = Output.of(settings.flow().id());
    completionEventSource = Output.of(CompletionEvents.SOURCE);
    completionEventDetailTypes = Output.of(Map.of(
        "DONE", CompletionEvents.PROCESSED, "FAILED", CompletionEvents.FAILED));
    registerOutputs(outputs());
  }

  /**
   * Options for a part: parented to this component. The alias says the part once had no parent:
   * stacks deployed before the system was one component keep their resources (no replacement),
   * and the parts' own children inherit it.
   */
  private ComponentResourceOptions part() {
    return ComponentResourceOptions.builder().parent(this).aliases(Alias.noParent()).build();
  }

  /** Every output, by its stack output name ({@link StackOutputs#ALL}, in that order). */
  public Map<String, Output<?>> outputs() {
    Map<String, Output<?>> outputs = new LinkedHashMap<>();
    outputs.put(StackOutputs.TIER_ORDER, tierOrder);
    outputs.put(StackOutputs.QUEUE_URLS, queueUrls);
    outputs.put(StackOutputs.QUEUE_ARNS, queueArns);
    outputs.put(StackOutputs.DLQ_URLS, dlqUrls);
    outputs.put(StackOutputs.DLQ_ARNS, dlqArns);
    outputs.put(StackOutputs.BUCKET_NAME, bucketName);
    outputs.put(StackOutputs.UPLOAD_ENDPOINT, uploadEndpoint);
    outputs.put(StackOutputs.VIDEOS_TABLE_NAME, videosTableName);
    outputs.put(StackOutputs.USERS_TABLE_NAME, usersTableName);
    outputs.put(StackOutputs.DASHBOARD_NAME, dashboardName);
    outputs.put(StackOutputs.EVENTS_DLQ_URL, eventsDlqUrl);
    outputs.put(StackOutputs.FLOW, flow);
    outputs.put(StackOutputs.COMPLETION_EVENT_SOURCE, completionEventSource);
    outputs.put(StackOutputs.COMPLETION_EVENT_DETAIL_TYPES, completionEventDetailTypes);
    outputs.put(StackOutputs.COMPLETION_EVENT_BUS_ARN, completionEventBusArn);
    outputs.put(StackOutputs.QUOTAS_TABLE_NAME, quotasTableName);
    return outputs;
  }

  /**
   * The tiers whose queues the worker sends to: consumer-level re-sends deferred jobs to every
   * tier; highest-first with lending sends capacity tokens only to a tier above the lowest.
   */
  static java.util.Set<String> workerSendsTo(Settings settings) {
    List<String> names = settings.tiers().stream().map(Settings.Tier::name).toList();
    if (settings.flow() == Flow.CONSUMER_LEVEL) {
      return java.util.Set.copyOf(names);
    }
    if (settings.flow() == Flow.HIGHEST_FIRST && settings.tuning().lendTokens() > 0) {
      return java.util.Set.copyOf(names.subList(0, names.size() - 1));
    }
    return java.util.Set.of();
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
        map.put(queues.get(i).tierName(), values.get(i));
      }
      return map;
    });
  }

  /** Tier names, highest priority first. */
  public Output<List<String>> tierOrder() {
    return tierOrder;
  }

  /** Tier → its queue's URL. */
  public Output<Map<String, String>> queueUrls() {
    return queueUrls;
  }

  /** Tier → its queue's ARN. */
  public Output<Map<String, String>> queueArns() {
    return queueArns;
  }

  /** Tier → its dead-letter queue's URL. */
  public Output<Map<String, String>> dlqUrls() {
    return dlqUrls;
  }

  /** Tier → its dead-letter queue's ARN. */
  public Output<Map<String, String>> dlqArns() {
    return dlqArns;
  }

  public Output<String> bucketName() {
    return bucketName;
  }

  /** The full URL of {@code POST /uploads}. */
  public Output<String> uploadEndpoint() {
    return uploadEndpoint;
  }

  public Output<String> videosTableName() {
    return videosTableName;
  }

  public Output<String> usersTableName() {
    return usersTableName;
  }

  public Output<String> quotasTableName() {
    return quotasTableName;
  }

  public Output<String> dashboardName() {
    return dashboardName;
  }

  /** Upload events EventBridge could not deliver, or the router failed on after its retries. */
  public Output<String> eventsDlqUrl() {
    return eventsDlqUrl;
  }

  public Output<String> flow() {
    return flow;
  }

  public Output<String> completionEventSource() {
    return completionEventSource;
  }

  /** {@code DONE} and {@code FAILED} → the detail type of their completion event. */
  public Output<Map<String, String>> completionEventDetailTypes() {
    return completionEventDetailTypes;
  }

  public Output<String> completionEventBusArn() {
    return completionEventBusArn;
  }

  /** The customer-managed key, when {@code kmsKey} is set. */
  public Optional<CustomerKey> customerKey() {
    return customerKey;
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

  public AbuseAlarms abuseAlarms() {
    return abuseAlarms;
  }
}
