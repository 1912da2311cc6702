package dev.priorityqueues.infra.config;

import static dev.priorityqueues.infra.config.ConfigKey.*;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.priorityqueues.contract.ContentTypes;
import dev.priorityqueues.contract.ContractException;
import dev.priorityqueues.contract.Flow;
import dev.priorityqueues.contract.FlowDefaults;
import dev.priorityqueues.contract.ProcessorSpec;
import dev.priorityqueues.contract.Scopes;
import dev.priorityqueues.contract.TierTable;
import dev.priorityqueues.contract.Transcoding;
import dev.priorityqueues.infra.JsonSupport;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns raw config text into {@link Settings}. Every problem is collected, not just the first,
 * and reported together; each names its key and the allowed values. A value that fails its own
 * check is left null, and the cross-checks that need it are skipped, so one mistake is reported
 * once.
 */
final class SettingsParser {

  private static final Set<String> TIER_FIELDS = TierField.keys();
  private static final Pattern SUBSCRIPTION = Pattern.compile("[A-Za-z0-9._-]{1," + Limits.SUBSCRIPTION_LENGTH + "}");
  private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
  private static final Pattern SNS_TOPIC_ARN =
      Pattern.compile("arn:aws[a-z-]*:sns:[a-z0-9-]+:\\d{12}:[A-Za-z0-9_-]{1,256}(\\.fifo)?");
  private static final Pattern EVENT_BUS =
      Pattern.compile("arn:aws[a-z-]*:events:[a-z0-9-]+:\\d{12}:event-bus/[A-Za-z0-9._/-]{1," + Limits.EVENT_BUS_NAME_LENGTH + "}");
  /**
   * A KMS key ARN: a key id is a UUID, or mrk- and 32 hex digits for a multi-Region key (KMS
   * Developer Guide, key identifiers). Not an alias: role policies and key grants name the key's
   * ARN, and DynamoDB and Lambda want the key ARN.
   */
  static final Pattern KMS_KEY_ARN = Pattern.compile("arn:aws[a-z-]*:kms:[a-z0-9-]+:\\d{12}:key/"
      + "(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})");
  private static final Pattern TAG_TEXT = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");
  private static final long SECONDS_PER_DAY = 86_400;
  /**
   * A role ARN, as IAM puts it in {@code aws:PrincipalArn} for the role's sessions (IAM User
   * Guide, global condition keys): an optional path, then the name (IAM API Reference, CreateRole).
   */
  static final Pattern ROLE_ARN = Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:role/([\\w+=,.@-]+/){0,16}[\\w+=,.@-]{1,64}");
  /** A reviewable list, repeated in every tier queue's policy (8,192 bytes each). */
  static final int MAX_OPERATOR_ROLES = 10;
  /** A reviewable list; every origin is repeated in the API's and the bucket's CORS rules. */
  static final int MAX_CORS_ORIGINS = 20;

  private final Map<String, String> raw;
  private final Path baseDir;
  private final List<String> errors = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();
  /** Every range a number was checked against, by key; see {@link Settings#checkedRanges}. */
  private final Map<String, Range> ranges = new LinkedHashMap<>();

  SettingsParser(Map<String, String> raw, Path baseDir) {
    this.raw = Map.copyOf(raw);
    this.baseDir = baseDir;
  }

  /**
   * The range each number was checked against in the last {@link #parse}, given the other
   * values; cross-checks that narrow a range (concurrency) replace it with the narrower one.
   */
  Map<String, Range> ranges() {
    return Map.copyOf(ranges);
  }

