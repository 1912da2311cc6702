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
  public static final java.util.regex.Pattern LAYER_NAME = java.util.regex.Pattern.compile("[a-zA-Z0-9_-]{1,140}");

  /**
   * The layer's licences, as an SPDX expression: the static FFmpeg includes libx264 (GPL), the
   * crypto provider is Apache 2.0 (README, "Licences").
   */
  public static final String FFMPEG_LICENSE = "GPL-3.0-or-later AND Apache-2.0";

  private final LambdaFunction function;
  private final LayerVersion ffmpeg;
  private final List<EventSourceMapping> mappings = new ArrayList<>();

  /**
   * The arguments: the function, the storage its permissions are scoped to, the tier queues to
   * consume (highest priority first; each carries its tier's mapping settings), the FFmpeg layer
   * archive and its name when the worker transcodes, the bus (ARN) it may publish its completion
   * events to, and whether it sends to the tier queues (consumer-level re-sends deferred jobs,
   * lending sends capacity tokens; otherwise it may send only to the DLQs), and what becomes of
   * the upload of a video FAILED for good (its permissions follow the mode). The config edge
   * validated every value.
   */
  public record Args(LambdaFunction.Config function, Storage storage, List<TierQueue> tiers,
      Optional<Path> ffmpegLayer, String layerName, Output<String> eventBus, java.util.Set<String> sendsToTiers,
      Map<String, String> tags, dev.priorityqueues.contract.RejectedInputs rejectedInputs) {
    public Args {
      Objects.requireNonNull(rejectedInputs, "rejectedInputs");
      Objects.requireNonNull(function, "function");
      Objects.requireNonNull(storage, "storage");
      tiers = List.copyOf(tiers);
      Objects.requireNonNull(ffmpegLayer, "ffmpegLayer");
      Objects.requireNonNull(eventBus, "eventBus");
      tags = Map.copyOf(tags);
    }
  }

  public Worker(String name, Args args, ComponentResourceOptions options) {
    super(TYPE, name, options);
    List<Output<String>> queueArns = args.tiers().stream().map(t -> t.queue().arn()).toList();
    List<Output<String>> dlqArns = args.tiers().stream().map(t -> t.dlq().arn()).toList();

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
            .resources(args.storage().videos().arn())
            .build(),
        // GetObject with a versionId is authorised as s3:GetObjectVersion: the worker reads the
        // exact version the router admitted.
        Statement.allow("ReadUploads")
            .actions("s3:GetObject", "s3:GetObjectVersion")
            .resources(args.storage().objectsArn(Keys.UPLOADS_PREFIX))
            .build(),
        // Without s3:ListBucket, S3 answers a read of a missing key with 403 AccessDenied, which
        // the worker must treat as transient; with it, 404 NoSuchKey, and a deleted upload ends
        // FAILED instead of in a DLQ. On the bucket ARN without an s3:prefix condition: AWS
        // documents only that form for the 404 (docs/security-controls.md).
        Statement.allow("SeeMissingUploads")
            .actions("s3:ListBucket")
            .resources(args.storage().bucket().arn())
            .build(),
        // PutObject also covers CreateMultipartUpload, UploadPart and CompleteMultipartUpload;
        // a failed multipart upload is aborted so its parts are not billed.
        Statement.allow("WriteResults")
            .actions("s3:PutObject", "s3:AbortMultipartUpload")
            .resources(args.storage().objectsArn(Keys.PROCESSED_PREFIX))
            .build(),
        // Video Processed / Video Failed, on the one bus the stack names.
        Statement.allow("PublishCompletionEvents")
            .actions("events:PutEvents")
            .resources(args.eventBus())
            .build()));
    // Receives and dead-letters jobs, uses the videos table, reads uploads and writes results,
    // multipart included (see Encryption).
    args.function().encryption().ifPresent(e -> statements.addAll(List.of(
        e.decrypt("DecryptTablesQueuesAndObjects", Encryption.Via.DYNAMODB, Encryption.Via.SQS, Encryption.Via.S3),
        e.generateDataKey("EncryptMessagesAndResults", Encryption.Via.SQS, Encryption.Via.S3))));
    // It reads every upload version already (ReadUploads), so quarantine adds no read.
    statements.addAll(UploadRouter.disposeOfInputs(args.storage(), args.rejectedInputs(), false));
    if (!args.sendsToTiers().isEmpty()) {
      // Only consumer-level (it re-sends a deferred job to its own tier) and lending (capacity
      // tokens, to the tiers above the lowest) send to a tier queue; otherwise only the router does.
      statements.add(1, Statement.allow("SendToTierQueues")
          .actions("sqs:SendMessage")
          .resources(args.tiers().stream().filter(t -> args.sendsToTiers().contains(t.tierName()))
              .map(t -> t.queue().arn()).toList())
          .build());
    }

    List<Output<String>> layers = new ArrayList<>();
    if (args.ffmpegLayer().isPresent()) {
      ffmpeg = new LayerVersion(childName("ffmpeg"), LayerVersionArgs.builder()
          .layerName(args.layerName())
          .description("Static FFmpeg 4.4 (libx264, AAC) at /opt/bin/ffmpeg for the priority-queues worker")
          .code(new FileArchive(args.ffmpegLayer().get().toString()))
          .compatibleRuntimes(LambdaFunction.RUNTIME)
          .compatibleArchitectures(args.function().architecture())
          .licenseInfo(FFMPEG_LICENSE)
          .build(), child());
      layers.add(ffmpeg.arn());
    } else {
      ffmpeg = null;
    }
    function = LambdaFunction.create(this, Functions.WORKER, args.function(), statements, layers, args.tags());

    for (TierQueue queue : args.tiers()) {
      Settings.Tier tier = queue.tier();
      EventSourceMappingArgs.Builder mapping = EventSourceMappingArgs.builder()
          .eventSourceArn(queue.queue().arn())
          .functionName(function.alias().arn())
          .batchSize(tier.batchSize())
          .maximumBatchingWindowInSeconds(tier.batchingWindowSeconds())
          .functionResponseTypes("ReportBatchItemFailures")
          .tags(args.tags());
      // On demand, capped by maxConcurrency; or provisioned mode, which AWS allows without the cap only.
      tier.maxConcurrency().ifPresent(cap -> mapping.scalingConfig(
          EventSourceMappingScalingConfigArgs.builder().maximumConcurrency(cap).build()));
      // Provisioned mode: pollers kept warm, billed in event-poller-unit hours (README, "Provisioned mode").
      tier.provisionedPollers().ifPresent(p -> mapping.provisionedPollerConfig(
          EventSourceMappingProvisionedPollerConfigArgs.builder()
              .minimumPollers(p.min())
              .maximumPollers(p.max())
              .build()));
      mappings.add(new EventSourceMapping(childName(tier.name() + "-mapping"), mapping.build(), child()));
    }
    registerOutputs(Map.of(
        "functionName", function.function().name(), "aliasArn", function.alias().arn()));
  }

  public LambdaFunction function() {
    return function;
  }

  /** The FFmpeg layer, when the worker transcodes. */
  public Optional<LayerVersion> ffmpegLayer() {
    return Optional.ofNullable(ffmpeg);
  }

  /** One mapping per tier, highest tier first. */
  public List<EventSourceMapping> mappings() {
    return List.copyOf(mappings);
  }
}
