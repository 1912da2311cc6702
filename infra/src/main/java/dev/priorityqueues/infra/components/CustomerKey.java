package dev.priorityqueues.infra.components;

import com.pulumi.aws.AwsFunctions;
import com.pulumi.aws.kms.Alias;
import com.pulumi.aws.kms.AliasArgs;
import com.pulumi.aws.kms.Key;
import com.pulumi.aws.kms.KeyArgs;
import com.pulumi.aws.outputs.GetCallerIdentityResult;
import com.pulumi.aws.outputs.GetPartitionResult;
import com.pulumi.aws.outputs.GetRegionResult;
import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResourceOptions;
import dev.priorityqueues.infra.config.Settings;
import dev.priorityqueues.infra.iam.KeyPolicy;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The customer-managed KMS key every part encrypts with when {@code kmsKey} is set: a key this
 * component creates ({@code create}: symmetric, yearly rotation, the longest deletion window, the
 * least-privilege {@link KeyPolicy}, and an alias), or an existing key named by its ARN, whose
 * policy is its owner's. The parts take {@link #encryption()}.
 */
public final class CustomerKey extends Component {
  public static final String TYPE = "CustomerKey";

  /** The longest pending-deletion window KMS allows (7 to 30 days): the most time to cancel a mistake. */
  public static final int DELETION_WINDOW_DAYS = 30;

  /**
   * How long SQS reuses a data key before asking KMS for a new one, in seconds: SQS's default
   * (60 to 86,400; SQS Developer Guide, "Data key reuse period"). Each reuse period costs a KMS
   * call per producer and consumer, and a longer one exposes more messages to one data key.
   */
  public static final int SQS_DATA_KEY_REUSE_SECONDS = 300;

  /** The arguments: the validated setting (in use), and the alias name of a created key. */
  public record Args(Settings.KmsKey kmsKey, String aliasName, Map<String, String> tags) {
    public Args {
      Objects.requireNonNull(kmsKey, "kmsKey");
      if (!kmsKey.inUse()) {
        throw new IllegalArgumentException("kmsKey is none: there is no customer key to build");
      }
      Objects.requireNonNull(aliasName, "aliasName");
      tags = Map.copyOf(tags);
    }
  }

  private final Optional<Key> key;
  private final Encryption encryption;

  public CustomerKey(String name, Args args, ComponentResourceOptions options) {
    super(TYPE, name, options);
    Output<String> region = AwsFunctions.getRegion().applyValue(GetRegionResult::name);
    Output<String> arn;
    if (args.kmsKey().create()) {
      Output<String> policy = Output.tuple(
              AwsFunctions.getPartition().applyValue(GetPartitionResult::partition),
              AwsFunctions.getCallerIdentity().applyValue(GetCallerIdentityResult::accountId),
              region)
          .applyValue(t -> KeyPolicy.document(t.t1, t.t2, t.t3));
      Key created = new Key(childName("key"), KeyArgs.builder()
          .description("priority-queues: the bucket, tables, queues, logs, function environments and alarm topic")
          .keyUsage("ENCRYPT_DECRYPT")
          .customerMasterKeySpec("SYMMETRIC_DEFAULT")
          .enableKeyRotation(true)
          .deletionWindowInDays(DELETION_WINDOW_DAYS)
          .policy(policy)
          .tags(args.tags())
          .build(), child());
      new Alias(childName("alias"), AliasArgs.builder()
          .name(args.aliasName())
          .targetKeyId(created.keyId())
          .build(), child());
      key = Optional.of(created);
      arn = created.arn();
    } else {
      key = Optional.empty();
      arn = Output.of(args.kmsKey().arn().orElseThrow());
    }
    encryption = new Encryption(arn, region);
    registerOutputs(Map.of("keyArn", arn));
  }

  /** The key's ARN and the grants the parts' roles need. */
  public Encryption encryption() {
    return encryption;
  }

  /** The key this component created, if it created one. */
  public Optional<Key> key() {
    return key;
  }
}
