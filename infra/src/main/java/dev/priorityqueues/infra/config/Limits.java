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
  public static final Range UPLOAD_BYTES = new Range(1, dev.priorityqueues.contract.Limits.MAX_UPLOAD_BYTES, "bytes");
  /** Kept to 15 minutes so a URL never outlives the short session of the signing role. */
  public static final Range PRESIGNED_URL_EXPIRY =
      new Range(1, dev.priorityqueues.contract.Limits.MAX_UPLOAD_URL_SECONDS, "seconds");

  /** EventBridge target retry policy. */
  public static final Range EVENT_RETRY_ATTEMPTS = new Range(0, 185, "");
  public static final Range EVENT_MAX_AGE = new Range(60, 86_400, "seconds");

  /** The only retention periods CloudWatch Logs accepts (0, never expire, is left out on purpose). */
  public static final List<Integer> LOG_RETENTION_DAYS =
      List.of(1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557,
          2922, 3288, 3653);
}