  Settings parse() {
    raw.keySet().stream().sorted().filter(k -> ConfigKey.find(k).isEmpty()).forEach(k ->
        errors.add("unknown config key '" + k + "'; the keys are " + Arrays.stream(ConfigKey.values())
            .map(ConfigKey::key).toList()));

    List<Settings.Tier> tiers = tiers();
    String defaultTier = defaultTier(tiers);
    Flow flow = flow();

    Integer workerMemory = integer(WORKER_MEMORY_MB, Limits.LAMBDA_MEMORY);
    Integer workerTimeout = integer(WORKER_TIMEOUT_SECONDS, Limits.LAMBDA_TIMEOUT);
    Integer reserved = optionalInteger(WORKER_RESERVED_CONCURRENCY, new Range(1, 1_000_000, ""));
    String processor = processor();
    String architecture = architecture();
    Integer ephemeral = integer(WORKER_EPHEMERAL_STORAGE_MB,
        new Range(Transcoding.MIN_EPHEMERAL_STORAGE_MB, Transcoding.MAX_EPHEMERAL_STORAGE_MB, "MB"));
    if (ephemeral != null && ephemeral > Transcoding.SNAPSTART_MAX_EPHEMERAL_STORAGE_MB) {
      warnings.add(WORKER_EPHEMERAL_STORAGE_MB.key() + " is " + ephemeral + " MB: SnapStart allows at most "
          + Transcoding.SNAPSTART_MAX_EPHEMERAL_STORAGE_MB + " MB, so the worker runs without SnapStart"
          + " (slower cold starts)");
    }
    Settings.Transcode transcode = transcode();
    Optional<String> eventBus = value(EVENT_BUS_ARN);
    if (eventBus.isPresent() && !EVENT_BUS.matcher(eventBus.get()).matches()) {
      errors.add(EVENT_BUS_ARN.key() + " must be an EventBridge event bus ARN"
          + " (arn:aws:events:<region>:<account>:event-bus/<name>, the name at most " + Limits.EVENT_BUS_NAME_LENGTH
              + " characters), not '" + eventBus.get() + "'");
    }
    Integer account = integer(ACCOUNT_CONCURRENCY, new Range(10, 1_000_000, ""));
    if (tiers != null && account != null && (reserved != null || value(WORKER_RESERVED_CONCURRENCY).isEmpty())) {
      concurrency(tiers, reserved, account);
    }

    Integer visibility = visibilityTimeout(workerTimeout);
    Integer retention = integer(QUEUE_RETENTION_SECONDS,
        new Range(Limits.MESSAGE_RETENTION.min(), Limits.MESSAGE_RETENTION.max() - 1, "seconds"),
        "below SQS's maximum, so its DLQ can keep a message longer");
    Integer dlqRetention = dlqRetention(retention);

    Integer stealBudget = integer(STEAL_BUDGET, new Range(0, FlowDefaults.STEAL_BUDGET_MAX, ""));
    Boolean drain = bool(DRAIN);
    Integer lendTokens = integer(LEND_TOKENS, new Range(0, FlowDefaults.LEND_TOKENS_MAX, ""));
    Integer maxDeferrals = integer(MAX_DEFERRALS, new Range(0, FlowDefaults.MAX_DEFERRALS_MAX, ""));
    Integer deferDelay = integer(DEFER_DELAY_SECONDS, Limits.MESSAGE_DELAY);
    Integer backlogCache = integer(BACKLOG_CACHE_MILLIS, new Range(0, FlowDefaults.BACKLOG_CACHE_MILLIS_MAX, "ms"));
    Integer backlogHold = integer(BACKLOG_HOLD_MILLIS, new Range(0, FlowDefaults.BACKLOG_HOLD_MILLIS_MAX, "ms"));
    Integer retryBackoff = integer(RETRY_BACKOFF_SECONDS, new Range(0, FlowDefaults.RETRY_BACKOFF_SECONDS_MAX, "seconds"));

    Integer presignMemory = integer(PRESIGN_MEMORY_MB, Limits.LAMBDA_MEMORY);
    Integer presignTimeout = integer(PRESIGN_TIMEOUT_SECONDS, Limits.HTTP_API_LAMBDA_TIMEOUT);
    Integer statusMemory = integer(STATUS_MEMORY_MB, Limits.LAMBDA_MEMORY);
    Integer statusTimeout = integer(STATUS_TIMEOUT_SECONDS, Limits.HTTP_API_LAMBDA_TIMEOUT);
    Integer routerMemory = integer(ROUTER_MEMORY_MB, Limits.LAMBDA_MEMORY);
    Integer routerTimeout = integer(ROUTER_TIMEOUT_SECONDS, Limits.LAMBDA_TIMEOUT);

    Settings.Uploads uploads = uploads(dlqRetention);
    Settings.Privacy privacy = privacy(retention, dlqRetention);
    String issuer = jwtIssuer();
    List<String> audience = requiredList(JWT_AUDIENCE);
    if (audience != null && audience.size() > Limits.JWT_AUDIENCES) {
      errors.add(JWT_AUDIENCE.key() + " must list at most " + Limits.JWT_AUDIENCES + " audiences (API Gateway's"
          + " limit per JWT authorizer), not " + audience.size());
      audience = null;
    }
    List<String> scopes = scopes(JWT_SCOPES);
    List<String> statusScopes = scopes(STATUS_JWT_SCOPES);
    Integer rateLimit = integer(API_THROTTLE_RATE_LIMIT, new Range(1, 10_000, "requests per second"));
    Integer burstLimit = integer(API_THROTTLE_BURST_LIMIT, new Range(1, 5_000, "requests"));
    List<String> corsOrigins = corsAllowedOrigins();
    Integer retryAttempts = integer(EVENT_RETRY_ATTEMPTS, Limits.EVENT_RETRY_ATTEMPTS);
    Integer maxAge = integer(EVENT_MAX_AGE_SECONDS, Limits.EVENT_MAX_AGE);
    Integer routerMaxAge = integer(ROUTER_EVENT_MAX_AGE_SECONDS, Limits.ASYNC_EVENT_MAX_AGE,
        "Lambda keeps retrying a failed asynchronous invocation for at most "
            + Limits.ASYNC_EVENT_MAX_AGE.max() + " seconds (" + EVENT_MAX_AGE_SECONDS.key()
            + " is EventBridge's, which allows longer)");
    Settings.Alarms alarms = alarms();
    Integer logRetention = logRetentionDays();
    Boolean protectData = bool(PROTECT_DATA);
    Boolean fairQueues = bool(FAIR_QUEUES);
    Map<String, String> tags = tags();
    Path codeRoot = codeRoot();
    Settings.KmsKey kmsKey = kmsKey();
    List<String> operatorRoles = operatorRoleArns();

    if (!errors.isEmpty()) {
      throw new InvalidConfigException(errors);
    }
    // Every value below was checked above; none is null once there are no errors.
    return new Settings(
        tiers,
        defaultTier,
        flow,
        new Settings.Worker(workerMemory, workerTimeout, Optional.ofNullable(reserved), processor, architecture,
            ephemeral, transcode, eventBus),
        new Settings.FunctionSize(presignMemory, presignTimeout),
        new Settings.FunctionSize(statusMemory, statusTimeout),
        new Settings.FunctionSize(routerMemory, routerTimeout),
        new Settings.Queues(visibility, retention, dlqRetention),
        new Settings.FlowTuning(stealBudget, lendTokens, drain, maxDeferrals, deferDelay, backlogCache, backlogHold, retryBackoff, fairQueues),
        account,
        uploads,
        privacy,
        new Settings.Auth(issuer, audience, scopes, statusScopes),
        new Settings.Api(rateLimit, burstLimit, corsOrigins),
        new Settings.Events(retryAttempts, maxAge, routerMaxAge),
        alarms,
        logRetention,
        protectData,
        tags,
        codeRoot,
        warnings,
        kmsKey,
        operatorRoles);
  }

  // ---- tiers ----------------------------------------------------------------------------

