package dev.priorityqueues.infra.components;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.pulumi.asset.FileArchive;
import com.pulumi.aws.cloudwatch.LogGroup;
import com.pulumi.aws.cloudwatch.LogGroupArgs;
import com.pulumi.aws.iam.Role;
import com.pulumi.aws.iam.RoleArgs;
import com.pulumi.aws.iam.RolePolicy;
import com.pulumi.aws.iam.RolePolicyArgs;
import com.pulumi.aws.lambda.Alias;
import com.pulumi.aws.lambda.AliasArgs;
import com.pulumi.aws.lambda.Function;
import com.pulumi.aws.lambda.FunctionArgs;
import com.pulumi.aws.lambda.inputs.FunctionEnvironmentArgs;
import com.pulumi.aws.lambda.inputs.FunctionEphemeralStorageArgs;
import com.pulumi.aws.lambda.inputs.FunctionLoggingConfigArgs;
import com.pulumi.aws.lambda.inputs.FunctionSnapStartArgs;
import com.pulumi.aws.lambda.inputs.FunctionTracingConfigArgs;
import com.pulumi.core.Output;
import dev.priorityqueues.contract.Functions;
import dev.priorityqueues.infra.JsonSupport;
import dev.priorityqueues.contract.Transcoding;
import dev.priorityqueues.infra.iam.PolicyDocument;
import dev.priorityqueues.infra.iam.Statement;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One Lambda function the way every function of this program is deployed: its own role with an
 * inline least-privilege policy, its own log group with retention, {@code java21} with X-Ray
 * tracing, SnapStart on published versions, and an alias ({@value #ALIAS}) that every trigger
 * uses, so each invocation runs a SnapStart-enabled version.
 *
 * <p>The children belong to the calling component and are named {@code <component>-role},
 * {@code -logs}, {@code -policy}, {@code -function} and {@code -live}.
 */
public record LambdaFunction(Role role, LogGroup logGroup, RolePolicy policy, Function function, Alias alias) {

  public static final String RUNTIME = "java21";
  public static final String ALIAS = "live";
  static final int MAX_ENVIRONMENT_BYTES = 4096;

  /** What may differ between deployments of a function; everything else is the same for all. */
  public record Config(
      Path archive,
      int memoryMb,
      int timeoutSeconds,
      Integer reservedConcurrency,
      Output<Map<String, String>> environment,
      int logRetentionDays,
      String architecture,
      int ephemeralStorageMb,
      Optional<Encryption> encryption) {

    /** A function without a customer-managed key. */
    public Config(Path archive, int memoryMb, int timeoutSeconds, Integer reservedConcurrency,
        Output<Map<String, String>> environment, int logRetentionDays, String architecture, int ephemeralStorageMb) {
      this(archive, memoryMb, timeoutSeconds, reservedConcurrency, environment, logRetentionDays, architecture,
          ephemeralStorageMb, Optional.empty());
    }

    /** A function on the default architecture with the smallest /tmp. */
    public Config(Path archive, int memoryMb, int timeoutSeconds, Integer reservedConcurrency,
        Output<Map<String, String>> environment, int logRetentionDays) {
      this(archive, memoryMb, timeoutSeconds, reservedConcurrency, environment, logRetentionDays,
          Transcoding.DEFAULT_ARCHITECTURE, Transcoding.MIN_EPHEMERAL_STORAGE_MB);
    }

    /** The config edge validated every number; this only refuses what cannot be a function. */
    public Config {
      Objects.requireNonNull(archive, "archive");
      Objects.requireNonNull(environment, "environment");
      Objects.requireNonNull(architecture, "architecture");
      Objects.requireNonNull(encryption, "encryption");
    }

    /** The same function, its environment, snapshots and logs under {@code encryption}'s key when there is one. */
    public Config encryptedWith(Optional<Encryption> encryption) {
      return new Config(archive, memoryMb, timeoutSeconds, reservedConcurrency, environment, logRetentionDays,
          architecture, ephemeralStorageMb, encryption);
    }

    /** SnapStart refuses a function with more /tmp than this. */
    public boolean snapStart() {
      return ephemeralStorageMb <= Transcoding.SNAPSTART_MAX_EPHEMERAL_STORAGE_MB;
    }
  }

  /**
   * Creates the function's resources as children of {@code parent}. {@code statements} are the
   * function's own permissions; writing its logs and traces is added here.
   */
  static LambdaFunction create(Component parent, Functions id, Config spec, List<Statement> statements,
      Map<String, String> tags) {
    return create(parent, id, spec, statements, List.of(), tags);
  }

  /** As above, with layers (their version ARNs), which must match the function's architecture. */
  static LambdaFunction create(Component parent, Functions id, Config spec, List<Statement> statements,
      List<Output<String>> layers, Map<String, String> tags) {
    var role = new Role(parent.childName("role"), RoleArgs.builder()
        .description("Runs the " + id.id() + " function")
        .assumeRolePolicy(PolicyDocument.assumeRole("lambda.amazonaws.com"))
        .tags(tags)
        .build(), parent.child());

    var logArgs = LogGroupArgs.builder()
        .retentionInDays(spec.logRetentionDays())
        .tags(tags);
    spec.encryption().ifPresent(e -> logArgs.kmsKeyId(e.keyArn()));
    var logGroup = new LogGroup(parent.childName("logs"), logArgs.build(), parent.child());

    List<Statement> all = new ArrayList<>(statements);
    all.add(Statement.allow("WriteOwnLogs")
        .actions("logs:CreateLogStream", "logs:PutLogEvents")
        .resources(logGroup.arn().applyValue(arn -> arn + ":*"))
        .build());
    // X-Ray has no resource-level permissions: this is the program's only resource "*".
    all.add(Statement.allow("WriteTraces")
        .actions(Statement.XRAY_WRITE_ACTIONS)
        .anyResource()
        .build());
    var policy = new RolePolicy(parent.childName("policy"), RolePolicyArgs.builder()
        .role(role.id())
        .policy(PolicyDocument.of(all))
        .build(), parent.child());

    FunctionArgs.Builder args = FunctionArgs.builder()
        .description("priority-queues " + id.id())
        .runtime(RUNTIME)
        .handler(id.handler())
        .code(new FileArchive(spec.archive().toString()))
        .role(role.arn())
        .memorySize(spec.memoryMb())
        .timeout(spec.timeoutSeconds())
        .environment(FunctionEnvironmentArgs.builder()
            .variables(spec.environment().applyValue(env -> checkSize(id, env)))
            .build())
        .tracingConfig(FunctionTracingConfigArgs.builder().mode("Active").build())
        .loggingConfig(FunctionLoggingConfigArgs.builder()
            .logFormat("Text")
            .logGroup(logGroup.name())
            .build())
        .architectures(spec.architecture())
        .ephemeralStorage(FunctionEphemeralStorageArgs.builder().size(spec.ephemeralStorageMb()).build())
        .snapStart(FunctionSnapStartArgs.builder().applyOn(spec.snapStart() ? "PublishedVersions" : "None").build())
        .publish(true)
        .tags(tags);
    if (!layers.isEmpty()) {
      args.layers(Output.all(layers));
    }
    // The environment and the SnapStart snapshots (Lambda API Reference, CreateFunction, KMSKeyArn).
    spec.encryption().ifPresent(e -> args.kmsKeyArn(e.keyArn()));
    if (spec.reservedConcurrency() != null) {
      args.reservedConcurrentExecutions(spec.reservedConcurrency());
    }
    // The policy must exist before anything uses the role: a mapping is validated against it.
    var function = new Function(parent.childName("function"), args.build(), parent.child(policy));

    var alias = new Alias(parent.childName(ALIAS), AliasArgs.builder()
        .name(ALIAS)
        .description("The published version every trigger invokes (SnapStart needs a version)")
        .functionName(function.name())
        .functionVersion(function.version())
        .build(), parent.child());

    return new LambdaFunction(role, logGroup, policy, function, alias);
  }

  /**
   * Lambda rejects an environment over 4 KB, measured on the variables serialized as JSON: the
   * braces, quotes, separators and escapes count, and the tier table's JSON is escaped once
   * more inside its value. Say which function and why, not just "too large".
   */
  static Map<String, String> checkSize(Functions id, Map<String, String> env) {
    int bytes = environmentBytes(env);
    if (bytes > MAX_ENVIRONMENT_BYTES) {
      throw new IllegalStateException("the " + id.id() + " function's environment is " + bytes
          + " bytes of JSON, over Lambda's " + MAX_ENVIRONMENT_BYTES + ": the tier table holds every tier's queue URLs"
          + " and ARNs, so use fewer tiers or fewer subscriptions");
    }
    return env;
  }

  /** The size Lambda measures: the variables as one JSON object, in UTF-8. */
  static int environmentBytes(Map<String, String> env) {
    return JsonSupport.write(env).getBytes(UTF_8).length;
  }
}
