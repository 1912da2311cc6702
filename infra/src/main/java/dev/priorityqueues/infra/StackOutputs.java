package dev.priorityqueues.infra;

import java.util.List;

/**
 * The names of the stack outputs. They are a public interface: other stacks read them with a
 * StackReference, and the local cloud reads them after a deploy, so they never change meaning.
 * README.md documents each one.
 */
public final class StackOutputs {
  private StackOutputs() {}

  /** Tier names, highest priority first. */
  public static final String TIER_ORDER = "tierOrder";
  /** Map of tier name to its queue URL. */
  public static final String QUEUE_URLS = "queueUrls";
  /** Map of tier name to its queue ARN. */
  public static final String QUEUE_ARNS = "queueArns";
  /** Map of tier name to its dead-letter queue URL. */
  public static final String DLQ_URLS = "dlqUrls";
  /** Map of tier name to its dead-letter queue ARN. */
  public static final String DLQ_ARNS = "dlqArns";
  /** The upload bucket. */
  public static final String BUCKET_NAME = "bucketName";
  /** The full URL of POST /uploads. */
  public static final String UPLOAD_ENDPOINT = "uploadEndpoint";
  public static final String VIDEOS_TABLE_NAME = "videosTableName";
  public static final String USERS_TABLE_NAME = "usersTableName";
  public static final String DASHBOARD_NAME = "dashboardName";
  /** Upload events EventBridge could not deliver to the router. */
  public static final String EVENTS_DLQ_URL = "eventsDlqUrl";
  /** The worker's flow. */
  public static final String FLOW = "flow";

  /** The source of the worker's completion events. */
  public static final String COMPLETION_EVENT_SOURCE = "completionEventSource";
  /** Outcome (DONE, FAILED) → the detail type of its completion event. */
  public static final String COMPLETION_EVENT_DETAIL_TYPES = "completionEventDetailTypes";
  /** The bus the completion events go to. */
  public static final String COMPLETION_EVENT_BUS_ARN = "completionEventBusArn";
  /** The per-user quota counters, which erasing a user removes too ({@code ./pq erase-user}). */
  public static final String QUOTAS_TABLE_NAME = "quotasTableName";

  public static final List<String> ALL = List.of(TIER_ORDER, QUEUE_URLS, QUEUE_ARNS, DLQ_URLS, DLQ_ARNS,
      BUCKET_NAME, UPLOAD_ENDPOINT, VIDEOS_TABLE_NAME, USERS_TABLE_NAME, DASHBOARD_NAME, EVENTS_DLQ_URL, FLOW,
      COMPLETION_EVENT_SOURCE, COMPLETION_EVENT_DETAIL_TYPES, COMPLETION_EVENT_BUS_ARN, QUOTAS_TABLE_NAME);
}
