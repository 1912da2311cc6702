package dev.priorityqueues.local.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.priorityqueues.local.sdk.Caller;
import dev.priorityqueues.local.sdk.CallScope;
import dev.priorityqueues.local.servers.LocalAws;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.AccessDeniedException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
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

  private final IamPolicy policy = IamPolicy.parse(POLICY);
  private IamEnforcement enforcement;
  private CallScope calls;

  @BeforeEach
  void enforce() {
    enforcement = new IamEnforcement(Map.of("fn", "fn-role"), Map.of("fn-role", List.of(policy)), "us-east-1", "123456789012");
    calls = CallScope.bind(LocalAws.shared());
    calls.addHook(enforcement);
  }

  @AfterEach
  void release() {
    calls.close();
  }

  @Test
  void allowsOnlyWhatAStatementAllowsAndLetsExplicitDenyWin() {
    Map<String, String> ctx = Map.of();
    assertThat(IamPolicy.evaluate(List.of(policy), "sqs:SendMessage", "arn:aws:sqs:us-east-1:123456789012:iam-allowed", ctx).allowed()).isTrue();
    assertThat(IamPolicy.evaluate(List.of(policy), "SQS:sendmessage", "arn:aws:sqs:us-east-1:123456789012:iam-allowed", ctx).allowed()).isTrue();
    assertThat(IamPolicy.evaluate(List.of(policy), "sqs:SendMessage", "arn:aws:sqs:us-east-1:123456789012:other", ctx).allowed()).isFalse();
    assertThat(IamPolicy.evaluate(List.of(policy), "s3:GetObject", "arn:aws:s3:::bucket/uploads/u/a.mp4", ctx).allowed()).isTrue();
    assertThat(IamPolicy.evaluate(List.of(policy), "s3:GetObject", "arn:aws:s3:::bucket/processed/a.json", ctx).allowed()).isFalse();
    IamPolicy.Decision secret =
        IamPolicy.evaluate(List.of(policy), "s3:GetObject", "arn:aws:s3:::bucket/uploads/secret.mp4", ctx);
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

  /**
   * S3 answers a read of a missing key with 404 only to a role that may list the bucket; any
   * other role gets 403 AccessDenied, which must look exactly like S3's (a HEAD has no body, so
   * no error code: compared with a real 403 HEAD from S3Proxy).
   */
  @Test
  void aMissingKeyIs404OnlyForARoleThatMayListTheBucket() {
    calls.removeHook(enforcement);
    String bucket = "iam-missing-keys";
    String reader = """
        {"Version":"2012-10-17","Statement":[
          {"Sid":"Read","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::iam-missing-keys/uploads/*"}
          %s
        ]}
        """;
    String list = ",{\"Sid\":\"List\",\"Effect\":\"Allow\",\"Action\":\"s3:ListBucket\",\"Resource\":\"arn:aws:s3:::iam-missing-keys\"}";
    String listOtherBucket = list.replace("iam-missing-keys", "another-bucket");
    IamEnforcement roles = new IamEnforcement(
        Map.of("lister", "lister-role", "reader", "reader-role", "elsewhere", "elsewhere-role"),
        Map.of("lister-role", List.of(IamPolicy.parse(reader.formatted(list))),
            "reader-role", List.of(IamPolicy.parse(reader.formatted(""))),
            "elsewhere-role", List.of(IamPolicy.parse(reader.formatted(listOtherBucket)))),
        "us-east-1", "123456789012");
    calls.addHook(roles);
    try (S3Client s3 = LocalAws.shared().s3();
        S3Client anonymous = S3Client.builder().endpointOverride(LocalAws.shared().s3Endpoint())
            .region(Region.US_EAST_1).credentialsProvider(AnonymousCredentialsProvider.create())
            .forcePathStyle(true).build()) {
      s3.createBucket(b -> b.bucket(bucket));
      s3.putObject(b -> b.bucket(bucket).key("uploads/there.mp4"), RequestBody.fromString("video"));
      String gone = "uploads/gone.mp4";

      // With s3:ListBucket on the bucket: S3's own 404s.
      assertThatThrownBy(() -> Caller.function("lister").run(() -> s3.getObject(b -> b.bucket(bucket).key(gone))))
          .isInstanceOfSatisfying(NoSuchKeyException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(404);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NoSuchKey");
          });
      assertThatThrownBy(() -> Caller.function("lister").run(() -> s3.headObject(b -> b.bucket(bucket).key(gone))))
          .isInstanceOfSatisfying(NoSuchKeyException.class, e -> assertThat(e.statusCode()).isEqualTo(404));

      // Without it (none, or only on another bucket): 403 AccessDenied, and a denial on record.
      for (String function : List.of("reader", "elsewhere")) {
        assertThatThrownBy(() -> Caller.function(function).run(() -> s3.getObject(b -> b.bucket(bucket).key(gone))))
            .as(function)
            .isExactlyInstanceOf(AccessDeniedException.class)
            .isInstanceOfSatisfying(S3Exception.class, e -> {
              assertThat(e.statusCode()).isEqualTo(403);
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
              assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Access Denied");
            });
      }
      S3Exception realHead = catchS3(() -> anonymous.headObject(b -> b.bucket(bucket).key("uploads/there.mp4")));
      assertThat(realHead.statusCode()).as("S3Proxy refuses an anonymous HEAD").isEqualTo(403);
      S3Exception emulatedHead = catchS3(() -> Caller.function("reader").run(() -> s3.headObject(b -> b.bucket(bucket).key(gone))));
      assertThat(emulatedHead).isExactlyInstanceOf(realHead.getClass());
      assertThat(emulatedHead.statusCode()).isEqualTo(403);
      assertThat(emulatedHead.awsErrorDetails().errorCode()).isEqualTo(realHead.awsErrorDetails().errorCode());

      // An object that exists reads the same either way; the driver is never checked.
      Caller.function("reader").run(() -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("uploads/there.mp4")));
      assertThatThrownBy(() -> s3.getObject(b -> b.bucket(bucket).key(gone))).isInstanceOf(NoSuchKeyException.class);

      assertThat(roles.denials()).extracting(IamEnforcement.Denial::function, IamEnforcement.Denial::action,
              IamEnforcement.Denial::resource)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("reader", "s3:ListBucket", "arn:aws:s3:::iam-missing-keys"),
              org.assertj.core.groups.Tuple.tuple("elsewhere", "s3:ListBucket", "arn:aws:s3:::iam-missing-keys"),
              org.assertj.core.groups.Tuple.tuple("reader", "s3:ListBucket", "arn:aws:s3:::iam-missing-keys"));
    }
  }

  private static S3Exception catchS3(Runnable call) {
    try {
      call.run();
    } catch (S3Exception e) {
      return e;
    }
    throw new AssertionError("the call succeeded");
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
