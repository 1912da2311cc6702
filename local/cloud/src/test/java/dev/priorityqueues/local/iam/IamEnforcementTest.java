package dev.priorityqueues.local.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.priorityqueues.local.sdk.Caller;
import dev.priorityqueues.local.sdk.LocalCloudInterceptor;
import dev.priorityqueues.local.servers.LocalAws;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.sqs.model.SqsException;

class IamEnforcementTest {

  private static final String POLICY =
      """
      {"Version":"2012-10-17","Statement":[
        {"Sid":"Send","Effect":"Allow","Action":["sqs:SendMessage"],"Resource":["arn:aws:sqs:us-east-1:123456789012:iam-allowed"]},
        {"Sid":"Read","Effect":"Allow","Action":"dynamodb:GetItem","Resource":"arn:aws:dynamodb:us-east-1:123456789012:table/videos"},
        {"Sid":"Objects","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/uploads/*"},
        {"Sid":"NoSecrets","Effect":"Deny","Action":"s3:*","Resource":"arn:aws:s3:::bucket/uploads/secret*"}
      ]}
      """;

  private final PolicyDocument policy = PolicyDocument.parse(POLICY);
  private IamEnforcement enforcement;

  @BeforeEach
  void enforce() {
    enforcement = new IamEnforcement(Map.of("fn", "fn-role"), Map.of("fn-role", List.of(policy)), "us-east-1", "123456789012");
    LocalCloudInterceptor.addHook(enforcement);
  }

  @AfterEach
  void release() {
    LocalCloudInterceptor.removeHook(enforcement);
  }

  @Test
  void allowsOnlyWhatAStatementAllowsAndLetsExplicitDenyWin() {
    Map<String, String> ctx = Map.of();
    assertThat(PolicyDocument.evaluate(List.of(policy), "sqs:SendMessage", "arn:aws:sqs:us-east-1:123456789012:iam-allowed", ctx).allowed()).isTrue();
    assertThat(PolicyDocument.evaluate(List.of(policy), "SQS:sendmessage", "arn:aws:sqs:us-east-1:123456789012:iam-allowed", ctx).allowed()).isTrue();
    assertThat(PolicyDocument.evaluate(List.of(policy), "sqs:SendMessage", "arn:aws:sqs:us-east-1:123456789012:other", ctx).allowed()).isFalse();
    assertThat(PolicyDocument.evaluate(List.of(policy), "s3:GetObject", "arn:aws:s3:::bucket/uploads/u/a.mp4", ctx).allowed()).isTrue();
    assertThat(PolicyDocument.evaluate(List.of(policy), "s3:GetObject", "arn:aws:s3:::bucket/processed/a.json", ctx).allowed()).isFalse();
    PolicyDocument.Decision secret =
        PolicyDocument.evaluate(List.of(policy), "s3:GetObject", "arn:aws:s3:::bucket/uploads/secret.mp4", ctx);
    assertThat(secret.allowed()).isFalse();
    assertThat(secret.deciding()).isEqualTo("explicit deny in NoSecrets");
  }

  @Test
  void refusesAFunctionsCallWithTheServicesAccessDeniedError() {
    try (var sqs = LocalAws.shared().sqs()) {
      String allowed = sqs.createQueue(b -> b.queueName("iam-allowed")).queueUrl();
      String other = sqs.createQueue(b -> b.queueName("iam-other")).queueUrl();
      Caller.function("fn").run(() -> sqs.sendMessage(b -> b.queueUrl(allowed).messageBody("ok")));
      assertThatThrownBy(() -> Caller.function("fn").run(() -> sqs.sendMessage(b -> b.queueUrl(other).messageBody("no"))))
          .isInstanceOfSatisfying(SqsException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(403);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
            assertThat(e.getMessage()).contains(
                "User: arn:aws:sts::123456789012:assumed-role/fn-role/fn is not authorized to perform: sqs:SendMessage "
                    + "on resource: arn:aws:sqs:us-east-1:123456789012:iam-other");
          });
      // The driver is not a function: it is never checked.
      sqs.sendMessage(b -> b.queueUrl(other).messageBody("driver"));
      assertThat(enforcement.denials()).singleElement()
          .isEqualTo(new IamEnforcement.Denial("fn", "fn-role", "sqs:SendMessage", "arn:aws:sqs:us-east-1:123456789012:iam-other"));
    }
  }

  @Test
  void refusesDynamoDbCallsWithAccessDeniedException() {
    try (var ddb = LocalAws.shared().dynamoDb()) {
      assertThatThrownBy(() -> Caller.function("fn").run(() ->
              ddb.putItem(b -> b.tableName("videos").item(Map.of("videoKey", AttributeValue.fromS("k"))))))
          .isInstanceOfSatisfying(DynamoDbException.class,
              e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException"));
    }
  }

  @Test
  void checksPollersAgainstTheFunctionsRole() {
    try (var sqs = LocalAws.shared().sqs()) {
      String queue = sqs.createQueue(b -> b.queueName("iam-polled")).queueUrl();
      assertThatThrownBy(() -> Caller.poller("fn").run(() -> sqs.receiveMessage(b -> b.queueUrl(queue))))
          .hasMessageContaining("not authorized to perform: sqs:ReceiveMessage");
    }
  }
}
