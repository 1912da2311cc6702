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
   * Deleting a given version is s3:DeleteObjectVersion, and a copy from a given version reads it
   * as s3:GetObjectVersion (S3 API Reference, DeleteObject and CopyObject): a role with only the
   * plain actions is refused both, which is what the router and worker use on a rejected upload.
   */
  @Test
  void aDeleteOrCopyOfAGivenVersionNeedsTheVersionActions() {
    calls.removeHook(enforcement);
    String grants = """
        {"Version":"2012-10-17","Statement":[
          {"Sid":"Uploads","Effect":"Allow","Action":[%s],"Resource":"arn:aws:s3:::iam-versions/uploads/*"},
          {"Sid":"Quarantine","Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::iam-versions/quarantine/*"}
        ]}
        """;
    IamEnforcement roles = new IamEnforcement(Map.of("plain", "plain-role", "versions", "versions-role"),
        Map.of("plain-role", List.of(IamPolicy.parse(grants.formatted("\"s3:GetObject\",\"s3:DeleteObject\""))),
            "versions-role", List.of(IamPolicy.parse(grants.formatted("\"s3:GetObjectVersion\",\"s3:DeleteObjectVersion\"")))),
        "us-east-1", "123456789012");
    calls.addHook(roles);
    try (S3Client s3 = LocalAws.shared().s3()) {
      s3.createBucket(b -> b.bucket("iam-versions"));
      s3.putBucketVersioning(b -> b.bucket("iam-versions").versioningConfiguration(v -> v.status("Enabled")));
      String version = s3.putObject(b -> b.bucket("iam-versions").key("uploads/a.mp4"), RequestBody.fromString("a"))
          .versionId();
      Runnable copy = () -> s3.copyObject(b -> b.sourceBucket("iam-versions").sourceKey("uploads/a.mp4")
          .sourceVersionId(version).destinationBucket("iam-versions").destinationKey("quarantine/uploads/a.mp4"));
      Runnable delete = () -> s3.deleteObject(b -> b.bucket("iam-versions").key("uploads/a.mp4").versionId(version));

      assertThatThrownBy(() -> Caller.function("plain").run(copy)).isInstanceOf(AccessDeniedException.class);
      assertThatThrownBy(() -> Caller.function("plain").run(delete)).isInstanceOf(AccessDeniedException.class);
      assertThat(roles.denials()).extracting(IamEnforcement.Denial::action)
          .containsExactly("s3:GetObjectVersion", "s3:DeleteObjectVersion");

      Caller.function("versions").run(copy);
      Caller.function("versions").run(delete);
      assertThat(s3.listObjectVersions(b -> b.bucket("iam-versions").prefix("uploads/a.mp4")).versions()).isEmpty();
      assertThat(s3.getObjectAsBytes(b -> b.bucket("iam-versions").key("quarantine/uploads/a.mp4")).asUtf8String())
          .isEqualTo("a");
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

  /**
   * A key missing from the request context fails a condition, but satisfies a negated operator
   * and an ...IfExists one; Null tests its presence (IAM User Guide, condition operators).
   */
  @Test
  void aMissingContextKeyCountsAsIamCountsIt() {
    java.util.function.BiFunction<String, Map<String, String>, Boolean> allows = (condition, ctx) -> IamPolicy.evaluate(
        List.of(IamPolicy.parse("{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:PutObject\",\"Resource\":\"*\","
            + "\"Condition\":" + condition + "}]}")), "s3:PutObject", "arn:aws:s3:::b/k", ctx).allowed();
    Map<String, String> none = Map.of();
    assertThat(allows.apply("{\"StringEquals\":{\"s3:authType\":\"REST-QUERY-STRING\"}}", none)).isFalse();
    assertThat(allows.apply("{\"StringNotEquals\":{\"s3:authType\":\"REST-QUERY-STRING\"}}", none)).isTrue();
    assertThat(allows.apply("{\"ArnNotEquals\":{\"aws:PrincipalArn\":[\"arn:aws:iam::1:role/a\",\"arn:aws:iam::1:role/b\"]}}",
        Map.of("aws:PrincipalArn", "arn:aws:iam::1:role/b"))).as("NOR over the values").isFalse();
    assertThat(allows.apply("{\"NumericGreaterThanIfExists\":{\"s3:signatureAge\":\"1000\"}}", none)).isTrue();
    assertThat(allows.apply("{\"NumericGreaterThanIfExists\":{\"s3:signatureAge\":\"1000\"}}",
        Map.of("s3:signatureAge", "999"))).isFalse();
    assertThat(allows.apply("{\"Null\":{\"s3:signatureAge\":\"true\"}}", none)).isTrue();
    assertThat(allows.apply("{\"Null\":{\"s3:signatureAge\":\"true\"}}", Map.of("s3:signatureAge", "5"))).isFalse();
    assertThatThrownBy(() -> IamPolicy.parse("{\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"s3:*\",\"Resource\":\"*\","
        + "\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":\"10.0.0.0/8\"}}}]}"))
        .as("a Deny the local cloud cannot evaluate would never deny").hasMessageContaining("IpAddress");
  }

  /** A queue policy shaped as the program writes it: only the sender's role may send. */
  private static final String QUEUE_POLICY = """
      {"Version":"2012-10-17","Statement":[
        {"Sid":"DenyInsecureTransport","Effect":"Deny","Principal":"*","Action":["sqs:*"],
         "Resource":["arn:aws:sqs:us-east-1:123456789012:iam-guarded"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}},
        {"Sid":"OnlyThePipelineSends","Effect":"Deny","Principal":"*","Action":["sqs:SendMessage"],
         "Resource":["arn:aws:sqs:us-east-1:123456789012:iam-guarded"],
         "Condition":{"ArnNotEquals":{"aws:PrincipalArn":"arn:aws:iam::123456789012:role/sender-role"}}},
        {"Sid":"AReader","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:role/granted-role"},
         "Action":["sqs:GetQueueAttributes"],"Resource":["arn:aws:sqs:us-east-1:123456789012:iam-guarded"]}
      ]}
      """;

  /**
   * As IAM evaluates a same-account request: an explicit Deny in the queue policy wins over the
   * role's own Allow; an Allow in either policy suffices. Real SendMessage calls, refused with
   * SQS's AccessDenied naming the resource-based policy.
   */
  @Test
  void aQueuePolicysDenyWinsAndAnAllowInEitherPolicySuffices() {
    String send = """
        {"Version":"2012-10-17","Statement":[{"Sid":"Send","Effect":"Allow","Action":"sqs:SendMessage",
          "Resource":"arn:aws:sqs:us-east-1:123456789012:iam-guarded"}]}""";
    calls.removeHook(enforcement);
    IamEnforcement roles = new IamEnforcement(
        Map.of("sender", "sender-role", "intruder", "intruder-role", "granted", "granted-role"),
        Map.of("sender-role", List.of(IamPolicy.parse(send)), "intruder-role", List.of(IamPolicy.parse(send))),
        Map.of("arn:aws:sqs:us-east-1:123456789012:iam-guarded", IamPolicy.parse(QUEUE_POLICY)),
        "us-east-1", "123456789012");
    calls.addHook(roles);
    try (var sqs = LocalAws.shared().sqs()) {
      String queue = sqs.createQueue(b -> b.queueName("iam-guarded")).queueUrl();
      Caller.function("sender").run(() -> sqs.sendMessage(b -> b.queueUrl(queue).messageBody("job")));
      assertThatThrownBy(() -> Caller.function("intruder").run(() -> sqs.sendMessage(b -> b.queueUrl(queue).messageBody("x"))))
          .isInstanceOfSatisfying(SqsException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(403);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
            assertThat(e.getMessage()).contains("assumed-role/intruder-role/intruder is not authorized to perform: "
                + "sqs:SendMessage on resource: arn:aws:sqs:us-east-1:123456789012:iam-guarded with an explicit deny in a "
                + "resource-based policy");
          });
      // Granted by the queue policy alone, with nothing in its own policy.
      Caller.function("granted").run(() -> sqs.getQueueAttributes(b -> b.queueUrl(queue)));
      assertThatThrownBy(() -> Caller.function("granted").run(() -> sqs.sendMessage(b -> b.queueUrl(queue).messageBody("x"))))
          .isInstanceOf(SqsException.class);
      assertThat(roles.denials()).extracting(IamEnforcement.Denial::function).containsExactly("intruder", "granted");
    } finally {
      calls.removeHook(roles);
    }
  }

  /** A bucket policy shaped as the program writes it (Storage#restrictWrites), for a 60 s URL lifetime. */
  private static final String BUCKET_POLICY = """
      {"Version":"2012-10-17","Statement":[
        {"Sid":"UploadsOnlyByPresign","Effect":"Deny","Principal":"*","Action":["s3:PutObject"],
         "Resource":["arn:aws:s3:::iam-writes/uploads/*"],
         "Condition":{"ArnNotEquals":{"aws:PrincipalArn":"arn:aws:iam::123456789012:role/presign-role"}}},
        {"Sid":"UploadsOnlyThroughPresignedUrls","Effect":"Deny","Principal":"*","Action":["s3:PutObject"],
         "Resource":["arn:aws:s3:::iam-writes/uploads/*"],"Condition":{"StringNotEquals":{"s3:authType":"REST-QUERY-STRING"}}},
        {"Sid":"UploadsWithinUrlLifetime","Effect":"Deny","Principal":"*","Action":["s3:PutObject"],
         "Resource":["arn:aws:s3:::iam-writes/uploads/*"],"Condition":{"NumericGreaterThan":{"s3:signatureAge":"60000"}}},
        {"Sid":"ResultsOnlyByWorker","Effect":"Deny","Principal":"*","Action":["s3:PutObject"],
         "Resource":["arn:aws:s3:::iam-writes/processed/*"],
         "Condition":{"ArnNotEquals":{"aws:PrincipalArn":"arn:aws:iam::123456789012:role/worker-role"}}}
      ]}
      """;

  /**
   * Real presigned PUTs and SDK PUTs against that bucket policy: presign's URL works within the
   * lifetime and is refused with S3's 403 AccessDenied after it (the clock moved on); a URL another
   * role presigned, and presign's own SDK PutObject, are refused though both roles' own policies
   * allow s3:PutObject; only the worker writes processed/.
   */
  @Test
  void theBucketPolicyLetsOnlyPresignsPresignedUrlsWriteUploadsWithinTheirLifetime() throws Exception {
    String put = """
        {"Version":"2012-10-17","Statement":[{"Sid":"Put","Effect":"Allow","Action":"s3:PutObject",
          "Resource":"arn:aws:s3:::iam-writes/*"}]}""";
    calls.removeHook(enforcement);
    IamEnforcement roles = new IamEnforcement(
        Map.of("presign", "presign-role", "worker", "worker-role"),
        Map.of("presign-role", List.of(IamPolicy.parse(put)), "worker-role", List.of(IamPolicy.parse(put))),
        Map.of("arn:aws:s3:::iam-writes", IamPolicy.parse(BUCKET_POLICY)),
        "us-east-1", "123456789012");
    long[] ahead = {0};
    roles.clock(() -> System.currentTimeMillis() + ahead[0]);
    calls.addHook(roles);
    LocalAws.shared().s3Guard(roles);
    try (S3Client s3 = LocalAws.shared().s3();
        var presigner = presigner();
        var http = java.net.http.HttpClient.newHttpClient()) {
      s3.createBucket(b -> b.bucket("iam-writes"));
      java.util.function.BiFunction<String, String, java.net.URI> presignAs = (function, key) -> Caller.function(function).run(() ->
          java.net.URI.create(presigner.presignPutObject(r -> r.signatureDuration(java.time.Duration.ofMinutes(10))
              .putObjectRequest(o -> o.bucket("iam-writes").key(key))).url().toString()));
      java.util.function.Function<java.net.URI, Integer> putTo = uri -> {
        try {
          return http.send(java.net.http.HttpRequest.newBuilder(uri).PUT(java.net.http.HttpRequest.BodyPublishers.ofString("video")).build(),
              java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      };

      java.net.URI fresh = presignAs.apply("presign", "uploads/u/a.mp4");
      assertThat(putTo.apply(fresh)).as("presign's URL within the lifetime").isEqualTo(200);
      java.net.URI late = presignAs.apply("presign", "uploads/u/b.mp4");
      ahead[0] = 61_000;
      var refused = http.send(java.net.http.HttpRequest.newBuilder(late).PUT(java.net.http.HttpRequest.BodyPublishers.ofString("v")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(refused.statusCode()).as("past the bucket policy's lifetime, though the URL's own is 10 minutes").isEqualTo(403);
      assertThat(refused.body()).contains("<Code>AccessDenied</Code>");
      ahead[0] = 0;
      assertThat(putTo.apply(presignAs.apply("worker", "uploads/u/c.mp4"))).as("another role's URL").isEqualTo(403);
      assertThatThrownBy(() -> Caller.function("presign").run(() ->
              s3.putObject(b -> b.bucket("iam-writes").key("uploads/u/d.mp4"), RequestBody.fromString("v"))))
          .as("not through a presigned URL").isInstanceOf(AccessDeniedException.class);
      Caller.function("worker").run(() -> s3.putObject(b -> b.bucket("iam-writes").key("processed/a/out.mp4"), RequestBody.fromString("v")));
      assertThatThrownBy(() -> Caller.function("presign").run(() ->
              s3.putObject(b -> b.bucket("iam-writes").key("processed/a/out.mp4"), RequestBody.fromString("v"))))
          .isInstanceOf(AccessDeniedException.class);
      assertThat(s3.listObjectsV2(b -> b.bucket("iam-writes")).contents()).extracting(o -> o.key())
          .containsExactlyInAnyOrder("uploads/u/a.mp4", "processed/a/out.mp4");
      assertThat(roles.denials()).extracting(IamEnforcement.Denial::function, IamEnforcement.Denial::resource)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("presign", "arn:aws:s3:::iam-writes/uploads/u/b.mp4"),
              org.assertj.core.groups.Tuple.tuple("worker", "arn:aws:s3:::iam-writes/uploads/u/c.mp4"),
              org.assertj.core.groups.Tuple.tuple("presign", "arn:aws:s3:::iam-writes/uploads/u/d.mp4"),
              org.assertj.core.groups.Tuple.tuple("presign", "arn:aws:s3:::iam-writes/processed/a/out.mp4"));
    } finally {
      LocalAws.shared().s3Guard(null);
      calls.removeHook(roles);
    }
  }

  /**
   * The single-use URL's Deny (Null s3:if-none-match) as S3 evaluates it on a presigned PUT: the
   * request's If-None-Match header is the condition key, so a URL signed with it passes and one
   * without it is refused, whoever signed it.
   */
  @Test
  void aPresignedPutWithoutIfNoneMatchIsRefusedByTheSingleUseDeny() throws Exception {
    String put = """
        {"Version":"2012-10-17","Statement":[{"Sid":"Put","Effect":"Allow","Action":"s3:PutObject",
          "Resource":"arn:aws:s3:::iam-single/*"}]}""";
    String singleUse = """
        {"Version":"2012-10-17","Statement":[{"Sid":"DenyUploadsWithoutIfNoneMatch","Effect":"Deny","Principal":"*",
          "Action":"s3:PutObject","Resource":"arn:aws:s3:::iam-single/uploads/*",
          "Condition":{"Null":{"s3:if-none-match":"true"}}}]}""";
    calls.removeHook(enforcement);
    IamEnforcement roles = new IamEnforcement(Map.of("presign", "presign-role"),
        Map.of("presign-role", List.of(IamPolicy.parse(put))),
        Map.of("arn:aws:s3:::iam-single", IamPolicy.parse(singleUse)), "us-east-1", "123456789012");
    calls.addHook(roles);
    LocalAws.shared().s3Guard(roles);
    try (S3Client s3 = LocalAws.shared().s3();
        var presigner = presigner();
        var http = java.net.http.HttpClient.newHttpClient()) {
      s3.createBucket(b -> b.bucket("iam-single"));
      var signed = Caller.function("presign").run(() -> presigner.presignPutObject(r -> r
          .signatureDuration(java.time.Duration.ofMinutes(10))
          .putObjectRequest(o -> o.bucket("iam-single").key("uploads/u/once.mp4").ifNoneMatch("*"))));
      var request = java.net.http.HttpRequest.newBuilder(signed.url().toURI())
          .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("video"));
      signed.signedHeaders().forEach((name, values) -> {
        if (!name.equalsIgnoreCase("host")) {
          values.forEach(v -> request.header(name, v));
        }
      });
      assertThat(http.send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode())
          .as("signed with If-None-Match").isEqualTo(200);

      var bare = Caller.function("presign").run(() -> presigner.presignPutObject(r -> r
          .signatureDuration(java.time.Duration.ofMinutes(10))
          .putObjectRequest(o -> o.bucket("iam-single").key("uploads/u/bare.mp4"))));
      var refused = http.send(java.net.http.HttpRequest.newBuilder(bare.url().toURI())
          .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("video")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(refused.statusCode()).as("without If-None-Match").isEqualTo(403);
      assertThat(roles.denials()).extracting(IamEnforcement.Denial::resource)
          .containsExactly("arn:aws:s3:::iam-single/uploads/u/bare.mp4");
    } finally {
      LocalAws.shared().s3Guard(null);
      calls.removeHook(roles);
    }
  }

  /** A presigner for the shared S3Proxy, path-style as the functions' clients are. */
  private static software.amazon.awssdk.services.s3.presigner.S3Presigner presigner() {
    return software.amazon.awssdk.services.s3.presigner.S3Presigner.builder()
        .endpointOverride(LocalAws.shared().s3Endpoint()).region(Region.US_EAST_1)
        .credentialsProvider(LocalAws.credentials())
        .serviceConfiguration(software.amazon.awssdk.services.s3.S3Configuration.builder().pathStyleAccessEnabled(true).build())
        .build();
  }

  @Test
  void checksPollersAgainstTheFunctionsRole() {
    try (var sqs = LocalAws.shared().sqs()) {
      String queue = sqs.createQueue(b -> b.queueName("iam-polled")).queueUrl();
      assertThatThrownBy(() -> Caller.poller("fn").run(() -> sqs.receiveMessage(b -> b.queueUrl(queue))))
          .hasMessageContaining("not authorized to perform: sqs:ReceiveMessage");
    }
  }

  private static final String KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

  /** A role that may send to and receive from the queue, with or without the key through SQS. */
  private static IamPolicy queueUser(String kms) {
    return IamPolicy.parse("""
        {"Version":"2012-10-17","Statement":[
          {"Sid":"Queue","Effect":"Allow","Action":["sqs:SendMessage","sqs:ReceiveMessage"],
           "Resource":"arn:aws:sqs:us-east-1:123456789012:iam-encrypted"},
          {"Sid":"Table","Effect":"Allow","Action":"dynamodb:GetItem","Resource":"arn:aws:dynamodb:us-east-1:123456789012:table/iam-encrypted"}
          %s]}""".formatted(kms));
  }

  private static IamPolicy keyPolicy(boolean delegates) {
    return IamPolicy.parse("""
        {"Version":"2012-10-17","Statement":[{"Sid":"EnableIamPolicies","Effect":"Allow",
          "Principal":{"AWS":"arn:aws:iam::123456789012:%s"},"Action":"kms:*","Resource":"*"}]}"""
        .formatted(delegates ? "root" : "role/admin"));
  }

  /**
   * A queue and a table under a customer key: SQS needs the sender's kms:GenerateDataKey and
   * kms:Decrypt and the receiver's kms:Decrypt, DynamoDB the caller's kms:Decrypt, each through
   * the service (kms:ViaService); a grant through another service does not count; and a key
   * policy that does not delegate to the account's IAM makes every role grant useless.
   */
  @Test
  void aResourceUnderACustomerKeyAlsoNeedsTheKmsActionsItsServiceUsesForTheCaller() {
    String sqsOnly = ",{\"Sid\":\"Key\",\"Effect\":\"Allow\",\"Action\":[\"kms:GenerateDataKey\",\"kms:Decrypt\"],"
        + "\"Resource\":\"" + KEY + "\",\"Condition\":{\"StringEquals\":{\"kms:ViaService\":\"sqs.us-east-1.amazonaws.com\"}}}";
    String decryptOnly = ",{\"Sid\":\"Key\",\"Effect\":\"Allow\",\"Action\":\"kms:Decrypt\",\"Resource\":\"" + KEY
        + "\",\"Condition\":{\"StringEquals\":{\"kms:ViaService\":[\"sqs.us-east-1.amazonaws.com\",\"dynamodb.us-east-1.amazonaws.com\"]}}}";
    Map<String, String> keys = Map.of("arn:aws:sqs:us-east-1:123456789012:iam-encrypted", KEY,
        "arn:aws:dynamodb:us-east-1:123456789012:table/iam-encrypted", KEY);
    calls.removeHook(enforcement);
    IamEnforcement roles = new IamEnforcement(
        Map.of("producer", "producer-role", "consumer", "consumer-role", "bare", "bare-role", "locked", "locked-role"),
        Map.of("producer-role", List.of(queueUser(sqsOnly)), "consumer-role", List.of(queueUser(decryptOnly)),
            "bare-role", List.of(queueUser("")), "locked-role", List.of(queueUser(sqsOnly))),
        Map.of(KEY, keyPolicy(true)), keys, "us-east-1", "123456789012");
    IamEnforcement lockedOut = new IamEnforcement(Map.of("locked", "locked-role"),
        Map.of("locked-role", List.of(queueUser(sqsOnly))), Map.of(KEY, keyPolicy(false)), keys, "us-east-1", "123456789012");
    calls.addHook(roles);
    try (var sqs = LocalAws.shared().sqs(); var ddb = LocalAws.shared().dynamoDb()) {
      String queue = sqs.createQueue(b -> b.queueName("iam-encrypted")).queueUrl();
      ddb.createTable(b -> b.tableName("iam-encrypted").billingMode("PAY_PER_REQUEST")
          .keySchema(k -> k.attributeName("id").keyType("HASH"))
          .attributeDefinitions(a -> a.attributeName("id").attributeType("S")));

      Caller.function("producer").run(() -> sqs.sendMessage(b -> b.queueUrl(queue).messageBody("job")));
      Caller.function("consumer").run(() -> sqs.receiveMessage(b -> b.queueUrl(queue)));
      assertThatThrownBy(() -> Caller.function("consumer").run(() -> sqs.sendMessage(b -> b.queueUrl(queue).messageBody("x"))))
          .isInstanceOfSatisfying(software.amazon.awssdk.services.sqs.model.KmsAccessDeniedException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(400);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("KMS.AccessDeniedException");
            assertThat(e.getMessage()).contains("assumed-role/consumer-role/consumer is not authorized to perform: "
                + "kms:GenerateDataKey on resource: " + KEY);
          });
      assertThatThrownBy(() -> Caller.function("bare").run(() -> sqs.receiveMessage(b -> b.queueUrl(queue))))
          .hasMessageContaining("not authorized to perform: kms:Decrypt on resource: " + KEY);
      // The consumer may decrypt through DynamoDB; the producer only through SQS.
      Map<String, AttributeValue> key = Map.of("id", AttributeValue.fromS("x"));
      Caller.function("consumer").run(() -> ddb.getItem(b -> b.tableName("iam-encrypted").key(key)));
      assertThatThrownBy(() -> Caller.function("producer").run(() -> ddb.getItem(b -> b.tableName("iam-encrypted").key(key))))
          .isInstanceOfSatisfying(DynamoDbException.class, e -> assertThat(e.awsErrorDetails().errorCode())
              .isEqualTo("AccessDeniedException"));
      assertThat(roles.denials()).extracting(d -> d.function() + " " + d.action()).containsExactly(
          "consumer kms:GenerateDataKey", "bare kms:Decrypt", "producer kms:Decrypt");

      calls.removeHook(roles);
      calls.addHook(lockedOut);
      assertThatThrownBy(() -> Caller.function("locked").run(() -> sqs.sendMessage(b -> b.queueUrl(queue).messageBody("x"))))
          .hasMessageContaining("kms:GenerateDataKey on resource: " + KEY);
    } finally {
      calls.removeHook(roles);
      calls.removeHook(lockedOut);
    }
  }
}