  private List<Settings.Tier> tiers() {
    JsonNode list = json(TIERS);
    if (list == null) {
      return null;
    }
    if (!list.isArray() || list.isEmpty() || list.size() > Limits.MAX_TIERS) {
      errors.add(TIERS.key() + " must be a list of 1 to " + Limits.MAX_TIERS + " tier objects, highest priority first"
          + " (each tier's queue URLs and ARNs go into every function's 4 KB environment), not "
          + describe(list));
      return null;
    }
    List<Settings.Tier> tiers = new ArrayList<>();
    Map<String, String> tierOfSubscription = new HashMap<>();
    Set<String> names = new HashSet<>();
    boolean valid = true;
    for (int i = 0; i < list.size(); i++) {
      Settings.Tier tier = tier("tiers[" + i + "]", list.get(i));
      if (tier == null) {
        valid = false;
        continue;
      }
      if (!names.add(tier.name())) {
        errors.add(TIERS.key() + " names tier '" + tier.name() + "' twice; tier names must be unique");
        valid = false;
      }
      for (String subscription : tier.subscriptions()) {
        String previous = tierOfSubscription.putIfAbsent(subscription, tier.name());
        if (previous != null) {
          errors.add(TIERS.key() + " maps subscription '" + subscription + "' to both '" + previous
              + "' and '" + tier.name() + "'; a subscription belongs to exactly one tier");
          valid = false;
        }
      }
      tiers.add(tier);
    }
    int bytes = tiers.stream().flatMap(t -> t.subscriptions().stream())
        .mapToInt(s -> s.length() + Limits.SUBSCRIPTION_JSON_OVERHEAD).sum();
    if (bytes > Limits.SUBSCRIPTIONS_BYTES) {
      errors.add(TIERS.key() + " lists subscriptions that take " + bytes + " bytes of every function's environment"
          + " (each its length + " + Limits.SUBSCRIPTION_JSON_OVERHEAD + "), over the " + Limits.SUBSCRIPTIONS_BYTES
          + " the tier table leaves for them within Lambda's 4 KB: use fewer or shorter subscription names");
      valid = false;
    }
    return valid ? tiers : null;
  }

  private Settings.Tier tier(String what, JsonNode node) {
    if (!node.isObject()) {
      errors.add(what + " must be an object with name, subscriptions and maxConcurrency, not " + describe(node));
      return null;
    }
    int before = errors.size();
    for (Iterator<String> fields = node.fieldNames(); fields.hasNext(); ) {
      String field = fields.next();
      if (!TIER_FIELDS.contains(field)) {
        errors.add(what + " has unknown field '" + field + "'; tier fields are " + TIER_FIELDS.stream().sorted().toList());
      }
    }
    String name = node.path("name").isTextual() ? node.get("name").asText() : null;
    if (name == null || !TierTable.TIER_NAME.matcher(name).matches()) {
      errors.add(what + ".name must match " + TierTable.TIER_NAME.pattern()
          + " (it becomes part of queue names), not " + describe(node.get("name")));
    }
    List<String> subscriptions = new ArrayList<>();
    JsonNode subs = node.get("subscriptions");
    if (subs == null || !subs.isArray()) {
      errors.add(what + ".subscriptions must be a list (it may be empty for the default tier), not " + describe(subs));
    } else {
      for (JsonNode sub : subs) {
        if (sub.isTextual() && SUBSCRIPTION.matcher(sub.asText()).matches() && !subscriptions.contains(sub.asText())) {
          subscriptions.add(sub.asText());
        } else {
          errors.add(what + ".subscriptions entries must be distinct names matching " + SUBSCRIPTION.pattern()
              + ", not " + describe(sub));
        }
      }
    }
    JsonNode pollersNode = node.get("provisionedPollers");
    boolean provisioned = pollersNode != null && !pollersNode.isNull();
    Optional<Settings.ProvisionedPollers> pollers = provisioned ? provisionedPollers(what, pollersNode) : Optional.empty();
    Integer maxConcurrency = null;
    if (provisioned && node.hasNonNull("maxConcurrency")) {
      errors.add(what + " sets both maxConcurrency and provisionedPollers; Lambda does not allow maximumConcurrency"
          + " on a mapping in provisioned mode (its pollers bound the concurrency): keep one of them");
    } else if (!provisioned) {
      maxConcurrency = tierInt(what, node, TierField.MAX_CONCURRENCY);
    }
    Integer maxReceiveCount = tierInt(what, node, TierField.MAX_RECEIVE_COUNT);
    Integer batchSize = tierInt(what, node, TierField.BATCH_SIZE);
    Integer window = tierInt(what, node, TierField.BATCHING_WINDOW_SECONDS);
    if (batchSize != null && window != null && batchSize > Limits.BATCH_SIZE_WITHOUT_WINDOW && window < 1) {
      errors.add(what + ".batchSize " + batchSize + " is over " + Limits.BATCH_SIZE_WITHOUT_WINDOW
          + ", which Lambda allows only with a batching window: set " + what + ".batchingWindowSeconds "
          + Limits.BATCHING_WINDOW.describe().replace("from 0", "from 1"));
    }
    if (errors.size() > before) {
      return null;
    }
    return new Settings.Tier(name, subscriptions, Optional.ofNullable(maxConcurrency), maxReceiveCount, batchSize,
        window, pollers);
  }

