package dev.priorityqueues.infra.components;

import com.pulumi.asset.FileArchive;
import com.pulumi.aws.lambda.EventSourceMapping;
import com.pulumi.aws.lambda.LayerVersion;
import com.pulumi.aws.lambda.LayerVersionArgs;
import com.pulumi.aws.lambda.EventSourceMappingArgs;
import com.pulumi.aws.lambda.inputs.EventSourceMappingProvisionedPollerConfigArgs;
import com.pulumi.aws.lambda.inputs.EventSourceMappingScalingConfigArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResourceOptions;
import dev.priorityqueues.contract.Functions;
import dev.priorityqueues.contract.Keys;
import dev.priorityqueues.infra.config.Limits;
import dev.priorityqueues.infra.config.Settings;
import dev.priorityqueues.infra.iam.Statement;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The worker: one function that consumes every tier queue, through one event source mapping per
 * tier on the function's alias. Each mapping caps its tier with {@code maximumConcurrency} and
 * reports failures per message ({@code ReportBatchItemFailures}), so one bad video never sends
 * its whole batch back. How the tiers are ordered is the flow's job (the function's environment).
 */
public final class Worker extends Component {
  public static final String TYPE = "Worker";

  /** LayerName: letters, digits, '-' and '_', 1 to 140 characters (as a name, not an ARN). */
  static final java.util.regex.Pattern LAYER_NAME = java.util.regex.Pattern.compile("[a-zA-Z0-9_-]{1,140}");

  /**
   * One tier the worker consumes, and how its mapping polls it: on demand capped by {@code
   * maxConcurrency}, or in provisioned mode with {@code pollers} (AWS allows only one of them).
   */
  public record Source(
      TierQueue queue, Optional<Integer> maxConcurrency, Optional<Settings.ProvisionedPollers> pollers,
      int batchSize, int batchingWindowSeconds) {
    public Source {
      Objects.requireNonNull(queue, "queue");
      if (maxConcurrency.isPresent() == pollers.isPresent()) {
        throw new IllegalArgumentException(queue.tier() + ": a mapping takes exactly one of maxConcurrency and"
            + " provisioned pollers (Lambda rejects maximumConcurrency in provisioned mode)");
      }
      maxConcurrency.ifPresent(c -> Limits.MAXIMUM_CONCURRENCY.check(queue.tier() + " maxConcurrency", c));
      Limits.BATCH_SIZE.check(queue.tier() + " batchSize", batchSize);
      Limits.BATCHING_WINDOW.check(queue.tier() + " batchingWindowSeconds", batchingWindowSeconds);
      if (batchSize > Limits.BATCH_SIZE_WITHOUT_WINDOW && batchingWindowSeconds < 1) {
        throw new IllegalArgumentException(queue.tier() + ": a batch size over "
            + Limits.BATCH_SIZE_WITHOUT_WINDOW + " needs a batching window");
      }
    }

    /** An on-demand mapping capped by {@code maxConcurrency}. */
    public Source(TierQueue queue, int maxConcurrency, int batchSize, int batchingWindowSeconds) {
      this(queue, Optional.of(maxConcurrency), Optional.empty(), batchSize, batchingWindowSeconds);
    }

    /** The most concurrent invocations the mapping can start. */
    public int concurrencyBound() {
      return maxConcurrency.orElseGet(() -> pollers.orElseThrow().maxConcurrency());
    }
  }

  /** The FFmpeg layer's licence: the static build includes libx264 (README, "Licences"). */
  public static final String FFMPEG_LICENSE = "GPL-3.0-or-later";

  private final LambdaFunction function;
  private final LayerVersion ffmpeg;
  private final List<EventSourceMapping> mappings = new ArrayList<>();

