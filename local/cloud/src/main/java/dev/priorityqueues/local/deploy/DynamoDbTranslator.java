package dev.priorityqueues.local.deploy;

import static dev.priorityqueues.local.deploy.Inputs.list;
import static dev.priorityqueues.local.deploy.Inputs.map;
import static dev.priorityqueues.local.deploy.Inputs.string;
import static dev.priorityqueues.local.deploy.Inputs.strings;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;

/** DynamoDB: tables are created on DynamoDB Local with their keys, indexes and TTL. */
final class DynamoDbTranslator extends Translator {
  private final DynamoDbClient dynamoDb;

  DynamoDbTranslator(DynamoDbClient dynamoDb, EmulationLog log) {
    super(log, "aws:dynamodb/table:Table");
    this.dynamoDb = dynamoDb;
  }

  @Override
  String create(String type, String name, Map<String, Object> in, Map<String, Object> state) {
    return table(name, in, state);
  }

  private String table(String logical, Map<String, Object> in, Map<String, Object> state) {
    String name = Optional.ofNullable(string(in, "name")).orElse(logical);
    String hash = string(in, "hashKey");
    String range = string(in, "rangeKey");
    List<KeySchemaElement> keys = new ArrayList<>();
    keys.add(KeySchemaElement.builder().attributeName(hash).keyType(KeyType.HASH).build());
    if (range != null) {
      keys.add(KeySchemaElement.builder().attributeName(range).keyType(KeyType.RANGE).build());
    }
    List<AttributeDefinition> definitions = new ArrayList<>();
    for (Object raw : list(in, "attributes")) {
      @SuppressWarnings("unchecked")
      Map<String, Object> attribute = (Map<String, Object>) raw;
      definitions.add(
          AttributeDefinition.builder().attributeName(string(attribute, "name")).attributeType(string(attribute, "type")).build());
    }
    List<GlobalSecondaryIndex> indexes = new ArrayList<>();
    for (Object raw : list(in, "globalSecondaryIndexes")) {
      @SuppressWarnings("unchecked")
      Map<String, Object> index = (Map<String, Object>) raw;
      List<KeySchemaElement> indexKeys = new ArrayList<>();
      indexKeys.add(KeySchemaElement.builder().attributeName(string(index, "hashKey")).keyType(KeyType.HASH).build());
      if (string(index, "rangeKey") != null) {
        indexKeys.add(KeySchemaElement.builder().attributeName(string(index, "rangeKey")).keyType(KeyType.RANGE).build());
      }
      indexes.add(GlobalSecondaryIndex.builder().indexName(string(index, "name")).keySchema(indexKeys)
          .projection(p -> p.projectionType(string(index, "projectionType"))
              .nonKeyAttributes(list(index, "nonKeyAttributes").isEmpty() ? null : strings(index, "nonKeyAttributes")))
          .build());
    }
    dynamoDb.createTable(b -> {
      b.tableName(name).keySchema(keys).attributeDefinitions(definitions).billingMode(BillingMode.PAY_PER_REQUEST);
      if (!indexes.isEmpty()) {
        b.globalSecondaryIndexes(indexes);
      }
    });
    Map<String, Object> ttl = map(in, "ttl");
    if (ttl != null && Boolean.TRUE.equals(ttl.get("enabled"))) {
      String attribute = string(ttl, "attributeName");
      dynamoDb.updateTimeToLive(b -> b.tableName(name).timeToLiveSpecification(t -> t.attributeName(attribute).enabled(true)));
    }
    String arn = "arn:aws:dynamodb:" + region + ":" + account + ":table/" + name;
    state.put("arn", arn);
    state.put("name", name);
    log.emulated("aws:dynamodb/table:Table", logical, "DynamoDB Local; point-in-time recovery and encryption not emulated");
    return name;
  }
}