  /** {@code {"min": m, "max": n}}: the mapping's provisioned mode, within AWS's bounds for SQS. */
  private Optional<Settings.ProvisionedPollers> provisionedPollers(String what, JsonNode node) {
    String key = what + ".provisionedPollers";
    if (!node.isObject()) {
      errors.add(key + " must be an object {\"min\": " + Limits.MINIMUM_POLLERS.describe() + ", \"max\": "
          + Limits.MAXIMUM_POLLERS.describe() + "}, not " + describe(node));
      return Optional.empty();
    }
    int before = errors.size();
    for (Iterator<String> fields = node.fieldNames(); fields.hasNext(); ) {
      String field = fields.next();
      if (!field.equals("min") && !field.equals("max")) {
        errors.add(key + " has unknown field '" + field + "'; its fields are [max, min]");
      }
    }
    Integer min = tierInt(key, node, "min", null, Limits.MINIMUM_POLLERS);
    Integer max = tierInt(key, node, "max", null, Limits.MAXIMUM_POLLERS);
    if (min != null && max != null && min > max) {
      errors.add(key + ".min (" + min + ") must not be above " + key + ".max (" + max + ")");
    }
    return errors.size() > before ? Optional.empty() : Optional.of(new Settings.ProvisionedPollers(min, max));
  }

  private Integer tierInt(String what, JsonNode tier, TierField field) {
    return tierInt(what, tier, field.key(), field.defaultValue().orElse(null), field.range());
  }

  private Integer tierInt(String what, JsonNode tier, String field, Integer defaultValue, Range range) {
    ranges.putIfAbsent(TIERS.key() + "[]." + field, range);
    JsonNode value = tier.get(field);
    String key = what + "." + field;
    if (value == null || value.isNull()) {
      if (defaultValue == null) {
        errors.add(key + " is required; it must be " + range.describe());
      }
      return defaultValue;
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong() || !range.contains(value.asLong())) {
      errors.add(key + " must be a whole number " + range.describe() + ", not " + describe(value));
      return null;
    }
    return (int) value.asLong();
  }

  private String defaultTier(List<Settings.Tier> tiers) {
    Optional<String> configured = value(DEFAULT_TIER);
    if (tiers == null) {
      return null;
    }
    List<String> names = tiers.stream().map(Settings.Tier::name).toList();
    String name = configured.orElse(names.get(names.size() - 1));
    if (!names.contains(name)) {
      errors.add(DEFAULT_TIER.key() + " must be one of the tiers " + names + ", not '" + name + "'");
      return null;
    }
    for (Settings.Tier tier : tiers) {
      if (tier.subscriptions().isEmpty() && !tier.name().equals(name)) {
        errors.add(TIERS.key() + " tier '" + tier.name() + "' has no subscriptions and is not the "
            + DEFAULT_TIER.key() + " ('" + name + "'), so no upload could ever reach it");
      }
    }
    return name;
  }

  private Flow flow() {
    String text = value(FLOW).orElseThrow();
    try {
      return Flow.parse(text);
    } catch (ContractException e) {
      errors.add(FLOW.key() + " must be one of " + Flow.ids() + ", not '" + text + "'");
      return null;
    }
  }

  // ---- concurrency and queues ---------------------------------------------------------------

  private void concurrency(List<Settings.Tier> tiers, Integer reserved, int account) {
    // A tier in provisioned mode can reach 10 invokes per maximum poller.
    int sum = tiers.stream().mapToInt(Settings.Tier::concurrencyBound).sum();
    int floor = Limits.UNRESERVED_CONCURRENCY_FLOOR;
    // What the checks below accept, given the other values.
    Range accountRange = ranges.get(ACCOUNT_CONCURRENCY.key());
    long accountMin = Math.max(accountRange.min(), reserved != null ? (long) reserved + floor : sum);
    if (accountMin <= accountRange.max()) {
      ranges.put(ACCOUNT_CONCURRENCY.key(), new Range(accountMin, accountRange.max(), ""));
    }
    if (sum <= account - floor) {
      ranges.put(WORKER_RESERVED_CONCURRENCY.key(), new Range(sum, account - floor, ""));
    }
    String throttling = "Lambda throttles the excess, and each throttled SQS receive still counts toward"
        + " maxReceiveCount, so healthy messages would reach the DLQs";
    if (reserved != null) {
      if (reserved < sum) {
        errors.add(WORKER_RESERVED_CONCURRENCY.key() + " (" + reserved + ") is below the sum of the tiers'"
            + " maxConcurrency (" + sum + "): the mappings would poll for more than the worker may run. "
            + throttling + ". Set it to at least " + sum + ", or lower the tiers' maxConcurrency");
      }
      if (account - reserved < floor) {
        errors.add(WORKER_RESERVED_CONCURRENCY.key() + " (" + reserved + ") leaves " + (account - reserved)
            + " of " + ACCOUNT_CONCURRENCY.key() + " (" + account + ") unreserved, but AWS keeps at least "
            + floor + " unreserved, so at most " + Math.max(0, account - floor) + " can be reserved."
            + " A split such as 900 + 100 of 1000 cannot be reserved: raise the account limit in"
            + " Service Quotas, or lower the tiers' maxConcurrency");
      }
    } else if (sum > account) {
      errors.add("the tiers' maxConcurrency add up to " + sum + ", more than " + ACCOUNT_CONCURRENCY.key()
          + " (" + account + "): the mappings could never reach it, and once the account runs out "
          + throttling + ". Lower the tiers' maxConcurrency or raise the account limit");
    } else if (sum > account - floor) {
      warnings.add("the tiers' maxConcurrency add up to " + sum + ", more than the " + (account - floor)
          + " that " + ACCOUNT_CONCURRENCY.key() + " (" + account + ") leaves once AWS keeps " + floor
          + " unreserved. Without " + WORKER_RESERVED_CONCURRENCY.key() + " the worker shares that pool with the"
          + " presign and router functions, so at full load it can starve them; and once the pool runs out "
          + throttling + ". Lower the tiers to at most " + (account - floor) + " in total, or raise the account"
          + " limit and reserve concurrency for the worker (" + WORKER_RESERVED_CONCURRENCY.key() + ")");
    }
  }

