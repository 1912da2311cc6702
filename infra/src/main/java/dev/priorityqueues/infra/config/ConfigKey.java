package dev.priorityqueues.infra.config;

import dev.priorityqueues.contract.ContentTypes;
import dev.priorityqueues.contract.FlowDefaults;
import dev.priorityqueues.contract.ProcessorSpec;
import dev.priorityqueues.contract.Transcoding;
import dev.priorityqueues.infra.JsonSupport;

import java.util.Arrays;
import java.util.Optional;

/**
 * Every config key of the {@code priority-queues} project, with its default and allowed values.
 * The README's configuration table and {@code Pulumi.yaml}'s {@code template.config} are checked
 * against this list by the tests, so the three cannot drift apart.
 *
 * <p>A default is the raw text the key would have if set: scalars as text, lists and maps as
 * JSON. {@code null} means the key is required, optional, or derived from other keys.
 */
public enum ConfigKey {
  TIERS("tiers",
      "[{\"name\":\"premium\",\"subscriptions\":[\"premium\",\"pro\"],\"maxConcurrency\":20},"
          + "{\"name\":\"regular\",\"subscriptions\":[\"free\",\"basic\"],\"maxConcurrency\":10}]",
      "1 to " + Limits.MAX_TIERS + " tiers, highest priority first; see the tier fields below",
      "The priority tiers, highest first: name, subscriptions, maxConcurrency (or provisionedPollers) and optional maxReceiveCount, batchSize, batchingWindowSeconds."),
  DEFAULT_TIER("defaultTier", null, "one of the tier names; defaults to the last tier",
      "The tier for unknown users and unknown subscriptions."),
  FLOW("flow", "highest-first", "queue-level, consumer-level or highest-first",
      "How the worker turns the tier queues into priority (docs/flows.md)."),

  WORKER_MEMORY_MB("workerMemoryMb", "3538", "128 to 10240",
      "Memory of the worker function, in MB; Lambda gives one vCPU per 1769 MB, and FFmpeg uses every vCPU."),
  WORKER_TIMEOUT_SECONDS("workerTimeoutSeconds", "900", "1 to 900",
      "Timeout of the worker function, in seconds; the time budget refuses videos that cannot finish in it."),
  WORKER_ARCHITECTURE("workerArchitecture", Transcoding.DEFAULT_ARCHITECTURE,
      String.join(" or ", Transcoding.ARCHITECTURES),
      "Instruction set of the worker and its FFmpeg layer (arm64 is Graviton)."),
  WORKER_EPHEMERAL_STORAGE_MB("workerEphemeralStorageMb", Integer.toString(Transcoding.MIN_EPHEMERAL_STORAGE_MB),
      Transcoding.MIN_EPHEMERAL_STORAGE_MB + " to " + Transcoding.MAX_EPHEMERAL_STORAGE_MB
          + "; above " + Transcoding.SNAPSTART_MAX_EPHEMERAL_STORAGE_MB + " turns SnapStart off for the worker",
      "The worker's /tmp, in MB: it holds one job's outputs while they upload."),
  WORKER_RESERVED_CONCURRENCY("workerReservedConcurrency", null,
      "unset, or at least the sum of the tiers' maxConcurrency while leaving 100 of accountConcurrency unreserved",
      "Reserved concurrency of the worker; unset shares the account's unreserved pool."),
  WORKER_PROCESSOR("workerProcessor", ProcessorSpec.DEFAULT,
      "transcode, inspect, or simulated:N with N from 0 to 900000 (ms)",
      "What the worker does with a video: transcode it with FFmpeg, inspect its container, or only hold for a while (benchmarks)."),
  RENDITIONS("renditions", Transcoding.renditionsText(Transcoding.DEFAULT_RENDITIONS),
      "1 to " + Transcoding.MAX_RENDITIONS + " distinct even heights from " + Transcoding.MIN_RENDITION_HEIGHT
          + " to " + Transcoding.MAX_RENDITION_HEIGHT + ", comma-separated",
      "transcode: the H.264/AAC MP4 renditions by height; a source is never upscaled."),
  WATERMARK_CORNER("watermarkCorner", Transcoding.DEFAULT_WATERMARK_CORNER.id(),
      "top-left, top-right, bottom-left, bottom-right or none",
      "transcode: where the watermark (the PNG shipped in the worker) sits on every rendition and the thumbnail."),
  THUMBNAIL_OFFSET_MILLIS("thumbnailOffsetMillis", Long.toString(Transcoding.DEFAULT_THUMBNAIL_OFFSET_MILLIS),
      "0 to " + Transcoding.MAX_THUMBNAIL_OFFSET_MILLIS + "; a shorter video gives its middle frame",
      "transcode: where in the video the JPEG thumbnail is taken, in ms."),
  TRANSCODE_SPEED("transcodeSpeed", Double.toString(Transcoding.DEFAULT_SPEED),
      Transcoding.MIN_SPEED + " to " + Transcoding.MAX_SPEED,
      "transcode: seconds of video one vCPU processes per second (docs/benchmarks/transcode.md); the time budget uses it."),
  EVENT_BUS_ARN("eventBusArn", null, "unset (the account's default bus) or an EventBridge event bus ARN whose name is at most " + Limits.EVENT_BUS_NAME_LENGTH + " characters",
      "Where the worker publishes its Video Processed and Video Failed events."),
  ACCOUNT_CONCURRENCY("accountConcurrency", "1000", "10 to 1000000",
      "The account's Lambda concurrency limit in this region (Service Quotas)."),

