package dev.priorityqueues.infra.config;

import java.util.List;

/**
 * AWS limits the program must respect, in one place. Settings validation and the components'
 * argument checks both use them. Each constant's comment names the AWS limit it mirrors.
 */
public final class Limits {
  private Limits() {}

  /** ScalingConfig.MaximumConcurrency of an SQS event source mapping. */
  public static final Range MAXIMUM_CONCURRENCY = new Range(2, 1000, "");
  /**
   * ProvisionedPollerConfig for SQS: MinimumPollers 2-200; MaximumPollers at least 2, at most 2,000
   * in CloudFormation (the API reference says 10,000 for SQS: the tighter bound is kept).
   */
  public static final Range MINIMUM_POLLERS = new Range(2, 200, "");
  public static final Range MAXIMUM_POLLERS = new Range(2, 2_000, "");
  public static final Range MAX_RECEIVE_COUNT = new Range(1, 1000, "");
  /** Standard queues; FIFO queues would allow only 10. */
  public static final Range BATCH_SIZE = new Range(1, 10_000, "");
  /** Above this batch size Lambda requires a batching window of at least one second. */
  public static final int BATCH_SIZE_WITHOUT_WINDOW = 10;
  public static final Range BATCHING_WINDOW = new Range(0, 300, "seconds");

  public static final Range LAMBDA_MEMORY = new Range(128, 10_240, "MB");
  public static final Range LAMBDA_TIMEOUT = new Range(1, 900, "seconds");
  /** EphemeralStorage.Size: 512 MB to 10,240 MB of /tmp. */
  public static final Range EPHEMERAL_STORAGE = new Range(dev.priorityqueues.contract.Transcoding.MIN_EPHEMERAL_STORAGE_MB,
      dev.priorityqueues.contract.Transcoding.MAX_EPHEMERAL_STORAGE_MB, "MB");
  /** A layer archive uploaded directly (not through S3) may be at most 50 MB zipped. */
  public static final long LAYER_ZIP_DIRECT_UPLOAD_BYTES = 50L * 1024 * 1024;
  /** API Gateway HTTP APIs give up on an integration after 30 seconds. */
  public static final Range HTTP_API_LAMBDA_TIMEOUT = new Range(1, 30, "seconds");

  public static final Range VISIBILITY_TIMEOUT = new Range(0, 43_200, "seconds");
  /** Lambda: the queue's visibility timeout must be at least 6x the function timeout. */
  public static final int VISIBILITY_TIMEOUT_FACTOR = 6;
  public static final Range MESSAGE_RETENTION = new Range(60, 1_209_600, "seconds");
  /** SQS DelaySeconds. */
  public static final Range MESSAGE_DELAY = new Range(0, 900, "seconds");

  /** Lambda keeps at least this many executions unreserved in every account. */
  public static final int UNRESERVED_CONCURRENCY_FLOOR = 100;

  /** A single presigned PUT can carry at most 5 GiB. */
  public static final Range UPLOAD_BYTES = new Range(1, dev.priorityqueues.contract.UploadLimits.MAX_UPLOAD_BYTES, "bytes");
  /** Kept to 15 minutes so a URL never outlives the short session of the signing role. */
  public static final Range PRESIGNED_URL_EXPIRY =
      new Range(1, dev.priorityqueues.contract.UploadLimits.MAX_UPLOAD_URL_SECONDS, "seconds");

  /** API Gateway HTTP APIs: audiences per JWT authorizer (HTTP API quotas; not adjustable). */
  public static final int JWT_AUDIENCES = 50;

  /** EventBridge target retry policy (PutTargets, RetryPolicy). */
  public static final Range EVENT_RETRY_ATTEMPTS = new Range(0, 185, "");
  public static final Range EVENT_MAX_AGE = new Range(60, 86_400, "seconds");
  /**
   * Lambda's own retries of an asynchronous invocation (PutFunctionEventInvokeConfig): a
   * narrower range than EventBridge's, so the two are separate settings.
   */
  public static final Range ASYNC_EVENT_MAX_AGE = new Range(60, 21_600, "seconds");
  public static final Range ASYNC_RETRY_ATTEMPTS = new Range(0, 2, "");

  /**
   * At most this many tiers: each adds its queue URLs and ARNs to the tier table in every
   * function's environment, which Lambda limits to 4 KB of JSON.
   */
  public static final int MAX_TIERS = 6;
  /** The longest subscription name a tier lists. */
  public static final int SUBSCRIPTION_LENGTH = 64;
  /**
   * What all tiers' subscriptions together may add to a function's environment, in bytes of
   * JSON: each costs its length plus {@link #SUBSCRIPTION_JSON_OVERHEAD}. With {@link #MAX_TIERS}
   * tiers of the longest names, the queue URLs and ARNs of a 14-character region or of the
   * aws-us-gov partition, the largest environment then stays under Lambda's 4 KB (AwsLimitsTest).
   * 256 fitted until the worker's transcoding, event bus and lending variables joined the tier
   * table; with them the largest worker environment took 4178 bytes.
   */
  public static final int SUBSCRIPTIONS_BYTES = 128;
  /**
   * The longest event bus name {@code eventBusArn} may end in. EventBridge allows 256, but the
   * ARN goes into the worker's environment beside the tier table: with the longest tiers and
   * subscriptions, a 256-character name took it to 4157 bytes of Lambda's 4096 (AwsLimitsTest).
   */
  public static final int EVENT_BUS_NAME_LENGTH = 64;
  /** A subscription in the tier table: its quotes, escaped inside the variable's value, and a comma. */
  public static final int SUBSCRIPTION_JSON_OVERHEAD = 5;

  /**
   * Configured tags per resource. AWS allows 50 on every resource type this program tags; the
   * program adds its own two (project, stack), and the rest stay free for the account's own.
   */
  public static final int MAX_TAGS = 40;
  public static final int TAG_KEY_LENGTH = 128;
  public static final int TAG_VALUE_LENGTH = 256;

  /** The only retention periods CloudWatch Logs accepts (0, never expire, is left out on purpose). */
  public static final List<Integer> LOG_RETENTION_DAYS =
      List.of(1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557,
          2922, 3288, 3653);
}
