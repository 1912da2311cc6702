package dev.priorityqueues.infra.testing;

/** AWS type tokens the tests look for. */
public final class Types {
  private Types() {}

  public static final String QUEUE = "aws:sqs/queue:Queue";
  public static final String QUEUE_POLICY = "aws:sqs/queuePolicy:QueuePolicy";
  public static final String REDRIVE_ALLOW_POLICY = "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy";
  public static final String FUNCTION = "aws:lambda/function:Function";
  public static final String ALIAS = "aws:lambda/alias:Alias";
  public static final String LAYER_VERSION = "aws:lambda/layerVersion:LayerVersion";
  public static final String EVENT_SOURCE_MAPPING = "aws:lambda/eventSourceMapping:EventSourceMapping";
  public static final String PERMISSION = "aws:lambda/permission:Permission";
  public static final String ROLE = "aws:iam/role:Role";
  public static final String ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
  public static final String LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
  public static final String METRIC_ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
  public static final String DASHBOARD = "aws:cloudwatch/dashboard:Dashboard";
  public static final String EVENT_RULE = "aws:cloudwatch/eventRule:EventRule";
  public static final String EVENT_TARGET = "aws:cloudwatch/eventTarget:EventTarget";
  public static final String BUCKET = "aws:s3/bucketV2:BucketV2";
  public static final String PUBLIC_ACCESS_BLOCK = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock";
  public static final String BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy";
  public static final String BUCKET_SSE =
      "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2";
  public static final String BUCKET_VERSIONING = "aws:s3/bucketVersioningV2:BucketVersioningV2";
  public static final String BUCKET_OWNERSHIP = "aws:s3/bucketOwnershipControls:BucketOwnershipControls";
  public static final String BUCKET_LIFECYCLE =
      "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2";
  public static final String BUCKET_CORS = "aws:s3/bucketCorsConfigurationV2:BucketCorsConfigurationV2";
  public static final String BUCKET_NOTIFICATION = "aws:s3/bucketNotification:BucketNotification";
  public static final String TABLE = "aws:dynamodb/table:Table";
  public static final String API = "aws:apigatewayv2/api:Api";
  public static final String AUTHORIZER = "aws:apigatewayv2/authorizer:Authorizer";
  public static final String INTEGRATION = "aws:apigatewayv2/integration:Integration";
  public static final String ROUTE = "aws:apigatewayv2/route:Route";
  public static final String STAGE = "aws:apigatewayv2/stage:Stage";
  public static final String SNS_TOPIC = "aws:sns/topic:Topic";
  public static final String TOPIC_SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription";
}
