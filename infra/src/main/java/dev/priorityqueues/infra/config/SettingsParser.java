package dev.priorityqueues.infra.config;

import static dev.priorityqueues.infra.config.ConfigKey.*;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.priorityqueues.contract.ContentTypes;
import dev.priorityqueues.contract.ContractException;
import dev.priorityqueues.contract.Flow;
import dev.priorityqueues.contract.FlowDefaults;
import dev.priorityqueues.contract.ProcessorSpec;
import dev.priorityqueues.contract.TierTable;
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

  /** Each tier adds about 500 bytes of queue URLs and ARNs to every function's 4 KB environment. */
  static final int MAX_TIERS = 6;
  private static final Set<String> TIER_FIELDS =
      Set.of("name", "subscriptions", "maxConcurrency", "provisionedPollers", "maxReceiveCount", "batchSize",
          "batchingWindowSeconds");
  private static final Pattern SUBSCRIPTION = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
  private static final Pattern SNS_TOPIC_ARN =
      Pattern.compile("arn:aws[a-z-]*:sns:[a-z0-9-]+:\\d{12}:[A-Za-z0-9_-]{1,256}(\\.fifo)?");
  private static final Pattern TAG_TEXT = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");
  private static final int MAX_TAGS = 40;
  private static final long SECONDS_PER_DAY = 86_400;

  private final Map<String, String> raw;
  private final Path baseDir;
  private final List<String> errors = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();

  SettingsParser(Map<String, String> raw, Path baseDir) {
    this.raw = Map.copyOf(raw);
    this.baseDir = baseDir;
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
    Integer routerMemory = integer(ROUTER_MEMORY_MB, Limits.LAMBDA_MEMORY);
    Integer routerTimeout = integer(ROUTER_TIMEOUT_SECONDS, Limits.LAMBDA_TIMEOUT);

    Settings.Uploads uploads = uploads(dlqRetention);
    String issuer = jwtIssuer();
    List<String> audience = requiredList(JWT_AUDIENCE);
    Integer rateLimit = integer(API_THROTTLE_RATE_LIMIT, new Range(1, 10_000, "requests per second"));
    Integer burstLimit = integer(API_THROTTLE_BURST_LIMIT, new Range(1, 5_000, "requests"));
    Integer retryAttempts = integer(EVENT_RETRY_ATTEMPTS, Limits.EVENT_RETRY_ATTEMPTS);
    Integer maxAge = integer(EVENT_MAX_AGE_SECONDS, Limits.EVENT_MAX_AGE);
    Settings.Alarms alarms = alarms();
    Integer logRetention = logRetentionDays();
    Boolean protectData = bool(PROTECT_DATA);
    Boolean fairQueues = bool(FAIR_QUEUES);
    Map<String, String> tags = tags();
    Path codeRoot = codeRoot();

    if (!errors.isEmpty()) {
      throw new InvalidConfigException(errors);
    }
    // Every value below was checked above; none is null once there are no errors.
    return new Settings(
        tiers,
        defaultTier,
        flow,
        new Settings.Worker(workerMemory, workerTimeout, Optional.ofNullable(reserved), processor),
        new Settings.FunctionSize(presignMemory, presignTimeout),
        new Settings.FunctionSize(routerMemory, routerTimeout),
        new Settings.Queues(visibility, retention, dlqRetention),
        new Settings.FlowTuning(stealBudget, lendTokens, drain, maxDeferrals, deferDelay, backlogCache, backlogHold, retryBackoff, fairQueues),
        account,
        uploads,
        new Settings.Auth(issuer, audience),
        new Settings.Api(rateLimit, burstLimit),
        new Settings.Events(retryAttempts, maxAge),
        alarms,
        logRetention,
        protectData,
        tags,
        codeRoot,
        warnings);
  }

  // ---- tiers ----------------------------------------------------------------------------

  private List<Settings.Tier> tiers() {
    JsonNode list = json(TIERS);
    if (list == null) {
      return null;
    }
    if (!list.isArray() || list.isEmpty() || list.size() > MAX_TIERS) {
      errors.add(TIERS.key() + " must be a list of 1 to " + MAX_TIERS + " tier objects, highest priority first"
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
      maxConcurrency = tierInt(what, node, "maxConcurrency", null, Limits.MAXIMUM_CONCURRENCY);
    }
    Integer maxReceiveCount = tierInt(what, node, "maxReceiveCount", 5, Limits.MAX_RECEIVE_COUNT);
    Integer batchSize = tierInt(what, node, "batchSize", 1, Limits.BATCH_SIZE);
    Integer window = tierInt(what, node, "batchingWindowSeconds", 0, Limits.BATCHING_WINDOW);
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

  private Integer tierInt(String what, JsonNode tier, String field, Integer defaultValue, Range range) {
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
    if (value(VISIBILITY_TIMEOUT_SECONDS).isEmpty()) {
      return workerTimeout == null ? null : factor * workerTimeout;
    }
    Range range = workerTimeout == null ? Limits.VISIBILITY_TIMEOUT
        : new Range(factor * workerTimeout, Limits.VISIBILITY_TIMEOUT.max(), "seconds");
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
    if (maxBytes == null || types == null || expiry == null || pendingTtl == null || retentionDays == null
        || noncurrent == null) {
      return null;
    }
    return new Settings.Uploads(maxBytes, types, expiry, pendingTtl, retentionDays, noncurrent);
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
    Integer waitP95 = integer(TOP_TIER_WAIT_P95_ALARM_SECONDS, new Range(1, 86_400, "seconds"));
    return valid && oldest != null && waitP95 != null ? new Settings.Alarms(email, topic, oldest, waitP95) : null;
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
    if (!node.isObject() || node.size() > MAX_TAGS) {
      errors.add(TAGS.key() + " must be a map of at most " + MAX_TAGS + " tags, not " + describe(node));
      return null;
    }
    Map<String, String> tags = new LinkedHashMap<>();
    node.properties().forEach(e -> {
      String key = e.getKey();
      JsonNode value = e.getValue();
      boolean keyOk = !key.isEmpty() && key.length() <= 128 && TAG_TEXT.matcher(key).matches()
          && !key.toLowerCase(Locale.ROOT).startsWith("aws:");
      boolean valueOk = value.isValueNode() && !value.isNull() && value.asText().length() <= 256
          && TAG_TEXT.matcher(value.asText()).matches();
      if (!keyOk || !valueOk) {
        errors.add(TAGS.key() + " entry '" + key + "' is invalid: keys are 1 to 128 characters and must not start"
            + " with aws:, values are text of at most 256 characters (letters, digits, spaces and _.:/=+-@)");
      } else {
        tags.put(key, value.asText());
      }
    });
    return tags.size() == node.size() ? tags : null;
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
