package dev.priorityqueues.infra.config;

import com.pulumi.Config;
import dev.priorityqueues.contract.Flow;
import dev.priorityqueues.contract.ProcessorSpec;
import dev.priorityqueues.contract.Transcoding;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The whole configuration of one stack, validated and immutable. {@link #fromConfig} reads it
 * from Pulumi's config, {@link #fromStackFile} from a {@code Pulumi.<stack>.yaml}; both hand raw
 * text to the same parser ({@link #parse}), so both accept and reject exactly the same values.
 */
public record Settings(
    List<Tier> tiers,
    String defaultTier,
    Flow flow,
    Worker worker,
    FunctionSize presign,
    FunctionSize status,
    FunctionSize router,
    Queues queues,
    FlowTuning tuning,
    int accountConcurrency,
    Uploads uploads,
    Privacy privacy,
    Auth auth,
    Api api,
    Events events,
    Alarms alarms,
    int logRetentionDays,
    boolean protectData,
    Map<String, String> tags,
    Path codeRoot,
    List<String> warnings,
    KmsKey kmsKey,
    List<String> operatorRoleArns) {

  public Settings {
    tiers = List.copyOf(tiers);
    tags = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tags));
    warnings = List.copyOf(warnings);
    Objects.requireNonNull(codeRoot, "codeRoot");
    Objects.requireNonNull(kmsKey, "kmsKey");
    operatorRoleArns = List.copyOf(operatorRoleArns);
  }

  /**
   * The customer-managed KMS key ({@code kmsKey}): none (AWS-owned and AWS-managed keys, the
   * default), one the program creates, or an existing key's ARN.
   */
  public record KmsKey(boolean create, Optional<String> arn) {
    public static final KmsKey NONE = new KmsKey(false, Optional.empty());

    public KmsKey {
      Objects.requireNonNull(arn, "arn");
      if (create && arn.isPresent()) {
        throw new IllegalArgumentException("a key is either created or given by its ARN, not both");
      }
    }

    /** Whether the bucket, tables, queues, logs, function environments and alarm topic use a customer key. */
    public boolean inUse() {
      return create || arn.isPresent();
    }
  }

  /**
   * One priority tier. The first tier in {@link #tiers()} is the highest. Its mapping is either
   * on demand, capped by {@code maxConcurrency}, or in provisioned mode with {@code
   * provisionedPollers}; AWS does not allow both.
   */
  public record Tier(
      String name,
      List<String> subscriptions,
      Optional<Integer> maxConcurrency,
      int maxReceiveCount,
      int batchSize,
      int batchingWindowSeconds,
      Optional<ProvisionedPollers> provisionedPollers) {
    public Tier {
      subscriptions = List.copyOf(subscriptions);
      if (maxConcurrency.isPresent() == provisionedPollers.isPresent()) {
        throw new IllegalArgumentException("tier " + name + " needs exactly one of maxConcurrency and provisionedPollers");
      }
    }

    /** An on-demand tier capped by {@code maxConcurrency}. */
    public Tier(String name, List<String> subscriptions, int maxConcurrency, int maxReceiveCount, int batchSize,
        int batchingWindowSeconds) {
      this(name, subscriptions, Optional.of(maxConcurrency), maxReceiveCount, batchSize, batchingWindowSeconds,
          Optional.empty());
    }

    /** The most concurrent invocations the tier's mapping can start: its cap, or 10 per maximum poller. */
    public int concurrencyBound() {
      return maxConcurrency.orElseGet(() -> provisionedPollers.orElseThrow().maxConcurrency());
    }
  }

  /** A mapping's provisioned mode: event pollers kept between {@code min} and {@code max}. */
  public record ProvisionedPollers(int min, int max) {
    /** Each SQS event poller runs up to 10 concurrent invokes. */
    public static final int INVOKES_PER_POLLER = 10;

    public ProvisionedPollers {
      Limits.MINIMUM_POLLERS.check("provisionedPollers.min", min);
      Limits.MAXIMUM_POLLERS.check("provisionedPollers.max", max);
      if (min > max) {
        throw new IllegalArgumentException("provisionedPollers.min " + min + " is above max " + max);
      }
    }

    public int maxConcurrency() {
      return max * INVOKES_PER_POLLER;
    }
  }

  /**
   * The worker function. {@code snapStart} is false when the ephemeral storage is over what
   * SnapStart allows.
   */
  public record Worker(
      int memoryMb,
      int timeoutSeconds,
      Optional<Integer> reservedConcurrency,
      String processor,
      String architecture,
      int ephemeralStorageMb,
      Transcode transcode,
      Optional<String> eventBusArn) {

    public boolean snapStart() {
      return ephemeralStorageMb <= Transcoding.SNAPSTART_MAX_EPHEMERAL_STORAGE_MB;
    }

    /** Only the transcode processor runs FFmpeg, so only it gets the layer. */
    public boolean transcodes() {
      return ProcessorSpec.TRANSCODE.equals(processor);
    }
  }

  /** What the transcode processor makes. */
  public record Transcode(
      List<Integer> renditions, Transcoding.Corner watermarkCorner, long thumbnailOffsetMillis, double speed) {
    public Transcode {
      renditions = List.copyOf(renditions);
    }
  }

  /** Memory and timeout of a function other than the worker. */
  public record FunctionSize(int memoryMb, int timeoutSeconds) {}

  /** Every tier queue and DLQ share these. */
  public record Queues(int visibilityTimeoutSeconds, int retentionSeconds, int dlqRetentionSeconds) {}

  /** Tuning of the flows, passed to the worker's environment. */
  public record FlowTuning(
      int stealBudget,
      int lendTokens,
      boolean drain,
      int maxDeferrals,
      int deferDelaySeconds,
      int backlogCacheMillis,
      int backlogHoldMillis,
      int retryBackoffSeconds,
      boolean fairQueues) {}

  public record Uploads(
      long maxBytes,
      List<String> contentTypes,
      int urlExpirySeconds,
      int pendingTtlSeconds,
      int retentionDays,
      int noncurrentVersionExpirationDays,
      int quotaUploadsInFlight,
      long quotaBytesPerDay) {
    public Uploads {
      contentTypes = List.copyOf(contentTypes);
    }
  }

  /**
   * How long personal data is kept: video records after their last status change (DynamoDB TTL)
   * and objects under {@code processed/} (an S3 lifecycle rule); what becomes of an upload that
   * will never be processed ({@code rejectedInputs}), and how long a quarantined one is kept; how
   * the logs write user ids ({@code logUserIds}).
   */
  public record Privacy(int recordRetentionDays, int processedRetentionDays,
      dev.priorityqueues.contract.RejectedInputs rejectedInputs, int quarantineRetentionDays,
      dev.priorityqueues.contract.UserPseudonyms.Mode logUserIds) {}

  /** {@code jwtScopes}: one of them uploads; {@code statusJwtScopes}: one of them reads the status routes. */
  public record Auth(String jwtIssuer, List<String> jwtAudience, List<String> jwtScopes, List<String> statusJwtScopes) {
    public Auth {
      jwtAudience = List.copyOf(jwtAudience);
      jwtScopes = List.copyOf(jwtScopes);
      statusJwtScopes = List.copyOf(statusJwtScopes);
    }
  }

  /** The HTTP API; an empty {@code corsAllowedOrigins} means no CORS on the API or the bucket. */
  public record Api(int throttleRateLimit, int throttleBurstLimit, List<String> corsAllowedOrigins) {
    public Api {
      corsAllowedOrigins = List.copyOf(corsAllowedOrigins);
    }
  }

  /**
   * How upload events are retried: by EventBridge delivering to the router ({@code retryAttempts},
   * {@code maxAgeSeconds}), then by Lambda when the router fails on one
   * ({@code routerMaxAgeSeconds}; Lambda allows less than EventBridge).
   */
  public record Events(int retryAttempts, int maxAgeSeconds, int routerMaxAgeSeconds) {}

  public record Alarms(Optional<String> email, Optional<String> topicArn, int oldestMessageSeconds,
      int lowerTierOldestMessageSeconds, int apiErrorRatePercent, int apiThrottleRatePercent, int rejectsCount,
      int topTierWaitP95Seconds) {}

  public int sumOfMaxConcurrency() {
    return tiers.stream().mapToInt(Tier::concurrencyBound).sum();
  }

  /** The same settings, with the function archives looked up under another directory. */
  public Settings withCodeRoot(Path root) {
    return new Settings(tiers, defaultTier, flow, worker, presign, status, router, queues, tuning,
        accountConcurrency, uploads, privacy, auth, api, events, alarms, logRetentionDays, protectData, tags,
        root, warnings, kmsKey, operatorRoleArns);
  }

  /**
   * Parses raw config text: keys without their namespace; scalars as text, lists and maps as
   * JSON. Relative paths, and a missing {@code codeRoot}, resolve against {@code baseDir}.
   *
   * @throws InvalidConfigException listing every invalid value, before anything is created
   */
  public static Settings parse(Map<String, String> raw, Path baseDir) {
    return new SettingsParser(raw, baseDir).parse();
  }

  /**
   * The range each number of {@code raw} is checked against, by key ({@code tiers[].<field>}
   * for the tier fields), given the other values: the one source of the config's numeric
   * limits, for tests that try every key at its minimum and maximum.
   */
  public static Map<String, Range> checkedRanges(Map<String, String> raw, Path baseDir) {
    SettingsParser parser = new SettingsParser(raw, baseDir);
    try {
      parser.parse();
    } catch (InvalidConfigException e) {
      // The ranges of the values that were checked are recorded all the same.
    }
    return parser.ranges();
  }

  /**
   * Reads the stack's config, as {@code pulumi up} passes it: every key the CLI passed in this
   * project's namespace, so an unknown key is reported as it is in a stack file. Relative paths
   * resolve against the directory of {@code Pulumi.yaml}, found from the working directory up.
   */
  public static Settings fromConfig(Config config, PassedConfig passed) {
    return fromConfig(config, passed, StackFiles.findProjectDir(Path.of("")));
  }

  /** Reads the stack's config; {@code baseDir} is the directory of {@code Pulumi.yaml}. */
  public static Settings fromConfig(Config config, PassedConfig passed, Path baseDir) {
    Set<String> names = new LinkedHashSet<>();
    for (ConfigKey key : ConfigKey.values()) {
      names.add(key.key());
    }
    names.addAll(passed.names());
    Map<String, String> raw = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    for (String name : names) {
      if (passed.secretNames().contains(name)) {
        problems.add(InvalidConfigException.secretNotAllowed(name, "this stack's config"));
      } else {
        config.get(name).ifPresent(value -> raw.put(name, value));
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidConfigException(problems);
    }
    return parse(raw, baseDir);
  }

  /** Reads {@code Pulumi.<stack>.yaml} in {@code projectDir}, as {@code pulumi up} would. */
  public static Settings fromStackFile(Path projectDir, String stack) {
    return parse(StackFiles.readConfig(projectDir, stack), projectDir);
  }
}