  public Worker(String name, Args args, ComponentResourceOptions options) {
    super(TYPE, name, options);
    List<Output<String>> queueArns = args.sources.stream().map(s -> s.queue().queue().arn()).toList();
    List<Output<String>> dlqArns = args.sources.stream().map(s -> s.queue().dlq().arn()).toList();

    List<Statement> statements = new ArrayList<>(List.of(
        // The mappings poll with the function's role; highest-first also receives by itself.
        Statement.allow("ConsumeTierQueues")
            .actions("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes",
                "sqs:ChangeMessageVisibility")
            .resources(queueArns)
            .build(),
        // A job that keeps failing is dead-lettered with its reason by the worker itself.
        Statement.allow("DeadLetterJobs")
            .actions("sqs:SendMessage")
            .resources(dlqArns)
            .build(),
        Statement.allow("ClaimAndFinishVideos")
            .actions("dynamodb:GetItem", "dynamodb:UpdateItem")
            .resources(args.storage.videos().arn())
            .build(),
        Statement.allow("ReadUploads")
            .actions("s3:GetObject")
            .resources(args.storage.objectsArn(Keys.UPLOADS_PREFIX))
            .build(),
        // Without s3:ListBucket, S3 answers a read of a missing key with 403 AccessDenied, which
        // the worker must treat as transient; with it, 404 NoSuchKey, and a deleted upload ends
        // FAILED instead of in a DLQ. On the bucket ARN without an s3:prefix condition: AWS
        // documents only that form for the 404 (docs/security-controls.md).
        Statement.allow("SeeMissingUploads")
            .actions("s3:ListBucket")
            .resources(args.storage.bucket().arn())
            .build(),
        // PutObject also covers CreateMultipartUpload, UploadPart and CompleteMultipartUpload;
        // a failed multipart upload is aborted so its parts are not billed.
        Statement.allow("WriteResults")
            .actions("s3:PutObject", "s3:AbortMultipartUpload")
            .resources(args.storage.objectsArn(Keys.PROCESSED_PREFIX))
            .build(),
        // Video Processed / Video Failed, on the one bus the stack names.
        Statement.allow("PublishCompletionEvents")
            .actions("events:PutEvents")
            .resources(args.eventBus)
            .build()));
    if (args.sendsToTierQueues) {
      // Only consumer-level (it re-sends a deferred job) and lending (capacity tokens) send to
      // a tier queue; otherwise only the router does.
      statements.add(1, Statement.allow("SendToTierQueues")
          .actions("sqs:SendMessage")
          .resources(queueArns)
          .build());
    }

    List<Output<String>> layers = new ArrayList<>();
    if (args.ffmpegLayer != null) {
      ffmpeg = new LayerVersion(childName("ffmpeg"), LayerVersionArgs.builder()
          .layerName(args.layerName)
          .description("Static FFmpeg 4.4 (libx264, AAC) at /opt/bin/ffmpeg for the priority-queues worker")
          .code(new FileArchive(args.ffmpegLayer.toString()))
          .compatibleRuntimes(LambdaFunction.RUNTIME)
          .compatibleArchitectures(args.function.architecture())
          .licenseInfo(FFMPEG_LICENSE)
          .build(), child());
      layers.add(ffmpeg.arn());
    } else {
      ffmpeg = null;
    }
    function = LambdaFunction.create(this, Functions.WORKER, args.function, statements, layers, args.tags);

    for (Source source : args.sources) {
      EventSourceMappingArgs.Builder mapping = EventSourceMappingArgs.builder()
          .eventSourceArn(source.queue().queue().arn())
          .functionName(function.alias().arn())
          .batchSize(source.batchSize())
          .maximumBatchingWindowInSeconds(source.batchingWindowSeconds())
          .functionResponseTypes("ReportBatchItemFailures")
          .tags(args.tags);
      source.maxConcurrency().ifPresent(cap -> mapping.scalingConfig(
          EventSourceMappingScalingConfigArgs.builder().maximumConcurrency(cap).build()));
      // Provisioned mode: pollers kept warm, billed in event-poller-unit hours (README, "Provisioned mode").
      source.pollers().ifPresent(p -> mapping.provisionedPollerConfig(
          EventSourceMappingProvisionedPollerConfigArgs.builder()
              .minimumPollers(p.min())
              .maximumPollers(p.max())
              .build()));
      mappings.add(new EventSourceMapping(childName(source.queue().tier() + "-mapping"), mapping.build(), child()));
    }
    registerOutputs(Map.of(
        "functionName", function.function().name(), "aliasArn", function.alias().arn()));
  }

  public LambdaFunction function() {
    return function;
  }

  /** The FFmpeg layer, when the worker transcodes. */
  public java.util.Optional<LayerVersion> ffmpegLayer() {
    return java.util.Optional.ofNullable(ffmpeg);
  }

  /** One mapping per tier, highest tier first. */
  public List<EventSourceMapping> mappings() {
    return List.copyOf(mappings);
  }

  /** The arguments of {@link Worker}. */
  public static final class Args extends ComponentArgs.WithFunction {
    private List<Source> sources = List.of();
    private Path ffmpegLayer;
    private String layerName;
    private Output<String> eventBus;
    private boolean sendsToTierQueues;

    private Args() {}

    public static Worker.Builder builder() {
      return new Worker.Builder();
    }
  }

  public static final class Builder extends ComponentArgs.FunctionBuilder<Args, Builder> {
    private Builder() {
      super(new Args());
    }

    /** The tiers to consume, highest priority first. */
    public Builder sources(List<Source> sources) {
      args.sources = List.copyOf(sources);
      return this;
    }

    /**
     * The FFmpeg layer archive for the function's architecture (bin/ffmpeg inside), deployed as a
     * layer named {@code layerName}; unset when the worker does not transcode.
     */
    public Builder ffmpegLayer(Path archive, String layerName) {
      args.ffmpegLayer = archive;
      args.layerName = layerName;
      return this;
    }

    /** The bus (ARN) the worker may publish its completion events to. */
    public Builder eventBus(Output<String> busArn) {
      args.eventBus = busArn;
      return this;
    }

    /**
     * Whether the worker sends to the tier queues: consumer-level re-sends deferred jobs and
     * lending sends capacity tokens. Without it the worker may send only to the DLQs.
     */
    public Builder sendsToTierQueues(boolean sends) {
      args.sendsToTierQueues = sends;
      return this;
    }

    @Override
    protected void validate() {
      super.validate();
      java.util.Objects.requireNonNull(args.eventBus, "eventBus");
      if (args.ffmpegLayer != null && (args.layerName == null
          || !LAYER_NAME.matcher(args.layerName).matches())) {
        throw new IllegalArgumentException("the layer name must match " + LAYER_NAME.pattern()
            + ", not '" + args.layerName + "'");
      }
      if (args.sources.isEmpty()) {
        throw new IllegalArgumentException("the worker needs at least one tier to consume");
      }
      int sum = args.sources.stream().mapToInt(Source::concurrencyBound).sum();
      Integer reserved = args.function.reservedConcurrency();
      if (reserved != null && reserved < sum) {
        throw new IllegalArgumentException("reservedConcurrency " + reserved
            + " is below the sum of the mappings' maximumConcurrency (10 per maximum poller in provisioned mode) " + sum);
      }
    }
  }
}
