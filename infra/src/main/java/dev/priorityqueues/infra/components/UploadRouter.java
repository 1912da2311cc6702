package dev.priorityqueues.infra.components;

import com.pulumi.aws.cloudwatch.EventRule;
import com.pulumi.aws.cloudwatch.EventRuleArgs;
import com.pulumi.aws.cloudwatch.EventTarget;
import com.pulumi.aws.cloudwatch.EventTargetArgs;
import com.pulumi.aws.cloudwatch.MetricAlarm;
import com.pulumi.aws.cloudwatch.inputs.EventTargetDeadLetterConfigArgs;
import com.pulumi.aws.cloudwatch.inputs.EventTargetRetryPolicyArgs;
import com.pulumi.aws.lambda.FunctionEventInvokeConfig;
import com.pulumi.aws.lambda.FunctionEventInvokeConfigArgs;
import com.pulumi.aws.lambda.Permission;
import com.pulumi.aws.lambda.inputs.FunctionEventInvokeConfigDestinationConfigArgs;
import com.pulumi.aws.lambda.inputs.FunctionEventInvokeConfigDestinationConfigOnFailureArgs;
import com.pulumi.aws.lambda.PermissionArgs;
import com.pulumi.aws.sqs.Queue;
import com.pulumi.aws.sqs.QueueArgs;
import com.pulumi.aws.sqs.QueuePolicy;
import com.pulumi.aws.sqs.QueuePolicyArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResourceOptions;
import dev.priorityqueues.contract.Functions;
import dev.priorityqueues.contract.Keys;
import dev.priorityqueues.infra.JsonSupport;
import dev.priorityqueues.infra.config.Limits;
import dev.priorityqueues.infra.config.Settings;
import dev.priorityqueues.infra.iam.PolicyDocument;
import dev.priorityqueues.infra.iam.Statement;
import java.util.LinkedHashMap;
import dev.priorityqueues.contract.RejectedInputs;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The router: an EventBridge rule that matches S3 "Object Created" events for this bucket's
 * {@code uploads/} prefix, and invokes the router function's alias. The target retries, and an
 * event that still cannot be delivered — or that the router fails on after Lambda's async
 * retries — goes to an encrypted dead-letter queue, with an alarm on it.
 */
public final class UploadRouter extends Component {
  public static final String TYPE = "UploadRouter";
  static final String EVENTS_PRINCIPAL = "events.amazonaws.com";

  private final LambdaFunction function;
  private final EventRule rule;
  private final Queue eventsDlq;
  private final MetricAlarm eventsDlqAlarm;

  /**
   * The arguments: the function, the storage its permissions are scoped to, the tier queues it
   * may send jobs to, how upload events are retried (by EventBridge, then by Lambda when the
   * router fails on one), where the events DLQ alarm notifies, and what becomes of a REJECTED or
   * ORPHANED upload (its permissions follow the mode). The config edge validated
   * every value.
   */
  public record Args(LambdaFunction.Config function, Storage storage, List<TierQueue> queues, Settings.Events events,
      Output<List<String>> alarmActions, Map<String, String> tags, RejectedInputs rejectedInputs) {
    public Args {
      Objects.requireNonNull(rejectedInputs, "rejectedInputs");
      Objects.requireNonNull(function, "function");
      Objects.requireNonNull(storage, "storage");
      queues = List.copyOf(queues);
      Objects.requireNonNull(events, "events");
      Objects.requireNonNull(alarmActions, "alarmActions");
      tags = Map.copyOf(tags);
    }
  }

  /**
   * What deleting or quarantining an upload that will never be processed needs, exactly: the
   * version is deleted by id ({@code s3:DeleteObjectVersion}; a delete without one would only
   * hide the bytes behind a delete marker); quarantine first copies that version
   * ({@code s3:GetObjectVersion} on the source, unless the role reads uploads anyway, and
   * {@code s3:PutObject} under {@code quarantine/}). Shared by the router and the worker.
   */
  public static List<Statement> disposeOfInputs(Storage storage, RejectedInputs mode, boolean readsVersions) {
    List<Statement> statements = new java.util.ArrayList<>();
    List<String> onUploads = new java.util.ArrayList<>(List.of("s3:DeleteObjectVersion"));
    if (mode == RejectedInputs.QUARANTINE && readsVersions) {
      onUploads.add("s3:GetObjectVersion");
    }
    statements.add(Statement.allow("DisposeOfRejectedUploads")
        .actions(onUploads.toArray(String[]::new))
        .resources(storage.objectsArn(Keys.UPLOADS_PREFIX))
        .build());
    if (mode == RejectedInputs.QUARANTINE) {
      statements.add(Statement.allow("QuarantineRejectedUploads")
          .actions("s3:PutObject")
          .resources(storage.objectsArn(Keys.QUARANTINE_PREFIX))
          .build());
    }
    return statements;
  }

