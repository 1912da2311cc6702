package dev.priorityqueues.local.cloud;

import dev.priorityqueues.contract.ContractException;
import dev.priorityqueues.contract.Keys;
import dev.priorityqueues.contract.Tables;
import dev.priorityqueues.contract.UserPseudonyms;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;

/**
 * Erases one user from a stack: every object version and delete marker under their folder in
 * {@code uploads/}, {@code processed/uploads/} and {@code quarantine/uploads/} (found by prefix,
 * so objects whose record already expired, or never existed, go too), their video records (found
 * through the {@code byUserAndTime} index), their users-table item and their quota counters.
 * Objects go first: a run that fails half-way still finds everything it left when run again.
 * Plain AWS SDK calls, so it runs against a deployed stack with an operator's credentials as well
 * as against the local cloud.
 */
public final class UserErasure {

  /** The stack's names, from its outputs. */
  public record Stack(String bucket, String videosTable, String usersTable, String quotasTable) {
    public Stack {
      Objects.requireNonNull(bucket, "bucket");
      Objects.requireNonNull(videosTable, "videosTable");
      Objects.requireNonNull(usersTable, "usersTable");
      Objects.requireNonNull(quotasTable, "quotasTable");
    }
  }

  /**
   * What was removed (or, in a dry run, would be): the video records' keys, object versions and
   * delete markers by prefix, the users item (0 or 1), the quota counters, and the pseudonym the
   * user's log lines carry (they expire with the log groups' retention).
   */
  public record Report(String userId, List<String> videoRecords, Map<String, Integer> objectVersions,
      int userItems, int quotaCounters, String logPseudonym, boolean dryRun) {

    public int objectVersionsTotal() {
      return objectVersions.values().stream().mapToInt(Integer::intValue).sum();
    }
  }

  /** The days a bytes counter may still exist for: it lives until the end of the day after its own. */
  private static final int BYTES_DAYS_BACK = 2;

  private final DynamoDbClient dynamoDb;
  private final S3Client s3;
  private final Stack stack;
  private final Clock clock;

  public UserErasure(DynamoDbClient dynamoDb, S3Client s3, Stack stack, Clock clock) {
    this.dynamoDb = Objects.requireNonNull(dynamoDb, "dynamoDb");
    this.s3 = Objects.requireNonNull(s3, "s3");
    this.stack = Objects.requireNonNull(stack, "stack");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Erases {@code userId} (the exact JWT subject); with {@code dryRun} only reports what it would remove. */
  public Report erase(String userId, boolean dryRun) {
    if (userId == null || userId.isEmpty()) {
      throw new IllegalArgumentException("name the user: the exact subject (JWT sub) their uploads were made with");
    }
    Map<String, Integer> objects = new java.util.LinkedHashMap<>();
    String folder;
    try {
      folder = Keys.folderOf(userId);
    } catch (ContractException e) {
      folder = null; // a subject presign refuses never had a folder, so it has no objects
    }
    if (folder != null) {
      String uploads = Keys.UPLOADS_PREFIX + folder + "/";
      for (String prefix : List.of(uploads, Keys.PROCESSED_PREFIX + uploads, Keys.QUARANTINE_PREFIX + uploads)) {
        objects.put(prefix, deleteVersions(prefix, dryRun));
      }
    }
    List<String> videos = videoKeys(userId);
    if (!dryRun) {
      for (String key : videos) {
        dynamoDb.deleteItem(b -> b.tableName(stack.videosTable()).key(Map.of(Tables.Videos.KEY, AttributeValue.fromS(key))));
      }
    }
    int users = remove(stack.usersTable(), Tables.Users.KEY, userId, dryRun);
    int quotas = remove(stack.quotasTable(), Tables.Quotas.KEY, Tables.Quotas.inFlightKey(userId), dryRun);
    LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    for (LocalDate day = today.minusDays(BYTES_DAYS_BACK); !day.isAfter(today.plusDays(1)); day = day.plusDays(1)) {
      quotas += remove(stack.quotasTable(), Tables.Quotas.KEY, Tables.Quotas.bytesKey(userId, day), dryRun);
    }
    return new Report(userId, List.copyOf(videos), Map.copyOf(objects), users, quotas,
        new UserPseudonyms(stack.videosTable()).of(userId), dryRun);
  }

  /** Every version and delete marker under {@code prefix}, each deleted by its version id. */
  private int deleteVersions(String prefix, boolean dryRun) {
    int count = 0;
    String keyMarker = null;
    String versionMarker = null;
    while (true) {
      String keys = keyMarker;
      String versions = versionMarker;
      ListObjectVersionsResponse page = s3.listObjectVersions(b -> b.bucket(stack.bucket()).prefix(prefix)
          .keyMarker(keys).versionIdMarker(versions));
      List<String[]> found = new ArrayList<>();
      page.versions().forEach(v -> found.add(new String[] {v.key(), v.versionId()}));
      page.deleteMarkers().forEach(m -> found.add(new String[] {m.key(), m.versionId()}));
      for (String[] version : found) {
        if (!dryRun) {
          s3.deleteObject(b -> b.bucket(stack.bucket()).key(version[0]).versionId(version[1]));
        }
        count++;
      }
      if (!Boolean.TRUE.equals(page.isTruncated())) {
        return count;
      }
      keyMarker = page.nextKeyMarker();
      versionMarker = page.nextVersionIdMarker();
    }
  }

  private List<String> videoKeys(String userId) {
    List<String> keys = new ArrayList<>();
    Map<String, AttributeValue> start = null;
    do {
      Map<String, AttributeValue> from = start;
      QueryResponse page = dynamoDb.query(b -> b.tableName(stack.videosTable()).indexName(Tables.Videos.BY_USER_INDEX)
          .keyConditionExpression("#user = :user")
          .expressionAttributeNames(Map.of("#user", Tables.Videos.USER_ID))
          .expressionAttributeValues(Map.of(":user", AttributeValue.fromS(userId)))
          .projectionExpression(Tables.Videos.KEY)
          .exclusiveStartKey(from));
      page.items().forEach(item -> keys.add(item.get(Tables.Videos.KEY).s()));
      start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
    } while (start != null);
    return keys;
  }

  /** Deletes one item; 1 if it existed. */
  private int remove(String table, String keyName, String key, boolean dryRun) {
    Map<String, AttributeValue> itemKey = Map.of(keyName, AttributeValue.fromS(key));
    if (dryRun) {
      Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(table).key(itemKey).consistentRead(true)).item();
      return item == null || item.isEmpty() ? 0 : 1;
    }
    Map<String, AttributeValue> old = dynamoDb.deleteItem(b -> b.tableName(table).key(itemKey)
        .returnValues(ReturnValue.ALL_OLD)).attributes();
    return old == null || old.isEmpty() ? 0 : 1;
  }
}