  VISIBILITY_TIMEOUT_SECONDS("visibilityTimeoutSeconds", null,
      "6x workerTimeoutSeconds to 43200; defaults to 6x workerTimeoutSeconds",
      "Visibility timeout of every tier queue, in seconds."),
  QUEUE_RETENTION_SECONDS("queueRetentionSeconds", "345600", "60 to 1209599 (below the DLQ's)",
      "How long a tier queue keeps a message, in seconds."),
  DLQ_RETENTION_SECONDS("dlqRetentionSeconds", "1209600",
      "more than queueRetentionSeconds, at most 1209600",
      "How long a dead-letter queue keeps a message, in seconds."),

  STEAL_BUDGET("stealBudget", Integer.toString(FlowDefaults.STEAL_BUDGET), "0 to " + FlowDefaults.STEAL_BUDGET_MAX,
      "highest-first: higher-tier jobs taken before each message of the worker's own batch."),
  LEND_TOKENS("lendTokens", Integer.toString(FlowDefaults.LEND_TOKENS), "0 to " + FlowDefaults.LEND_TOKENS_MAX,
      "highest-first: capacity tokens an invocation sends to an idle higher tier's queue when it finds a backlog below it, so that tier's mapping starts invocations that drain it; 0 turns lending off."),
  DRAIN("drain", Boolean.toString(FlowDefaults.DRAIN), "true or false",
      "highest-first: after its batch, keep taking work highest tier first while time allows."),
  MAX_DEFERRALS("maxDeferrals", Integer.toString(FlowDefaults.MAX_DEFERRALS), "0 to " + FlowDefaults.MAX_DEFERRALS_MAX,
      "consumer-level: deferrals of one message before it is processed anyway."),
  DEFER_DELAY_SECONDS("deferDelaySeconds", Integer.toString(FlowDefaults.DEFER_DELAY_SECONDS), "0 to " + FlowDefaults.DEFER_DELAY_SECONDS_MAX,
      "consumer-level: delay of a deferred message's re-send, in seconds."),
  BACKLOG_CACHE_MILLIS("backlogCacheMillis", Integer.toString(FlowDefaults.BACKLOG_CACHE_MILLIS),
      "0 to " + FlowDefaults.BACKLOG_CACHE_MILLIS_MAX,
      "How long one backlog reading (consumer-level) or one empty steal (highest-first) is reused, in ms."),
  BACKLOG_HOLD_MILLIS("backlogHoldMillis", Integer.toString(FlowDefaults.BACKLOG_HOLD_MILLIS), "0 to " + FlowDefaults.BACKLOG_HOLD_MILLIS_MAX,
      "consumer-level: a higher tier counts as busy this long after any non-zero reading, in ms."),
  FAIR_QUEUES("fairQueues", "true", "true or false",
      "Send each job with its uploader as MessageGroupId, so SQS fair queues stop one user's flood from delaying others."),
  RETRY_BACKOFF_SECONDS("retryBackoffSeconds", Integer.toString(FlowDefaults.RETRY_BACKOFF_SECONDS), "0 to " + FlowDefaults.RETRY_BACKOFF_SECONDS_MAX,
      "Base of the exponential retry backoff of a failed job, in seconds."),