  public UploadRouter(String name, Args args, ComponentResourceOptions options) {
    super(TYPE, name, options);
    List<Output<String>> queueArns = args.queues().stream().map(q -> q.queue().arn()).toList();
    eventsDlq = new Queue(childName("events-dlq"), TierQueue.encrypted(QueueArgs.builder(), args.function().encryption())
        .messageRetentionSeconds((int) Limits.MESSAGE_RETENTION.max())
        .tags(args.tags())
        .build(), child());
    List<Statement> statements = new java.util.ArrayList<>(List.of(
        Statement.allow("TrackVideos")
            .actions("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem")
            .resources(args.storage().videos().arn())
            .build(),
        Statement.allow("LookUpSubscriptions")
            .actions("dynamodb:GetItem")
            .resources(args.storage().users().arn())
            .build(),
        Statement.allow("EnqueueJobs")
            .actions("sqs:SendMessage")
            .resources(queueArns)
            .build(),
        // Lambda's on-failure destination sends with the function's own role.
        Statement.allow("ReportFailedEvents")
            .actions("sqs:SendMessage")
            .resources(eventsDlq.arn())
            .build()));
    // Reads and writes the tables; sends to the tier queues and the events DLQ; in quarantine
    // mode also reads an upload and writes its copy (see Encryption).
    boolean quarantines = args.rejectedInputs() == RejectedInputs.QUARANTINE;
    args.function().encryption().ifPresent(e -> statements.addAll(List.of(
        quarantines
            ? e.decrypt("DecryptTablesQueuesAndUploads", Encryption.Via.DYNAMODB, Encryption.Via.SQS, Encryption.Via.S3)
            : e.decrypt("DecryptTablesAndQueues", Encryption.Via.DYNAMODB, Encryption.Via.SQS),
        quarantines
            ? e.generateDataKey("EncryptJobsAndQuarantine", Encryption.Via.SQS, Encryption.Via.S3)
            : e.generateDataKey("EncryptJobs", Encryption.Via.SQS))));
    statements.addAll(disposeOfInputs(args.storage(), args.rejectedInputs(), true));
    function = LambdaFunction.create(this, Functions.ROUTER, args.function(), statements, args.tags());

    // EventBridge hands the event to Lambda asynchronously; when the router itself fails, Lambda
    // retries twice and then drops the event unless it has somewhere to go. Here it goes to the
    // same events DLQ, with the error, so no upload is lost to a router failure.
    new FunctionEventInvokeConfig(childName("async"), FunctionEventInvokeConfigArgs.builder()
        .functionName(function.function().name())
        .qualifier(function.alias().name())
        .maximumRetryAttempts((int) Limits.ASYNC_RETRY_ATTEMPTS.max())
        .maximumEventAgeInSeconds(args.events().routerMaxAgeSeconds())
        .destinationConfig(FunctionEventInvokeConfigDestinationConfigArgs.builder()
            .onFailure(FunctionEventInvokeConfigDestinationConfigOnFailureArgs.builder()
                .destination(eventsDlq.arn())
                .build())
            .build())
        .build(), child());

    rule = new EventRule(childName("rule"), EventRuleArgs.builder()
        .description("S3 uploads under " + Keys.UPLOADS_PREFIX + " to the priority-queues router")
        .eventPattern(args.storage().bucket().bucket().applyValue(UploadRouter::eventPattern))
        .tags(args.tags())
        .build(), child());

    new QueuePolicy(childName("events-dlq-policy"), QueuePolicyArgs.builder()
        .queueUrl(eventsDlq.url())
        .policy(PolicyDocument.of(
            Statement.allow("EventsFromTheRouterRule")
                .servicePrincipal(EVENTS_PRINCIPAL)
                .actions("sqs:SendMessage")
                .resources(eventsDlq.arn())
                .condition("ArnEquals", "aws:SourceArn", rule.arn())
                .build(),
            Statement.denyInsecureTransport("sqs", List.of(eventsDlq.arn()))))
        .build(), child());

    new EventTarget(childName("target"), EventTargetArgs.builder()
        .rule(rule.name())
        .arn(function.alias().arn())
        .retryPolicy(EventTargetRetryPolicyArgs.builder()
            .maximumRetryAttempts(args.events().retryAttempts())
            .maximumEventAgeInSeconds(args.events().maxAgeSeconds())
            .build())
        .deadLetterConfig(EventTargetDeadLetterConfigArgs.builder().arn(eventsDlq.arn()).build())
        .build(), child());

    // Only this rule may invoke the function.
    new Permission(childName("invoke-permission"), PermissionArgs.builder()
        .action("lambda:InvokeFunction")
        .function(function.function().name())
        .qualifier(function.alias().name())
        .principal(EVENTS_PRINCIPAL)
        .sourceArn(rule.arn())
        .build(), child());

    eventsDlqAlarm = MetricAlarms.anyMessageVisible(this, "events-dlq-alarm", eventsDlq.name(),
        "EventBridge could not deliver an upload event to the router: the upload is not queued."
            + " Check the router's logs, then replay the event from the DLQ.",
        new MetricAlarms.Notify(args.alarmActions(), args.tags()));

    registerOutputs(Map.of("ruleArn", rule.arn(), "eventsDlqUrl", eventsDlq.url()));
  }

  /**
   * The rule's pattern: S3 "Object Created" for this bucket, keys under {@code uploads/}. These
   * are the events S3 sends once the bucket notifies EventBridge.
   */
  static String eventPattern(String bucketName) {
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("bucket", Map.of("name", List.of(bucketName)));
    detail.put("object", Map.of("key", List.of(Map.of("prefix", Keys.UPLOADS_PREFIX))));
    Map<String, Object> pattern = new LinkedHashMap<>();
    pattern.put("source", List.of("aws.s3"));
    pattern.put("detail-type", List.of("Object Created"));
    pattern.put("detail", detail);
    return JsonSupport.write(pattern);
  }

  public LambdaFunction function() {
    return function;
  }

  public EventRule rule() {
    return rule;
  }

  /** Upload events EventBridge could not deliver, or the router failed on after its retries. */
  public Queue eventsDlq() {
    return eventsDlq;
  }

  public MetricAlarm eventsDlqAlarm() {
    return eventsDlqAlarm;
  }
}
