package dev.priorityqueues.common.testing;

import dev.priorityqueues.contract.FunctionEnv;
import dev.priorityqueues.contract.Tables;
import dev.priorityqueues.contract.TierTable;
import dev.priorityqueues.contract.TierTable.Tier;
import dev.priorityqueues.local.servers.LocalAws;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A complete, private set of the resources the functions use, on the JVM's {@link LocalAws}:
 * videos and users tables, a bucket, and one queue + DLQ per tier (premium above regular unless
 * told otherwise). Every name is unique, so tests never see each other's data.
 */
public final class TestStack {

  private static final AtomicInteger SEQUENCE = new AtomicInteger();
  private static SqsClient sqs;
  private static DynamoDbClient dynamoDb;
  private static S3Client s3;

  /** One tier to create: its name and the subscriptions that map to it. */
  public record TierSpec(String name, List<String> subscriptions) {}

  public static final List<TierSpec> TWO_TIERS =
      List.of(new TierSpec("premium", List.of("pro", "premium")), new TierSpec("regular", List.of("free", "basic")));

  private final String prefix;
  private final String videosTable;
  private final String usersTable;
  private final String bucket;
  private final TierTable tiers;
  private final Map<String, String> env;

  private TestStack(Builder builder) {
    this.prefix = builder.prefix;
    this.videosTable = prefix + "-videos";
    this.usersTable = prefix + "-users";
    this.bucket = prefix + "-bucket";
    createVideosTable(videosTable);
    createTable(usersTable, Tables.Users.KEY);
    s3().createBucket(b -> b.bucket(bucket));
    // Versioned, as the program makes it: events carry version ids and the worker reads by them.
    s3().putBucketVersioning(b -> b.bucket(bucket).versioningConfiguration(v -> v.status("Enabled")));
    List<Tier> created = new ArrayList<>();
    for (int rank = 0; rank < builder.tiers.size(); rank++) {
      created.add(createTier(builder.tiers.get(rank), rank, builder.maxReceiveCount, builder.visibilitySeconds));
    }
    this.tiers = new TierTable(created, builder.defaultTier);
    Map<String, String> values = new LinkedHashMap<>(LocalAws.shared().clientEnvironment());
    values.put(FunctionEnv.TIERS, tiers.toJson());
    values.put(FunctionEnv.DEFAULT_TIER, builder.defaultTier);
    values.put(FunctionEnv.VIDEOS_TABLE, videosTable);
    values.put(FunctionEnv.USERS_TABLE, usersTable);
    values.put(FunctionEnv.BUCKET, bucket);
    // The program always sets it (uploadMaxBytes' default); the functions no longer assume one.
    values.put(FunctionEnv.UPLOAD_MAX_BYTES, "1073741824");
    values.put(FunctionEnv.JWT_SCOPES, dev.priorityqueues.contract.Scopes.DEFAULT);
    values.put(FunctionEnv.PRIVACY, dev.priorityqueues.contract.PrivacyEnv.DEFAULT.text());
    // One quotas table for the JVM (its keys are per user); the widest quotas, which a quota
    // test narrows with env(...).
    values.put(FunctionEnv.QUOTAS_TABLE, quotasTable());
    values.put(FunctionEnv.QUOTA_UPLOADS_IN_FLIGHT,
        Integer.toString(dev.priorityqueues.contract.UploadLimits.MAX_QUOTA_UPLOADS_IN_FLIGHT));
    values.put(FunctionEnv.QUOTA_BYTES_PER_DAY, Long.toString(dev.priorityqueues.contract.UploadLimits.MAX_QUOTA_BYTES_PER_DAY));
    values.putAll(builder.env);
    this.env = Map.copyOf(values);
  }

  /** A stack named after the test ({@code name} is a short tag; a unique suffix is added). */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  public static TestStack create(String name) {
    return builder(name).build();
  }

  public static final class Builder {
    private final String prefix;
    private List<TierSpec> tiers = TWO_TIERS;
    private String defaultTier = "regular";
    private int maxReceiveCount = 3;
    private int visibilitySeconds = 30;
    private final Map<String, String> env = new LinkedHashMap<>();

    private Builder(String name) {
      String clean = name.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
      this.prefix = (clean.length() > 20 ? clean.substring(0, 20) : clean) + "-" + SEQUENCE.incrementAndGet()
          + "-" + Long.toString(System.nanoTime() % 1_000_000, 36);
    }

    public Builder tiers(List<TierSpec> tiers, String defaultTier) {
      this.tiers = List.copyOf(tiers);
      this.defaultTier = defaultTier;
      return this;
    }

    public Builder maxReceiveCount(int maxReceiveCount) {
      this.maxReceiveCount = maxReceiveCount;
      return this;
    }

    public Builder visibilitySeconds(int seconds) {
      this.visibilitySeconds = seconds;
      return this;
    }

    public Builder env(String name, Object value) {
      env.put(name, String.valueOf(value));
      return this;
    }