  /** Defaults to 6x the worker timeout; a configured value must be at least that. */
  private Integer visibilityTimeout(Integer workerTimeout) {
    int factor = Limits.VISIBILITY_TIMEOUT_FACTOR;
    Range range = workerTimeout == null ? Limits.VISIBILITY_TIMEOUT
        : new Range(factor * workerTimeout, Limits.VISIBILITY_TIMEOUT.max(), "seconds");
    if (value(VISIBILITY_TIMEOUT_SECONDS).isEmpty()) {
      ranges.put(VISIBILITY_TIMEOUT_SECONDS.key(), range);
      return workerTimeout == null ? null : factor * workerTimeout;
    }
    return integer(VISIBILITY_TIMEOUT_SECONDS, range, workerTimeout == null ? "" : "at least " + factor + "x "
        + WORKER_TIMEOUT_SECONDS.key() + " (" + workerTimeout + "), the margin Lambda needs to retry a batch before"
        + " its messages become visible again, and at most SQS's " + Limits.VISIBILITY_TIMEOUT.max());
  }

  private Integer dlqRetention(Integer retention) {
    Range range = retention == null ? Limits.MESSAGE_RETENTION
        : new Range(retention + 1L, Limits.MESSAGE_RETENTION.max(), "seconds");
    return integer(DLQ_RETENTION_SECONDS, range, retention == null ? "" : "longer than "
        + QUEUE_RETENTION_SECONDS.key() + " (" + retention + "), because a message keeps its original enqueue time when it moves to a standard DLQ, so a shorter"
        + " DLQ retention would delete it early");
  }

  // ---- uploads, auth, alarms -----------------------------------------------------------------

  private Settings.Uploads uploads(Integer dlqRetention) {
    Long maxBytes = longValue(UPLOAD_MAX_BYTES, Limits.UPLOAD_BYTES);
    List<String> types = requiredList(UPLOAD_CONTENT_TYPES);
    if (types != null) {
      List<String> unsupported = types.stream().filter(t -> !ContentTypes.known().contains(t)).toList();
      if (!unsupported.isEmpty() || types.stream().distinct().count() != types.size()) {
        errors.add(UPLOAD_CONTENT_TYPES.key() + " must be distinct values from " + ContentTypes.known()
            + " (the formats the worker can inspect), not " + types);
        types = null;
      }
    }
    Integer expiry = integer(UPLOAD_URL_EXPIRY_SECONDS, Limits.PRESIGNED_URL_EXPIRY);
    Integer pendingTtl = integer(PENDING_UPLOAD_TTL_SECONDS,
        new Range(expiry == null ? 1 : expiry, 2_592_000, "seconds"),
        "a PENDING_UPLOAD record must outlive its URL (" + UPLOAD_URL_EXPIRY_SECONDS.key() + ")");
    long minimumDays = dlqRetention == null ? 1 : (dlqRetention + SECONDS_PER_DAY - 1) / SECONDS_PER_DAY;
    Integer retentionDays = integer(UPLOAD_RETENTION_DAYS, new Range(minimumDays, 3650, "days"),
        "at least " + DLQ_RETENTION_SECONDS.key() + " in days, so a job redriven from a DLQ still finds its upload");
    Integer noncurrent = integer(NONCURRENT_VERSION_EXPIRATION_DAYS, new Range(1, 365, "days"));
    Integer inFlight = integer(QUOTA_UPLOADS_IN_FLIGHT,
        new Range(1, dev.priorityqueues.contract.UploadLimits.MAX_QUOTA_UPLOADS_IN_FLIGHT, "uploads"),
        "presign checks a user's uploads in flight in one BatchGetItem of at most 100 keys");
    Long bytesPerDay = longValue(QUOTA_BYTES_PER_DAY,
        new Range(maxBytes == null ? 1 : maxBytes, dev.priorityqueues.contract.UploadLimits.MAX_QUOTA_BYTES_PER_DAY, "bytes"),
        "at least " + UPLOAD_MAX_BYTES.key() + ", or the largest upload allowed could never be made");
    if (maxBytes == null || types == null || expiry == null || pendingTtl == null || retentionDays == null
        || noncurrent == null || inFlight == null || bytesPerDay == null) {
      return null;
    }
    return new Settings.Uploads(maxBytes, types, expiry, pendingTtl, retentionDays, noncurrent, inFlight, bytesPerDay);
  }

  /**
   * A record must outlive every message of its job: a message lives at most queueRetentionSeconds
   * on its tier queue and dlqRetentionSeconds on its DLQ, and a record's TTL is reset by every
   * status change, so a job redriven late still finds its record.
   */
  private Settings.Privacy privacy(Integer queueRetention, Integer dlqRetention) {
    long minimumRecordDays = queueRetention == null || dlqRetention == null
        ? 1 : (queueRetention + (long) dlqRetention + SECONDS_PER_DAY - 1) / SECONDS_PER_DAY;
    Integer recordDays = integer(RECORD_RETENTION_DAYS,
        new Range(minimumRecordDays, dev.priorityqueues.contract.Retention.MAX_DAYS, "days"),
        "at least " + QUEUE_RETENTION_SECONDS.key() + " + " + DLQ_RETENTION_SECONDS.key()
            + " in days, so a job's record outlives its messages");
    Integer processedDays = integer(PROCESSED_RETENTION_DAYS,
        new Range(1, dev.priorityqueues.contract.Retention.MAX_DAYS, "days"));
    dev.priorityqueues.contract.RejectedInputs rejectedInputs = null;
    String mode = value(REJECTED_INPUTS).orElseThrow();
    try {
      rejectedInputs = dev.priorityqueues.contract.RejectedInputs.parse(REJECTED_INPUTS.key(), mode);
    } catch (ContractException e) {
      errors.add(REJECTED_INPUTS.key() + " must be " + REJECTED_INPUTS.allowed()
          + " (what becomes of an upload that is rejected or fails), not '" + mode + "'");
    }
    Integer quarantineDays = integer(QUARANTINE_RETENTION_DAYS,
        new Range(1, dev.priorityqueues.contract.RejectedInputs.MAX_QUARANTINE_DAYS, "days"));
    dev.priorityqueues.contract.UserPseudonyms.Mode logUserIds = null;
    String logMode = value(LOG_USER_IDS).orElseThrow();
    try {
      logUserIds = dev.priorityqueues.contract.UserPseudonyms.Mode.parse(LOG_USER_IDS.key(), logMode);
    } catch (ContractException e) {
      errors.add(LOG_USER_IDS.key() + " must be " + LOG_USER_IDS.allowed() + " (how the logs write user ids), not '"
          + logMode + "'");
    }
    if (recordDays == null || processedDays == null || rejectedInputs == null || quarantineDays == null
        || logUserIds == null) {
      return null;
    }
    return new Settings.Privacy(recordDays, processedDays, rejectedInputs, quarantineDays, logUserIds);
  }

