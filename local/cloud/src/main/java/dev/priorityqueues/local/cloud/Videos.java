package dev.priorityqueues.local.cloud;

import dev.priorityqueues.contract.Tables;
import dev.priorityqueues.contract.VideoStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/** Reads the videos table as the demo, benchmarks and tests need it: every record, typed. */
public final class Videos {
  private Videos() {}

  /** One video record, with the attributes reports use. Absent numbers are null. */
  public record Record(
      String key,
      String userId,
      VideoStatus status,
      String tier,
      String reason,
      Long queuedAt,
      Long startedAt,
      Long finishedAt,
      Long queueWaitMillis,
      Long completions,
      Long attempts,
      Integer outputs) {

    public boolean terminal() {
      return status.terminal();
    }
  }

  public static List<Record> all(DynamoDbClient dynamoDb, String table) {
    List<Record> records = new ArrayList<>();
    Map<String, AttributeValue> start = null;
    do {
      ScanRequest.Builder request = ScanRequest.builder().tableName(table).consistentRead(true);
      if (start != null) {
        request.exclusiveStartKey(start);
      }
      ScanResponse page = dynamoDb.scan(request.build());
      page.items().forEach(item -> records.add(record(item)));
      start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
    } while (start != null);
    return records;
  }

  public static Optional<Record> get(DynamoDbClient dynamoDb, String table, String key) {
    Map<String, AttributeValue> item =
        dynamoDb.getItem(b -> b.tableName(table).consistentRead(true).key(Map.of(Tables.Videos.KEY, AttributeValue.fromS(key)))).item();
    return item == null || item.isEmpty() ? Optional.empty() : Optional.of(record(item));
  }

  static Record record(Map<String, AttributeValue> item) {
    return new Record(
        text(item, Tables.Videos.KEY),
        text(item, Tables.Videos.USER_ID),
        VideoStatus.valueOf(text(item, Tables.Videos.STATUS)),
        text(item, Tables.Videos.TIER),
        text(item, Tables.Videos.REASON),
        number(item, Tables.Videos.QUEUED_AT),
        number(item, Tables.Videos.STARTED_AT),
        number(item, Tables.Videos.FINISHED_AT),
        number(item, Tables.Videos.QUEUE_WAIT_MILLIS),
        number(item, Tables.Videos.COMPLETIONS),
        number(item, Tables.Videos.ATTEMPTS),
        item.containsKey(Tables.Videos.OUTPUTS) && item.get(Tables.Videos.OUTPUTS).hasL()
            ? item.get(Tables.Videos.OUTPUTS).l().size() : null);
  }

  private static String text(Map<String, AttributeValue> item, String name) {
    AttributeValue value = item.get(name);
    return value == null ? null : value.s();
  }

  private static Long number(Map<String, AttributeValue> item, String name) {
    AttributeValue value = item.get(name);
    return value == null || value.n() == null ? null : Long.parseLong(value.n());
  }
}
