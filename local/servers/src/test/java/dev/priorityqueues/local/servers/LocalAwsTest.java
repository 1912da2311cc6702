package dev.priorityqueues.local.servers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

class LocalAwsTest {

  private final LocalAws aws = LocalAws.shared();

  @Test
  void sqsRedrivesToTheDeadLetterQueueAfterMaxReceiveCount() {
    try (var sqs = aws.sqs()) {
      String dlq = sqs.createQueue(b -> b.queueName("servers-test-dlq")).queueUrl();
      String dlqArn =
          sqs.getQueueAttributes(b -> b.queueUrl(dlq).attributeNames(QueueAttributeName.QUEUE_ARN))
              .attributes()
              .get(QueueAttributeName.QUEUE_ARN);
      assertThat(dlqArn).isEqualTo("arn:aws:sqs:us-east-1:123456789012:servers-test-dlq");
      String queue =
          sqs.createQueue(
                  b ->
                      b.queueName("servers-test")
                          .attributes(
                              Map.of(
                                  QueueAttributeName.REDRIVE_POLICY,
                                  "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"1\"}",
                                  QueueAttributeName.VISIBILITY_TIMEOUT,
                                  "0")))
              .queueUrl();
      sqs.sendMessage(b -> b.queueUrl(queue).messageBody("poison"));
      assertThat(sqs.receiveMessage(b -> b.queueUrl(queue)).messages()).hasSize(1);
      assertThat(sqs.receiveMessage(b -> b.queueUrl(queue)).messages()).isEmpty();
      assertThat(sqs.receiveMessage(b -> b.queueUrl(dlq)).messages())
          .singleElement()
          .satisfies(m -> assertThat(m.body()).isEqualTo("poison"));
    }
  }

  @Test
  void dynamoDbHonoursConditionalWrites() {
    try (var ddb = aws.dynamoDb()) {
      ddb.createTable(
          b ->
              b.tableName("servers-test")
                  .billingMode(BillingMode.PAY_PER_REQUEST)
                  .keySchema(KeySchemaElement.builder().attributeName("k").keyType(KeyType.HASH).build())
                  .attributeDefinitions(
                      AttributeDefinition.builder()
                          .attributeName("k")
                          .attributeType(ScalarAttributeType.S)
                          .build()));
      Map<String, AttributeValue> item = Map.of("k", AttributeValue.fromS("a"));
      ddb.putItem(b -> b.tableName("servers-test").item(item).conditionExpression("attribute_not_exists(k)"));
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () ->
                  ddb.putItem(
                      b ->
                          b.tableName("servers-test")
                              .item(item)
                              .conditionExpression("attribute_not_exists(k)")))
          .isInstanceOf(
              software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException.class);
    }
  }

  @Test
  void s3StoresAndReturnsObjects() {
    try (var s3 = aws.s3()) {
      s3.createBucket(b -> b.bucket("servers-test"));
      s3.putObject(b -> b.bucket("servers-test").key("a/b.txt"), RequestBody.fromString("hello"));
      assertThat(s3.getObjectAsBytes(b -> b.bucket("servers-test").key("a/b.txt")).asUtf8String())
          .isEqualTo("hello");
    }
  }

  @Test
  void clientEnvironmentNamesEveryEndpointTheWaySdksDo() {
    assertThat(aws.clientEnvironment())
        .containsEntry("AWS_ENDPOINT_URL_SQS", aws.sqsEndpoint().toString())
        .containsEntry("AWS_ENDPOINT_URL_DYNAMODB", aws.dynamoDbEndpoint().toString())
        .containsEntry("AWS_ENDPOINT_URL_S3", aws.s3Endpoint().toString())
        .containsEntry("AWS_REGION", "us-east-1");
    assertThat(aws.startupTimes().slowestServer()).isLessThanOrEqualTo(aws.startupTimes().total());
  }
}
