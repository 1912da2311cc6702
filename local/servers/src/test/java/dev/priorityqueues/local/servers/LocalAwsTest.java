package dev.priorityqueues.local.servers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Assumptions;
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
  void s3ProxyChecksAKeyPairDrawnForThisRunNotAFixedOne() {
    assertThat(LocalAws.ACCESS_KEY_ID).matches("LOCAL[A-Za-z0-9]{15}").isNotEqualTo("testaccess");
    assertThat(LocalAws.SECRET_ACCESS_KEY).matches("[A-Za-z0-9]{40}").isNotEqualTo("testsecret");
    try (var s3 = aws.s3()) {
      s3.createBucket(b -> b.bucket("servers-keys-test"));
    }
    // The pair every run used to share: S3Proxy must refuse its signature.
    try (var stale = software.amazon.awssdk.services.s3.S3Client.builder()
        .region(software.amazon.awssdk.regions.Region.of(LocalAws.REGION))
        .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
            software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("testaccess", "testsecret")))
        .endpointOverride(URI.create(aws.clientEnvironment().get("AWS_ENDPOINT_URL_S3")))
        .forcePathStyle(true)
        .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create())
        .build()) {
      Assertions.assertThatThrownBy(() -> stale.listObjectsV2(b -> b.bucket("servers-keys-test")))
          .isInstanceOf(software.amazon.awssdk.services.s3.model.S3Exception.class)
          .satisfies(e -> assertThat(((software.amazon.awssdk.services.s3.model.S3Exception) e).statusCode()).isEqualTo(403));
    }
  }

  @Test
  void objectsLargerThanS3ProxysResponseBufferArriveWholeAndRangesExact() {
    byte[] body = new byte[3 * LocalAws.S3_OUTPUT_BUFFER_BYTES + 12_345];
    new java.util.Random(3).nextBytes(body);
    try (var s3 = aws.s3()) {
      s3.createBucket(b -> b.bucket("servers-buffer-test"));
      s3.putObject(b -> b.bucket("servers-buffer-test").key("large"), RequestBody.fromBytes(body));
      assertThat(s3.getObjectAsBytes(b -> b.bucket("servers-buffer-test").key("large")).asByteArray()).isEqualTo(body);
      // A range across the first buffer's end.
      int from = LocalAws.S3_OUTPUT_BUFFER_BYTES - 10;
      assertThat(s3.getObjectAsBytes(b -> b.bucket("servers-buffer-test").key("large").range("bytes=" + from + "-"
          + (from + 19))).asByteArray()).isEqualTo(java.util.Arrays.copyOfRange(body, from, from + 20));
    }
  }

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
      Assertions.assertThatThrownBy(
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

  /** The servers hold test data without real auth, so nothing but this machine may reach them. */
  @Test
  void everyServerListensOnLoopbackOnly() throws Exception {
    InetAddress external = null;
    for (var nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      for (var address : Collections.list(nic.getInetAddresses())) {
        if (!address.isLoopbackAddress() && address instanceof Inet4Address && nic.isUp()) {
          external = address;
        }
      }
    }
    Assumptions.assumeTrue(external != null, "this machine has no non-loopback IPv4 address");
    for (URI endpoint : List.of(aws.sqsEndpoint(), aws.dynamoDbEndpoint(), aws.s3Endpoint())) {
      try (var loopback = new Socket("127.0.0.1", endpoint.getPort())) {
        assertThat(loopback.isConnected()).as("%s on loopback", endpoint).isTrue();
      }
      InetAddress from = external;
      Assertions.assertThatThrownBy(() -> {
            try (var socket = new Socket()) {
              socket.connect(new InetSocketAddress(from, endpoint.getPort()), 2000);
            }
          })
          .as("%s reachable on %s", endpoint, from)
          .isInstanceOf(IOException.class);
    }
  }
}