  private String jwtIssuer() {
    Optional<String> issuer = value(JWT_ISSUER);
    if (issuer.isEmpty()) {
      errors.add(JWT_ISSUER.key() + " is required: the https URL of the issuer of your users' JWTs,"
          + " e.g. `pulumi config set jwtIssuer https://cognito-idp.<region>.amazonaws.com/<pool-id>`");
      return null;
    }
    try {
      URI uri = new URI(issuer.get());
      if ("https".equals(uri.getScheme()) && uri.getHost() != null && uri.getQuery() == null
          && uri.getFragment() == null && uri.getUserInfo() == null) {
        return issuer.get();
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    errors.add(JWT_ISSUER.key() + " must be an https URL without query or fragment, not '" + issuer.get() + "'");
    return null;
  }

  /**
   * Browser origins for CORS. Each must be exactly what a browser sends in {@code Origin}
   * (scheme, host, optional port; no path), https except http://localhost for development. A
   * wildcard is refused: the API takes a bearer token, and any site could then call it from a
   * signed-in user's browser.
   */
  private List<String> corsAllowedOrigins() {
    int before = errors.size();
    List<String> items = boundedList(CORS_ALLOWED_ORIGINS, MAX_CORS_ORIGINS, "origins", "origins", "an origin");
    if (items == null) {
      return null;
    }
    for (String origin : items) {
      String problem = originProblem(origin);
      if (problem != null) {
        errors.add(CORS_ALLOWED_ORIGINS.key() + " entry '" + origin + "' " + problem + "; allowed: "
            + CORS_ALLOWED_ORIGINS.allowed());
      }
    }
    return errors.size() == before ? items : null;
  }

  /** Why {@code origin} is not a valid CORS origin, or null. */
  static String originProblem(String origin) {
    if (origin.contains("*")) {
      return "is a wildcard, which CORS cannot combine with credentials and which would let any site call the"
          + " API with a signed-in user's token";
    }
    URI uri;
    try {
      uri = new URI(origin);
    } catch (URISyntaxException e) {
      return "is not a URL";
    }
    String scheme = uri.getScheme();
    String host = uri.getHost();
    if (scheme == null || host == null || uri.getUserInfo() != null || uri.getQuery() != null
        || uri.getFragment() != null || !uri.getRawPath().isEmpty()) {
      return "is not an origin (scheme://host[:port], with no path, not even a trailing slash)";
    }
    if (!origin.equals(origin.toLowerCase(Locale.ROOT))) {
      return "must be lower case, as browsers send it in the Origin header";
    }
    if (uri.getPort() == 0 || uri.getPort() > 65_535) {
      return "has an invalid port";
    }
    if ("https".equals(scheme)) {
      return null;
    }
    if ("http".equals(scheme) && "localhost".equals(host)) {
      return null;
    }
    return "must use https (plain http only for http://localhost during development)";
  }

  private Settings.Alarms alarms() {
    Optional<String> email = value(ALARM_EMAIL);
    Optional<String> topic = value(ALARM_TOPIC_ARN);
    boolean valid = true;
    if (email.isPresent() && topic.isPresent()) {
      errors.add("set " + ALARM_EMAIL.key() + " or " + ALARM_TOPIC_ARN.key() + ", not both: the e-mail"
          + " subscribes to a topic this stack creates, the ARN names a topic you already have");
      valid = false;
    }
    if (email.isPresent() && !EMAIL.matcher(email.get()).matches()) {
      errors.add(ALARM_EMAIL.key() + " must be an e-mail address, not '" + email.get() + "'");
      valid = false;
    }
    if (topic.isPresent() && !SNS_TOPIC_ARN.matcher(topic.get()).matches()) {
      errors.add(ALARM_TOPIC_ARN.key() + " must be an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>), not '"
          + topic.get() + "'");
      valid = false;
    }
    Integer oldest = integer(OLDEST_MESSAGE_ALARM_SECONDS, new Range(60, 86_400, "seconds"));
    // Up to SQS's longest retention: a lower tier's message can wait that long before it is lost.
    Integer lowerOldest = integer(LOWER_TIER_OLDEST_MESSAGE_ALARM_SECONDS, new Range(60, 1_209_600, "seconds"));
    Integer errorRate = integer(API_ERROR_RATE_ALARM_PERCENT, new Range(1, 100, "percent"));
    Integer throttleRate = integer(API_THROTTLE_RATE_ALARM_PERCENT, new Range(1, 100, "percent"));
    Integer rejects = integer(REJECTS_ALARM_COUNT, new Range(1, 1_000_000, "uploads"));
    Integer waitP95 = integer(TOP_TIER_WAIT_P95_ALARM_SECONDS, new Range(1, 86_400, "seconds"));
    return valid && oldest != null && lowerOldest != null && errorRate != null && throttleRate != null && rejects != null
        && waitP95 != null
        ? new Settings.Alarms(email, topic, oldest, lowerOldest, errorRate, throttleRate, rejects, waitP95)
        : null;
  }

  private String processor() {
    String text = value(WORKER_PROCESSOR).orElseThrow();
    try {
      ProcessorSpec.simulatedMillis(text, WORKER_PROCESSOR.key());
      return text;
    } catch (ContractException e) {
      errors.add(e.getMessage());
      return null;
    }
  }


  private String architecture() {
    String text = value(WORKER_ARCHITECTURE).orElseThrow();
    if (!Transcoding.ARCHITECTURES.contains(text)) {
      errors.add(WORKER_ARCHITECTURE.key() + " must be " + WORKER_ARCHITECTURE.allowed() + ", not '" + text + "'");
      return null;
    }
    return text;
  }

  private Settings.Transcode transcode() {
    List<Integer> renditions = null;
    Transcoding.Corner corner = null;
    Double speed = null;
    try {
      renditions = Transcoding.parseRenditions(value(RENDITIONS).orElseThrow(), RENDITIONS.key());
    } catch (ContractException e) {
      errors.add(e.getMessage());
    }
    try {
      corner = Transcoding.Corner.parse(value(WATERMARK_CORNER).orElseThrow(), WATERMARK_CORNER.key());
    } catch (ContractException e) {
      errors.add(e.getMessage());
    }
    Long offset = longValue(THUMBNAIL_OFFSET_MILLIS, new Range(0, Transcoding.MAX_THUMBNAIL_OFFSET_MILLIS, "ms"));
    try {
      speed = Transcoding.parseSpeed(value(TRANSCODE_SPEED).orElseThrow(), TRANSCODE_SPEED.key());
    } catch (ContractException e) {
      errors.add(e.getMessage());
    }
    return renditions == null || corner == null || offset == null || speed == null ? null
        : new Settings.Transcode(renditions, corner, offset, speed);
  }

  private Integer logRetentionDays() {
    Integer days = integer(LOG_RETENTION_DAYS, new Range(1, 3653, "days"));
    if (days != null && !Limits.LOG_RETENTION_DAYS.contains(days)) {
      errors.add(LOG_RETENTION_DAYS.key() + " must be one of CloudWatch's retention periods "
          + Limits.LOG_RETENTION_DAYS + ", not " + days);
      return null;
    }
    return days;
  }

  private Map<String, String> tags() {
    JsonNode node = json(TAGS);
    if (node == null) {
      return null;
    }
    if (!node.isObject() || node.size() > Limits.MAX_TAGS) {
      errors.add(TAGS.key() + " must be a map of at most " + Limits.MAX_TAGS + " tags, not " + describe(node));
      return null;
    }
    Map<String, String> tags = new LinkedHashMap<>();
    node.properties().forEach(e -> {
      String key = e.getKey();
      JsonNode value = e.getValue();
      boolean keyOk = !key.isEmpty() && key.length() <= Limits.TAG_KEY_LENGTH && TAG_TEXT.matcher(key).matches()
          && !key.toLowerCase(Locale.ROOT).startsWith("aws:");
      boolean valueOk = value.isValueNode() && !value.isNull() && value.asText().length() <= Limits.TAG_VALUE_LENGTH
          && TAG_TEXT.matcher(value.asText()).matches();
      if (!keyOk || !valueOk) {
        errors.add(TAGS.key() + " entry '" + key + "' is invalid: keys are 1 to " + Limits.TAG_KEY_LENGTH
            + " characters and must not start with aws:, values are text of at most " + Limits.TAG_VALUE_LENGTH + " characters (letters, digits, spaces and _.:/=+-@)");
      } else {
        tags.put(key, value.asText());
      }
    });
    return tags.size() == node.size() ? tags : null;
  }

  /** {@code none}, {@code create}, or an existing key's ARN. */
  private Settings.KmsKey kmsKey() {
    String text = value(KMS_KEY).orElseThrow();
    if (text.equals("none")) {
      return Settings.KmsKey.NONE;
    }
    if (text.equals("create")) {
      return new Settings.KmsKey(true, Optional.empty());
    }
    if (KMS_KEY_ARN.matcher(text).matches()) {
      return new Settings.KmsKey(false, Optional.of(text));
    }
    errors.add(KMS_KEY.key() + " must be " + KMS_KEY.allowed() + ", not '" + text + "'"
        + (text.contains(":alias/") || text.startsWith("alias/")
            ? ": an alias is not accepted, since role policies and grants must name the key itself" : ""));
    return null;
  }

  /**
   * Operators' role ARNs, which the tier queues' policies also let send (a DLQ redrive). A role's
   * session is named by its role's ARN in aws:PrincipalArn, so a session or user ARN would never
   * match and is refused; so is a wildcard.
   */
  private List<String> operatorRoleArns() {
    int before = errors.size();
    List<String> items = boundedList(OPERATOR_ROLE_ARNS, MAX_OPERATOR_ROLES, "role ARNs", "roles", "a role");
    if (items == null) {
      return null;
    }
    for (String arn : items) {
      // IAM's path is at most 512 characters with its leading slash, which the ARN writes as role/.
      boolean pathFits = !arn.contains(":role/") || arn.substring(arn.indexOf(":role/") + 6).lastIndexOf('/') < 511;
      if (!ROLE_ARN.matcher(arn).matches() || !pathFits) {
        errors.add(OPERATOR_ROLE_ARNS.key() + " entry '" + arn + "' is not an IAM role ARN"
            + (arn.contains(":assumed-role/") ? " (a session's ARN; name its role: arn:aws:iam::<account>:role/<name>)" : "")
            + "; allowed: " + OPERATOR_ROLE_ARNS.allowed());
      }
    }
    return errors.size() == before ? items : null;
  }

  private Path codeRoot() {
    Optional<String> configured = value(CODE_ROOT);
    Path root;
    try {
      root = configured.map(p -> baseDir.resolve(p)).orElse(baseDir).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      errors.add(CODE_ROOT.key() + " must be a directory path, not '" + configured.orElse("") + "'");
      return null;
    }
    if (!Files.isDirectory(root)) {
      errors.add(CODE_ROOT.key() + " must be an existing directory (the repository root, where lambdas/ is), not "
          + root);
      return null;
    }
    return root;
  }

  // ---- raw values ----------------------------------------------------------------------------

  /** The configured text, else the key's default; blank counts as unset. */
  private Optional<String> value(ConfigKey key) {
    String text = raw.get(key.key());
    return text == null || text.isBlank() ? key.defaultValue() : Optional.of(text.trim());
  }

  private Integer integer(ConfigKey key, Range range) {
    return integer(key, range, "");
  }

  /** {@code why}, when given, explains the range in the error message. */
  private Integer integer(ConfigKey key, Range range, String why) {
    Long value = longValue(key, range, why);
    return value == null ? null : value.intValue();
  }

  private Integer optionalInteger(ConfigKey key, Range range) {
    return value(key).isPresent() ? integer(key, range) : null;
  }

  private Long longValue(ConfigKey key, Range range) {
    return longValue(key, range, "");
  }

  private Long longValue(ConfigKey key, Range range, String why) {
    ranges.put(key.key(), range);
    String text = value(key).orElseThrow(() -> new IllegalStateException(key.key() + " has no default"));
    long value;
    try {
      value = Long.parseLong(text);
    } catch (NumberFormatException e) {
      errors.add(key.key() + " must be a whole number " + range.describe() + ", not '" + text + "'");
      return null;
    }
    if (!range.contains(value)) {
      errors.add(key.key() + " must be " + range.describe() + ", not " + value + (why.isEmpty() ? "" : ": " + why));
      return null;
    }
    return value;
  }

  private Boolean bool(ConfigKey key) {
    String text = value(key).orElseThrow();
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> {
        errors.add(key.key() + " must be true or false, not '" + text + "'");
        yield null;
      }
    };
  }

  private JsonNode json(ConfigKey key) {
    String text = value(key).orElseThrow();
    try {
      return JsonSupport.read(text);
    } catch (JsonProcessingException e) {
      errors.add(key.key() + " is not valid JSON (" + e.getOriginalMessage() + "); it must be " + key.allowed());
      return null;
    }
  }

  private List<String> scopes(ConfigKey key) {
    List<String> scopes = requiredList(key);
    if (scopes == null) {
      return null;
    }
    List<String> bad = scopes.stream().filter(s -> !Scopes.TOKEN.matcher(s).matches()).toList();
    if (scopes.size() > Scopes.MAX_SCOPES || !bad.isEmpty() || new java.util.HashSet<>(scopes).size() < scopes.size()) {
      errors.add(key.key() + " must be " + key.allowed() + ", without duplicates, not " + scopes
          + (bad.isEmpty() ? "" : " (not a scope: " + bad + ")"));
      return null;
    }
    return scopes;
  }

  /**
   * A JSON list, or comma-separated text, of at most {@code max} distinct entries (each trimmed;
   * a non-text JSON entry kept as its JSON, for the caller's entry check to name). Too many, or a
   * repeated entry, is reported and the list still returned, so the entries are checked too; null
   * when it is not a list at all. The words name the entries in the errors: {@code what} the list's
   * ("role ARNs"), {@code many} the count's ("roles"), {@code one} a repeated one's ("a role").
   */
  private List<String> boundedList(ConfigKey key, int max, String what, String many, String one) {
    String text = value(key).orElseThrow();
    List<String> items = new ArrayList<>();
    if (text.startsWith("[")) {
      JsonNode node = json(key);
      if (node == null) {
        return null;
      }
      if (!node.isArray()) {
        errors.add(key.key() + " must be a list of " + what + ", not " + describe(node));
        return null;
      }
      for (JsonNode item : node) {
        items.add(item.isTextual() ? item.asText().trim() : item.toString());
      }
    } else {
      Arrays.stream(text.split(",")).map(String::trim).forEach(items::add);
    }
    if (items.size() > max) {
      errors.add(key.key() + " may list at most " + max + " " + many + ", not " + items.size());
    }
    if (items.stream().distinct().count() != items.size()) {
      errors.add(key.key() + " lists " + one + " twice: " + items);
    }
    return items;
  }

  /** A JSON list of strings, or comma-separated text; required and non-empty. */
  private List<String> requiredList(ConfigKey key) {
    Optional<String> text = value(key);
    if (text.isEmpty()) {
      errors.add(key.key() + " is required: " + key.allowed() + " (" + key.description() + ")");
      return null;
    }
    List<String> items = new ArrayList<>();
    if (text.get().startsWith("[")) {
      JsonNode node = json(key);
      if (node == null) {
        return null;
      }
      for (JsonNode item : node) {
        items.add(item.isTextual() ? item.asText().trim() : "");
      }
    } else {
      Arrays.stream(text.get().split(",")).map(String::trim).forEach(items::add);
    }
    if (items.isEmpty() || items.stream().anyMatch(String::isEmpty)) {
      errors.add(key.key() + " must be a non-empty list without blank entries, not " + text.get());
      return null;
    }
    return items;
  }

  private static String describe(JsonNode node) {
    return node == null || node.isMissingNode() ? "nothing" : node.toString();
  }
}