  PRESIGN_MEMORY_MB("presignMemoryMb", "512", "128 to 10240",
      "Memory of the presign function, in MB."),
  PRESIGN_TIMEOUT_SECONDS("presignTimeoutSeconds", "10", "1 to 30",
      "Timeout of the presign function, in seconds (the HTTP API waits at most 30)."),
  STATUS_MEMORY_MB("statusMemoryMb", "512", "128 to 10240",
      "Memory of the status function (GET /uploads), in MB."),
  STATUS_TIMEOUT_SECONDS("statusTimeoutSeconds", "10", "1 to 30",
      "Timeout of the status function, in seconds (the HTTP API waits at most 30)."),
  ROUTER_MEMORY_MB("routerMemoryMb", "512", "128 to 10240",
      "Memory of the router function, in MB."),
  ROUTER_TIMEOUT_SECONDS("routerTimeoutSeconds", "30", "1 to 900",
      "Timeout of the router function, in seconds."),

  UPLOAD_MAX_BYTES("uploadMaxBytes", "1073741824", "1 to " + Limits.UPLOAD_BYTES.max() + " (5 GiB)",
      "Largest upload accepted, in bytes."),
  UPLOAD_CONTENT_TYPES("uploadContentTypes", JsonSupport.write(ContentTypes.known()),
      "a non-empty subset of " + String.join(", ", ContentTypes.known()),
      "Content types a client may upload."),
  UPLOAD_URL_EXPIRY_SECONDS("uploadUrlExpirySeconds", "900", "1 to " + Limits.PRESIGNED_URL_EXPIRY.max(),
      "Lifetime of a presigned upload URL, in seconds."),
  PENDING_UPLOAD_TTL_SECONDS("pendingUploadTtlSeconds", "86400",
      "uploadUrlExpirySeconds to 2592000",
      "How long a PENDING_UPLOAD record lives before DynamoDB's TTL removes it, in seconds."),
  UPLOAD_RETENTION_DAYS("uploadRetentionDays", "30",
      "1 to 3650, and at least dlqRetentionSeconds in days",
      "Objects under uploads/ expire after this many days."),
  NONCURRENT_VERSION_EXPIRATION_DAYS("noncurrentVersionExpirationDays", "7", "1 to 365",
      "Overwritten or deleted object versions are removed after this many days."),
  QUOTA_UPLOADS_IN_FLIGHT("quotaUploadsInFlight", "10",
      "1 to " + dev.priorityqueues.contract.UploadLimits.MAX_QUOTA_UPLOADS_IN_FLIGHT,
      "Most uploads one user may have in flight (presigned, uploading, queued or processing); more get 429 with Retry-After."),
  QUOTA_BYTES_PER_DAY("quotaBytesPerDay", "21474836480",
      "uploadMaxBytes to " + dev.priorityqueues.contract.UploadLimits.MAX_QUOTA_BYTES_PER_DAY + " (1 PiB)",
      "Most bytes one user may declare for upload per UTC day; more get 429 with Retry-After (the next midnight UTC)."),

  JWT_ISSUER("jwtIssuer", null, "required; an https URL",
      "Issuer of the JWTs the upload API accepts (for example a Cognito user pool URL)."),
  JWT_AUDIENCE("jwtAudience", null, "required; a list of 1 to " + Limits.JWT_AUDIENCES + " strings",
      "Audiences the upload API accepts (for example the app client ids)."),
  JWT_SCOPES("jwtScopes", "[\"" + dev.priorityqueues.contract.Scopes.DEFAULT + "\"]",
      "a list of 1 to " + dev.priorityqueues.contract.Scopes.MAX_SCOPES + " OAuth scopes, each 1 to "
          + dev.priorityqueues.contract.Scopes.MAX_LENGTH + " printable ASCII characters without space, quote, comma or backslash",
      "Scopes of which a token must grant at least one: the route's authorizationScopes, checked again by presign, so ID tokens and tokens for other APIs are refused (403)."),
  STATUS_JWT_SCOPES("statusJwtScopes", "[\"" + dev.priorityqueues.contract.Scopes.READ_DEFAULT + "\"]",
      "a list of 1 to " + dev.priorityqueues.contract.Scopes.MAX_SCOPES + " OAuth scopes, each 1 to "
          + dev.priorityqueues.contract.Scopes.MAX_LENGTH + " printable ASCII characters without space, quote, comma or backslash",
      "Scopes of which a token must grant at least one to read its uploads' status (GET /uploads and GET /uploads/{videoId}): those routes' authorizationScopes, checked again by the status function (403 otherwise)."),
  API_THROTTLE_RATE_LIMIT("apiThrottleRateLimit", "50", "1 to 10000",
      "Steady-state requests per second the upload API allows."),
  API_THROTTLE_BURST_LIMIT("apiThrottleBurstLimit", "100", "1 to 5000",
      "Burst of requests the upload API allows."),
  CORS_ALLOWED_ORIGINS("corsAllowedOrigins", "[]",
      "up to " + SettingsParser.MAX_CORS_ORIGINS + " distinct origins, each https://host[:port], or http://localhost[:port] for development; no wildcard",
      "Web origins allowed to call the upload API and PUT to the bucket from a browser (CORS); empty means no CORS."),

