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
import dev.priorityqueues.infra.config.Limits;
import dev.priorityqueues.infra.iam.PolicyDocument;
import dev.priorityqueues.infra.iam.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One priority tier's queue and its dead-letter queue, both standard queues with SQS-managed
 * encryption and a TLS-only policy. The queue's redrive policy sends a message to the DLQ after
 * {@code maxReceiveCount} receives; the DLQ accepts messages only from this queue and alarms as
 * soon as one arrives. The DLQ mirrors the queue's settings unless told otherwise.
 */
public final class TierQueue extends Component {
  public static final String TYPE = "TierQueue";

  private final String tier;
  private final Queue queue;
  private final Queue dlq;
  private final MetricAlarm dlqAlarm;

  public TierQueue(String name, Args args, ComponentResourceOptions options) {
    super(TYPE, name, options);
    this.tier = args.tier;

    dlq = new Queue(childName("dlq"), QueueArgs.builder()
        .visibilityTimeoutSeconds(args.dlqVisibilityTimeoutSeconds())
        .messageRetentionSeconds(args.dlqRetentionSeconds)
        .sqsManagedSseEnabled(true)
        .tags(args.tags)
        .build(), child());

    queue = new Queue(childName("queue"), QueueArgs.builder()
        .visibilityTimeoutSeconds(args.visibilityTimeoutSeconds)
        .messageRetentionSeconds(args.retentionSeconds)
        .sqsManagedSseEnabled(true)
        .redrivePolicy(dlq.arn().applyValue(arn -> redrivePolicy(arn, args.maxReceiveCount)))
        .tags(args.tags)
        .build(), child());

    // A separate resource, not the DLQ's own argument: the DLQ would need the queue's ARN,
    // and the queue already needs the DLQ's, which would be a cycle.
    new RedriveAllowPolicy(childName("dlq-redrive-allow"), RedriveAllowPolicyArgs.builder()
        .queueUrl(dlq.url())
        .redriveAllowPolicy(queue.arn().applyValue(TierQueue::redriveAllowPolicy))
        .build(), child());

    dlqAlarm = MetricAlarms.anyMessageVisible(this, "dlq-alarm", dlq.name(),
        "A " + tier + " job reached its dead-letter queue: it failed " + args.maxReceiveCount
            + " times or the worker dead-lettered it. Inspect it, fix the cause, then redrive it.",
        args.alarmActions, args.tags);

    registerOutputs(Map.of(
        "queueUrl", queue.url(), "queueArn", queue.arn(),
        "dlqUrl", dlq.url(), "dlqArn", dlq.arn()));
  }

  /** The tier's name, as in the config and the tier table. */
  public String tier() {
    return tier;
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
   * @param queueSenders the roles that put jobs on the tier queue (router; worker when it re-sends)
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

  /** The arguments of a {@link TierQueue}. */
  public static final class Args extends ComponentArgs {
    private String tier;
    private int visibilityTimeoutSeconds = 30;
    private int retentionSeconds = 345_600;
    private int maxReceiveCount = 5;
    private int dlqRetentionSeconds = (int) Limits.MESSAGE_RETENTION.max();
    private Integer dlqVisibilityTimeoutSeconds;
    private Output<List<String>> alarmActions = Output.of(List.of());

    private Args() {}

    public static TierQueue.Builder builder() {
      return new TierQueue.Builder();
    }

    int dlqVisibilityTimeoutSeconds() {
      return dlqVisibilityTimeoutSeconds == null ? visibilityTimeoutSeconds : dlqVisibilityTimeoutSeconds;
    }
  }

  /** Builds {@link Args}; the tier name is required, everything else has a default. */
  public static final class Builder extends ComponentArgs.Builder<Args, Builder> {
    private Builder() {
      super(new Args());
    }

    /** The tier's name; it must match {@link TierTable#TIER_NAME}. */
    public Builder tier(String tier) {
      args.tier = tier;
      return this;
    }

    public Builder visibilityTimeoutSeconds(int seconds) {
      args.visibilityTimeoutSeconds = seconds;
      return this;
    }

    public Builder retentionSeconds(int seconds) {
      args.retentionSeconds = seconds;
      return this;
    }

    public Builder maxReceiveCount(int count) {
      args.maxReceiveCount = count;
      return this;
    }

    /** Defaults to 14 days, the most SQS allows. */
    public Builder dlqRetentionSeconds(int seconds) {
      args.dlqRetentionSeconds = seconds;
      return this;
    }

    /** Defaults to the queue's visibility timeout. */
    public Builder dlqVisibilityTimeoutSeconds(int seconds) {
      args.dlqVisibilityTimeoutSeconds = seconds;
      return this;
    }

    /** Where the DLQ alarm notifies: zero or more SNS topic ARNs. */
    public Builder alarmActions(Output<List<String>> actions) {
      args.alarmActions = Objects.requireNonNull(actions, "alarmActions");
      return this;
    }

    @Override
    protected void validate() {
      if (args.tier == null || !TierTable.TIER_NAME.matcher(args.tier).matches()) {
        throw new IllegalArgumentException("tier must match " + TierTable.TIER_NAME.pattern() + ", not " + args.tier);
      }
      Limits.VISIBILITY_TIMEOUT.check("visibilityTimeoutSeconds", args.visibilityTimeoutSeconds);
      Limits.VISIBILITY_TIMEOUT.check("dlqVisibilityTimeoutSeconds", args.dlqVisibilityTimeoutSeconds());
      Limits.MESSAGE_RETENTION.check("retentionSeconds", args.retentionSeconds);
      Limits.MESSAGE_RETENTION.check("dlqRetentionSeconds", args.dlqRetentionSeconds);
      Limits.MAX_RECEIVE_COUNT.check("maxReceiveCount", args.maxReceiveCount);
      if (args.dlqRetentionSeconds <= args.retentionSeconds) {
        throw new IllegalArgumentException("dlqRetentionSeconds (" + args.dlqRetentionSeconds
            + ") must be longer than retentionSeconds (" + args.retentionSeconds + ")");
      }
    }
  }
}