    public TestStack build() {
      return new TestStack(this);
    }
  }

  public Map<String, String> env() {
    return env;
  }

  /** The stack's environment with some variables added or replaced. */
  public Map<String, String> env(Map<String, String> overrides) {
    Map<String, String> merged = new LinkedHashMap<>(env);
    merged.putAll(overrides);
    return Map.copyOf(merged);
  }

  public String videosTable() {
    return videosTable;
  }

  public String usersTable() {
    return usersTable;
  }

  public String bucket() {
    return bucket;
  }

  public TierTable tiers() {
    return tiers;
  }

  public Tier tier(String name) {
    return tiers.byName(name);
  }

  public void putUser(String userId, String subscription) {
    dynamoDb().putItem(b -> b.tableName(usersTable).item(Map.of(
        Tables.Users.KEY, AttributeValue.fromS(userId),
        Tables.Users.SUBSCRIPTION, AttributeValue.fromS(subscription))));
  }

  /** The raw item of a video, or an empty map. */
  public Map<String, AttributeValue> video(String videoKey) {
    Map<String, AttributeValue> item =
        dynamoDb().getItem(b -> b.tableName(videosTable).key(Map.of(Tables.Videos.KEY, AttributeValue.fromS(videoKey)))
            .consistentRead(true)).item();
    return item == null ? Map.of() : item;
  }

  private static String quotasTable;

  /** The JVM's quotas table, keyed as the program declares it; created on first use. */
  public static synchronized String quotasTable() {
    if (quotasTable == null) {
      String name = "test-quotas-" + Long.toString(System.nanoTime() % 1_000_000, 36);
      createTable(name, Tables.Quotas.KEY);
      quotasTable = name;
    }
    return quotasTable;
  }

  public static synchronized SqsClient sqs() {
    if (sqs == null) {
      sqs = LocalAws.shared().sqs();
    }
    return sqs;
  }

  public static synchronized DynamoDbClient dynamoDb() {
    if (dynamoDb == null) {
      dynamoDb = LocalAws.shared().dynamoDb();
    }
    return dynamoDb;
  }

  public static synchronized S3Client s3() {
    if (s3 == null) {
      s3 = LocalAws.shared().s3();
    }
    return s3;
  }

  private static void createTable(String name, String key) {
    dynamoDb().createTable(b -> b.tableName(name)
        .billingMode(BillingMode.PAY_PER_REQUEST)
        .keySchema(KeySchemaElement.builder().attributeName(key).keyType(KeyType.HASH).build())
        .attributeDefinitions(AttributeDefinition.builder().attributeName(key).attributeType(ScalarAttributeType.S).build()));
  }

  /** The videos table as the program declares it: keyed by video, indexed by user and time. */
  private static void createVideosTable(String name) {
    dynamoDb().createTable(b -> b.tableName(name)
        .billingMode(BillingMode.PAY_PER_REQUEST)
        .keySchema(KeySchemaElement.builder().attributeName(Tables.Videos.KEY).keyType(KeyType.HASH).build())
        .attributeDefinitions(
            AttributeDefinition.builder().attributeName(Tables.Videos.KEY).attributeType(ScalarAttributeType.S).build(),
            AttributeDefinition.builder().attributeName(Tables.Videos.USER_ID).attributeType(ScalarAttributeType.S).build(),
            AttributeDefinition.builder().attributeName(Tables.Videos.CREATED_AT).attributeType(ScalarAttributeType.N).build())
        .globalSecondaryIndexes(g -> g.indexName(Tables.Videos.BY_USER_INDEX)
            .keySchema(
                KeySchemaElement.builder().attributeName(Tables.Videos.USER_ID).keyType(KeyType.HASH).build(),
                KeySchemaElement.builder().attributeName(Tables.Videos.CREATED_AT).keyType(KeyType.RANGE).build())
            .projection(p -> p.projectionType(software.amazon.awssdk.services.dynamodb.model.ProjectionType.ALL))));
  }

  private Tier createTier(TierSpec spec, int rank, int maxReceiveCount, int visibilitySeconds) {
    String dlqUrl = sqs().createQueue(b -> b.queueName(prefix + "-" + spec.name() + "-dlq")).queueUrl();
    String dlqArn = arn(dlqUrl);
    String queueUrl = sqs().createQueue(b -> b.queueName(prefix + "-" + spec.name()).attributes(Map.of(
        QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(visibilitySeconds),
        QueueAttributeName.REDRIVE_POLICY,
        "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"" + maxReceiveCount + "\"}"))).queueUrl();
    return new Tier(spec.name(), rank, queueUrl, arn(queueUrl), dlqUrl, dlqArn, spec.subscriptions(), maxReceiveCount);
  }

  private static String arn(String queueUrl) {
    return sqs().getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
        .attributes().get(QueueAttributeName.QUEUE_ARN);
  }
}