  EVENT_RETRY_ATTEMPTS("eventRetryAttempts", "185", "0 to 185",
      "How often EventBridge retries delivering an upload event to the router."),
  EVENT_MAX_AGE_SECONDS("eventMaxAgeSeconds", Long.toString(Limits.EVENT_MAX_AGE.max()),
      Limits.EVENT_MAX_AGE.min() + " to " + Limits.EVENT_MAX_AGE.max(),
      "How long EventBridge keeps retrying to deliver an upload event to the router, in seconds."),
  ROUTER_EVENT_MAX_AGE_SECONDS("routerEventMaxAgeSeconds", Long.toString(Limits.ASYNC_EVENT_MAX_AGE.max()),
      Limits.ASYNC_EVENT_MAX_AGE.min() + " to " + Limits.ASYNC_EVENT_MAX_AGE.max() + " (Lambda's limit, below EventBridge's)",
      "How long Lambda keeps retrying an upload event the router failed on, in seconds; then the event goes to the events DLQ."),

  ALARM_EMAIL("alarmEmail", null, "unset or an e-mail address; not with alarmTopicArn",
      "E-mail address subscribed to a new SNS topic that receives every alarm."),
  ALARM_TOPIC_ARN("alarmTopicArn", null, "unset or an SNS topic ARN; not with alarmEmail",
      "An existing SNS topic that receives every alarm."),
  OLDEST_MESSAGE_ALARM_SECONDS("oldestMessageAlarmSeconds", "300", "60 to 86400",
      "Alarm when the highest tier's oldest message is older than this, in seconds."),
  LOWER_TIER_OLDEST_MESSAGE_ALARM_SECONDS("lowerTierOldestMessageAlarmSeconds", "3600", "60 to 1209600",
      "Alarm when the oldest message of any tier below the highest is older than this, in seconds."),
  API_ERROR_RATE_ALARM_PERCENT("apiErrorRateAlarmPercent", "5", "1 to 100",
      "Alarm when more than this share of upload API requests fail with 5xx for 5 minutes, in percent."),
  API_THROTTLE_RATE_ALARM_PERCENT("apiThrottleRateAlarmPercent", "10", "1 to 100",
      "Alarm when more than this share of upload API requests are throttled (429) for 5 minutes, in percent."),
  REJECTS_ALARM_COUNT("rejectsAlarmCount", "10", "1 to 1000000",
      "Alarm when this many uploads in 5 minutes break their declared or allowed size (Rejects); any Orphans alarm at once."),
  TOP_TIER_WAIT_P95_ALARM_SECONDS("topTierWaitP95AlarmSeconds", "60", "1 to 86400",
      "Alarm when the highest tier's p95 queue wait (the worker's JobQueueWait metric) stays above this for 3 minutes, in seconds."),

