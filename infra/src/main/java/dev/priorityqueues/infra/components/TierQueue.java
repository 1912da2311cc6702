package dev.priorityqueues.infra.components;

import com.pulumi.aws.cloudwatch.MetricAlarm;
import com.pulumi.aws.sqs.Queue;
import com.pulumi.aws.sqs.QueueArgs;
import com.pulumi.aws.sqs.QueuePolicy;
import com.pulumi.aws.sqs.QueuePolicyArgs;
import com.pulumi.aws.sqs.RedriveAllowPolicy;
import com.pulumi.aws.sqs.RedriveAllowPolicyArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResourceOptions;
import dev.priorityqueues.contract.TierTable;
import dev.priorityqueues.infra.JsonSupport;
import dev.priorityqueues.infra.config.Settings;
import dev.priorityqueues.infra.iam.PolicyDocument;
import dev.priorityqueues.infra.iam.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One priority tier's queue and its dead-letter queue, both standard queues with SQS-managed
 * encryption and a TLS-only policy. The queue's redrive policy sends a message to the DLQ after
 * {@code maxReceiveCount} receives; the DLQ accepts messages only from this queue and alarms as
 * soon as one arrives. The DLQ has the queue's visibility timeout. The tier arrives as the one
 * validated value of its config, and this component hands it on: to the worker's mapping
 * ({@link #tier()}) and to the functions' tier table ({@link #tableEntry}).
 */
public final class TierQueue extends Component {
  public static final String TYPE = "TierQueue";

  /**
   * The arguments: the tier, the settings every tier queue shares, and where the DLQ alarm
   * notifies (zero or more SNS topic ARNs). The config edge validated both settings.
   */
  public record Args(Settings.Tier tier, Settings.Queues queues, Output<List<String>> alarmActions,
      Optional<Encryption> encryption, Map<String, String> tags) {
    public Args {
      Objects.requireNonNull(tier, "tier");
      Objects.requireNonNull(queues, "queues");
      Objects.requireNonNull(alarmActions, "alarmActions");
      Objects.requireNonNull(encryption, "encryption");
      tags = Map.copyOf(tags);
    }
  }

  private final Settings.Tier tier;
  private final Queue queue;
  private final Queue dlq;
  private final MetricAlarm dlqAlarm;

  public TierQueue(String name, Args args, ComponentResourceOptions options) {
    super(TYPE, name, options);
    this.tier = args.tier();
    Settings.Queues queues = args.queues();

    dlq = new Queue(childName("dlq"), encrypted(QueueArgs.builder(), args.encryption())
        .visibilityTimeoutSeconds(queues.visibilityTimeoutSeconds())
        .messageRetentionSeconds(queues.dlqRetentionSeconds())
        .tags(args.tags())
        .build(), child());

    queue = new Queue(childName("queue"), encrypted(QueueArgs.builder(), args.encryption())
        .visibilityTimeoutSeconds(queues.visibilityTimeoutSeconds())
        .messageRetentionSeconds(queues.retentionSeconds())
        .redrivePolicy(dlq.arn().applyValue(arn -> redrivePolicy(arn, tier.maxReceiveCount())))
        .tags(args.tags())
        .build(), child());

    // A separate resource, not the DLQ's own argument: the DLQ would need the queue's ARN,
    // and the queue already needs the DLQ's, which would be a cycle.
    new RedriveAllowPolicy(childName("dlq-redrive-allow"), RedriveAllowPolicyArgs.builder()
        .queueUrl(dlq.url())
        .redriveAllowPolicy(queue.arn().applyValue(TierQueue::redriveAllowPolicy))
        .build(), child());

    dlqAlarm = MetricAlarms.anyMessageVisible(this, "dlq-alarm", dlq.name(),
        "A " + tier.name() + " job reached its dead-letter queue: it failed " + tier.maxReceiveCount()
            + " times or the worker dead-lettered it. Inspect it, fix the cause, then redrive it.",
        new MetricAlarms.Notify(args.alarmActions(), args.tags()));

    registerOutputs(Map.of(
        "queueUrl", queue.url(), "queueArn", queue.arn(),
        "dlqUrl", dlq.url(), "dlqArn", dlq.arn()));
  }

  /** The tier's name, as in the config and the tier table. */
  public String tierName() {
    return tier.name();
  }

  /** The tier, as configured: its mapping's settings and its subscriptions. */
  public Settings.Tier tier() {
    return tier;
  }

  /** This tier's entry in the functions' tier table, at {@code priority} (0 is the highest). */
  public Output<TierTable.Tier> tableEntry(int priority) {
    return Output.tuple(queue.url(), queue.arn(), dlq.url(), dlq.arn()).applyValue(t ->
        new TierTable.Tier(tier.name(), priority, t.t1, t.t2, t.t3, t.t4, tier.subscriptions(), tier.maxReceiveCount()));
  }

  public Queue queue() {
    return queue;
  }

  public Queue dlq() {
    return dlq;
  }

  public MetricAlarm dlqAlarm() {
    return dlqAlarm;
  }

  /**
   * A queue's encryption at rest: SQS-managed (SSE-SQS), or the customer key with its data key
   * reuse period. SQS takes one or the other, never both.
   */
  static QueueArgs.Builder encrypted(QueueArgs.Builder queue, Optional<Encryption> encryption) {
    return encryption.isPresent()
        ? queue.kmsMasterKeyId(encryption.get().keyArn())
            .kmsDataKeyReusePeriodSeconds(CustomerKey.SQS_DATA_KEY_REUSE_SECONDS)
        : queue.sqsManagedSseEnabled(true);
  }

  /** The redrive policy SQS expects, as JSON. */
  static String redrivePolicy(String dlqArn, int maxReceiveCount) {
    Map<String, Object> policy = new LinkedHashMap<>();
    policy.put("deadLetterTargetArn", dlqArn);
    policy.put("maxReceiveCount", maxReceiveCount);
    return JsonSupport.write(policy);
  }

  static String redriveAllowPolicy(String sourceQueueArn) {
    Map<String, Object> policy = new LinkedHashMap<>();
    policy.put("redrivePermission", "byQueue");
    policy.put("sourceQueueArns", List.of(sourceQueueArn));
    return JsonSupport.write(policy);
  }

  /**
   * The queue's and the DLQ's policies: TLS only, and SendMessage denied to every principal but
   * the given roles (ARNs), even one whose own policy allows it. The senders' roles are created
   * after the queues (their policies name the queues), so the stack calls this once they exist.
   *
   * @param queueSenders the roles that put jobs on the tier queue (router; worker when it re-sends;
   *     the operators who redrive its DLQ)
   * @param dlqSenders the roles that dead-letter jobs themselves (the worker)
   */
  public void restrictSends(List<Output<String>> queueSenders, List<Output<String>> dlqSenders) {
    queuePolicy(queue, "queue-policy", queueSenders);
    queuePolicy(dlq, "dlq-policy", dlqSenders);
  }

  private void queuePolicy(Queue target, String suffix, List<Output<String>> senders) {
    new QueuePolicy(childName(suffix), QueuePolicyArgs.builder()
        .queueUrl(target.url())
        .policy(PolicyDocument.of(
            Statement.denyInsecureTransport("sqs", List.of(target.arn())),
            onlyTheseSend(target.arn(), senders)))
        .build(), child());
  }

  /**
   * Deny, not Allow: in the same account an Allow in the queue policy would add to what identity
   * policies grant, while an explicit Deny overrides them. aws:PrincipalArn is the role's ARN for
   * a role session (IAM User Guide, global condition keys).
   */
  static Statement onlyTheseSend(Output<String> queueArn, List<Output<String>> senders) {
    return Statement.deny("OnlyThePipelineSends")
        .anyPrincipal()
        .actions("sqs:SendMessage")
        .resources(queueArn)
        .condition("ArnNotEquals", "aws:PrincipalArn", senders)
        .build();
  }
}
