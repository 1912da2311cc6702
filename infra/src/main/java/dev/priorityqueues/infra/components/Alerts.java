package dev.priorityqueues.infra.components;

import com.pulumi.aws.sns.Topic;
import com.pulumi.aws.sns.TopicArgs;
import com.pulumi.aws.sns.TopicSubscription;
import com.pulumi.aws.sns.TopicSubscriptionArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResourceOptions;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where alarms go: a new SNS topic with an e-mail subscription, an existing topic, or nowhere
 * (the alarms still show in the console). Every alarm of the stack uses {@link #actions()}.
 */
public final class Alerts extends Component {
  public static final String TYPE = "Alerts";

  private final Output<List<String>> actions;
  private final Optional<Topic> topic;

  /** The arguments: at most one of an e-mail and a topic ARN (the config edge checked it). */
  public record Args(Optional<String> email, Optional<String> topicArn, Optional<Encryption> encryption,
      Map<String, String> tags) {
    public Args {
      Objects.requireNonNull(email, "email");
      Objects.requireNonNull(topicArn, "topicArn");
      Objects.requireNonNull(encryption, "encryption");
      tags = Map.copyOf(tags);
    }
  }

  public Alerts(String name, Args args, ComponentResourceOptions options) {
    super(TYPE, name, options);
    if (args.email().isPresent()) {
      // Without a customer key the topic is not encrypted: CloudWatch alarms cannot publish to a
      // topic under the AWS-managed SNS key. A customer key's policy lets CloudWatch use it
      // (KeyPolicy, CloudWatchAlarmsNotify).
      var topicArgs = TopicArgs.builder()
          .displayName("priority-queues alarms")
          .tags(args.tags());
      args.encryption().ifPresent(e -> topicArgs.kmsMasterKeyId(e.keyArn()));
      var created = new Topic(childName("topic"), topicArgs.build(), child());
      new TopicSubscription(childName("email"), TopicSubscriptionArgs.builder()
          .topic(created.arn())
          .protocol("email")
          .endpoint(args.email().get())
          .build(), child());
      topic = Optional.of(created);
      actions = created.arn().applyValue(List::of);
    } else {
      topic = Optional.empty();
      actions = Output.of(args.topicArn().map(List::of).orElse(List.of()));
    }
    registerOutputs(Map.of("actions", actions));
  }

  /** The alarm and OK actions of every alarm: zero or one topic ARN. */
  public Output<List<String>> actions() {
    return actions;
  }

  /** The topic this component created, if it created one. */
  public Optional<Topic> topic() {
    return topic;
  }
}