  LOG_RETENTION_DAYS("logRetentionDays", "30",
      "one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653",
      "Retention of every log group, in days."),
  PROTECT_DATA("protectData", "true", "true or false",
      "Deletion protection on the tables and no force-destroy on the bucket; set false for throwaway stacks."),
  TAGS("tags", "{}", "a map of up to " + Limits.MAX_TAGS + " tags; keys 1 to " + Limits.TAG_KEY_LENGTH
      + " characters, not starting with aws:",
      "Tags added to every resource that takes tags."),
  KMS_KEY("kmsKey", "none",
      "none, create, or a KMS key ARN (arn:aws:kms:<region>:<account>:key/<key-id>; not an alias)",
      "Customer-managed KMS key for the bucket (SSE-KMS, bucket keys), tables, queues and DLQs, log groups, function environments and the alarm topic: none keeps AWS-owned and AWS-managed keys; create makes one (rotation on, 30-day deletion window, least-privilege key policy); an ARN uses yours, whose key policy must allow what docs/security-controls.md lists."),
  OPERATOR_ROLE_ARNS("operatorRoleArns", "[]",
      "a list of up to " + SettingsParser.MAX_OPERATOR_ROLES + " IAM role ARNs (arn:aws:iam::<account>:role/[<path>/]<name>), not session or user ARNs",
      "Roles, besides the pipeline's, that every tier queue's policy lets send: the operators who redrive a DLQ (./pq dlq redrive), since SQS's message move task sends with the permissions of whoever starts it."),
  CODE_ROOT("codeRoot", null,
      "an existing directory; defaults to the directory of Pulumi.yaml",
      "Where the function archives (lambdas/*/target/*.jar) are found."),

  RECORD_RETENTION_DAYS("recordRetentionDays", Integer.toString(dev.priorityqueues.contract.Retention.DEFAULT_RECORD_DAYS),
      "at least queueRetentionSeconds + dlqRetentionSeconds in days, at most " + dev.priorityqueues.contract.Retention.MAX_DAYS,
      "A video record (user id, file name, status) is removed by DynamoDB's TTL this many days after its last status change (DONE, FAILED, REJECTED, ORPHANED, or a job still in flight)."),
  PROCESSED_RETENTION_DAYS("processedRetentionDays", Integer.toString(dev.priorityqueues.contract.Retention.DEFAULT_PROCESSED_DAYS),
      "1 to " + dev.priorityqueues.contract.Retention.MAX_DAYS,
      "Objects under processed/ (renditions, thumbnails, results) expire after this many days."),
  REJECTED_INPUTS("rejectedInputs", dev.priorityqueues.contract.RejectedInputs.DEFAULT.id(),
      String.join(" or ", dev.priorityqueues.contract.RejectedInputs.ids()),
      "What becomes of an upload that is REJECTED (size), ORPHANED or FAILED for good: deleted (every version the pipeline admitted), or moved under quarantine/; the record keeps the reason either way."),
  QUARANTINE_RETENTION_DAYS("quarantineRetentionDays", Integer.toString(dev.priorityqueues.contract.RejectedInputs.DEFAULT_QUARANTINE_DAYS),
      "1 to " + dev.priorityqueues.contract.RejectedInputs.MAX_QUARANTINE_DAYS,
      "Objects under quarantine/ expire after this many days."),
  LOG_USER_IDS("logUserIds", dev.priorityqueues.contract.UserPseudonyms.Mode.DEFAULT.id(),
      String.join(" or ", dev.priorityqueues.contract.UserPseudonyms.Mode.ids()),
      "How user ids appear in the functions' logs: hashed writes each as a pseudonym (HMAC-SHA256 keyed per stack), in userId fields and in object keys' folders; plain writes them as they are.");

  /** The Pulumi project name, which is also the config namespace. */
  public static final String PROJECT = "priority-queues";

  private final String key;
  private final String defaultValue;
  private final String allowed;
  private final String description;

  ConfigKey(String key, String defaultValue, String allowed, String description) {
    this.key = key;
    this.defaultValue = defaultValue;
    this.allowed = allowed;
    this.description = description;
  }

  /** The key without its namespace, as in {@code pulumi config set <key>}. */
  public String key() {
    return key;
  }

  /** The key with its namespace, as it appears in {@code Pulumi.<stack>.yaml}. */
  public String qualified() {
    return PROJECT + ":" + key;
  }

  public Optional<String> defaultValue() {
    return Optional.ofNullable(defaultValue);
  }

  public String allowed() {
    return allowed;
  }

  public String description() {
    return description;
  }

  public static Optional<ConfigKey> find(String key) {
    return Arrays.stream(values()).filter(k -> k.key.equals(key)).findFirst();
  }
}
