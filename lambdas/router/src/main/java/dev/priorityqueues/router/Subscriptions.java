package dev.priorityqueues.router;

import dev.priorityqueues.contract.Tables.Users;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The users table: each user's subscription, which the tier table maps to a tier. */
final class Subscriptions {

  private final DynamoDbClient dynamoDb;
  private final String table;

  Subscriptions(DynamoDbClient dynamoDb, String table) {
    this.dynamoDb = dynamoDb;
    this.table = table;
  }

  /** The user's subscription; empty for an unknown user or one without a subscription. */
  Optional<String> of(String userId) {
    Map<String, AttributeValue> item =
        dynamoDb.getItem(b -> b.tableName(table).key(Map.of(Users.KEY, AttributeValue.fromS(userId)))).item();
    if (item == null || item.isEmpty()) {
      return Optional.empty();
    }
    AttributeValue subscription = item.get(Users.SUBSCRIPTION);
    return subscription == null || subscription.s() == null || subscription.s().isBlank()
        ? Optional.empty()
        : Optional.of(subscription.s());
  }
}
