package dev.priorityqueues.local.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.pulumi.Context;
import com.pulumi.aws.apigatewayv2.Api;
import com.pulumi.aws.apigatewayv2.ApiArgs;
import com.pulumi.aws.apigatewayv2.Authorizer;
import com.pulumi.aws.apigatewayv2.AuthorizerArgs;
import com.pulumi.aws.apigatewayv2.Integration;
import com.pulumi.aws.apigatewayv2.IntegrationArgs;
import com.pulumi.aws.apigatewayv2.Route;
import com.pulumi.aws.apigatewayv2.RouteArgs;
import com.pulumi.aws.apigatewayv2.inputs.AuthorizerJwtConfigurationArgs;
import com.pulumi.aws.cloudwatch.EventRule;
import com.pulumi.aws.cloudwatch.EventRuleArgs;
import com.pulumi.aws.cloudwatch.EventTarget;
import com.pulumi.aws.cloudwatch.EventTargetArgs;
import com.pulumi.aws.lambda.EventSourceMapping;
import com.pulumi.aws.lambda.EventSourceMappingArgs;
import com.pulumi.aws.lambda.Function;
import com.pulumi.aws.lambda.FunctionArgs;
import com.pulumi.aws.lambda.inputs.EventSourceMappingScalingConfigArgs;
import com.pulumi.aws.lambda.inputs.FunctionEnvironmentArgs;
import com.pulumi.aws.s3.BucketNotification;
import com.pulumi.aws.s3.BucketNotificationArgs;
import com.pulumi.aws.s3.BucketV2;
import com.pulumi.aws.s3.BucketV2Args;
import com.pulumi.aws.sqs.Queue;
import com.pulumi.aws.sqs.QueueArgs;
import com.pulumi.core.Output;
import dev.priorityqueues.local.lambda.TestHandlers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

/** Deploys a small program through the local deployer and drives every emulated path once. */
class LocalCloudTest {

  private static void program(Context ctx) {
    var dlq = new Queue("jobs-dlq", QueueArgs.builder().messageRetentionSeconds(1209600).build());
    var queue = new Queue("jobs", QueueArgs.builder()
        .visibilityTimeoutSeconds(30)
        .redrivePolicy(dlq.arn().applyValue(arn -> "{\"deadLetterTargetArn\":\"" + arn + "\",\"maxReceiveCount\":3}"))
        .build());
    var worker = new Function("worker", FunctionArgs.builder()
        .runtime("java21").handler(TestHandlers.Batch.class.getName() + "::handleRequest")
        .role("arn:aws:iam::123456789012:role/worker").code(new com.pulumi.asset.FileArchive("/nonexistent.jar"))
        .timeout(10).memorySize(512).reservedConcurrentExecutions(2)
        .environment(FunctionEnvironmentArgs.builder().variables(queue.url().applyValue(url -> Map.of("QUEUE", url))).build())
        .build());
    new EventSourceMapping("worker-jobs", EventSourceMappingArgs.builder()
        .eventSourceArn(queue.arn()).functionName(worker.arn()).batchSize(5)
        .functionResponseTypes("ReportBatchItemFailures")
        .scalingConfig(EventSourceMappingScalingConfigArgs.builder().maximumConcurrency(2).build())
        .build());
    var bucket = new BucketV2("uploads", BucketV2Args.builder().bucket("local-uploads").build());
    new BucketNotification("uploads-events", BucketNotificationArgs.builder().bucket(bucket.bucket()).eventbridge(true).build());
    var router = new Function("router", FunctionArgs.builder()
        .runtime("java21").handler(TestHandlers.Echo.class.getName() + "::handleRequest")
        .role("arn:aws:iam::123456789012:role/router").code(new com.pulumi.asset.FileArchive("/nonexistent.jar"))
        .build());
    var rule = new EventRule("uploaded", EventRuleArgs.builder()
        .eventPattern(bucket.bucket().applyValue(b ->
            "{\"source\":[\"aws.s3\"],\"detail-type\":[\"Object Created\"],\"detail\":{\"bucket\":{\"name\":[\"" + b + "\"]}}}"))
        .build());
    new EventTarget("uploaded-router", EventTargetArgs.builder().rule(rule.name()).arn(router.arn()).build());
    var presign = new Function("presign", FunctionArgs.builder()
        .runtime("java21").handler(TestHandlers.Http.class.getName() + "::handleRequest")
        .role("arn:aws:iam::123456789012:role/presign").code(new com.pulumi.asset.FileArchive("/nonexistent.jar"))
        .build());
    var api = new Api("http", ApiArgs.builder().protocolType("HTTP").build());
    var auth = new Authorizer("jwt", AuthorizerArgs.builder().apiId(api.id()).authorizerType("JWT")
        .identitySources("$request.header.Authorization")
        .jwtConfiguration(AuthorizerJwtConfigurationArgs.builder().issuer("https://issuer.example/").audiences("uploads").build())
        .build());
    var integration = new Integration("presign", IntegrationArgs.builder().apiId(api.id()).integrationType("AWS_PROXY")
        .integrationUri(presign.invokeArn()).payloadFormatVersion("2.0").build());
    new Route("uploads", RouteArgs.builder().apiId(api.id()).routeKey("POST /uploads")
        .target(integration.id().applyValue(id -> "integrations/" + id)).authorizationType("JWT").authorizerId(auth.id()).build());
    ctx.export("queueUrl", queue.url());
    ctx.export("endpoint", Output.format("%s/uploads", api.apiEndpoint()));
  }

  @Test
  void deploysAProgramAndRunsEveryPathItDeclares() throws Exception {
    TestHandlers.reset("worker");
    TestHandlers.reset("router");
    try (LocalCloud cloud = LocalCloud.start(LocalCloud.Options.of("test", LocalCloudTest::program).withoutIam())) {
      // Outputs are real local values.
      String queueUrl = cloud.output("queueUrl");
      assertThat(queueUrl).startsWith(cloud.aws().sqsEndpoint().toString());
      assertThat(cloud.functionNamed("worker").spec().environment()).containsEntry("QUEUE", queueUrl);

      // SQS → mapping → worker.
      cloud.sqs().sendMessage(b -> b.queueUrl(queueUrl).messageBody("job-1"));
      awaitSeen("worker", 1);

      // S3 → EventBridge rule → router, only for the declared bucket.
      cloud.s3().putObject(b -> b.bucket("local-uploads").key("uploads/u/a.mp4"), RequestBody.fromString("x"));
      awaitSeen("router", 1);

      // HTTP API with the JWT authorizer → presign.
      String token = cloud.identity().issue("user-1", Duration.ofMinutes(1));
      HttpResponse<String> response = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(cloud.output("endpoint")))
              .header("Authorization", "Bearer " + token)
              .POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(201);
      assertThat(response.body()).contains("\"sub\":\"user-1\"");

      assertThat(cloud.resources()).anySatisfy(r -> {
        assertThat(r.type()).isEqualTo("aws:lambda/eventSourceMapping:EventSourceMapping");
        assertThat(r.emulated()).isTrue();
      });
      assertThat(cloud.mappings()).singleElement().satisfies(m -> assertThat(m.spec().maximumConcurrency()).isEqualTo(2));
    }
  }

  @Test
  void reportsAProgramFailureWithItsCauseAndStopsWhatItStarted() throws InterruptedException {
    long dispatchersBefore = httpDispatchers();

    assertThatThrownBy(() -> LocalCloud.start(LocalCloud.Options.of("test", ctx -> {
      throw new IllegalArgumentException("config key priority-queues:tiers is invalid");
    }))).hasMessageContaining("config key priority-queues:tiers is invalid");

    // The upload API's dispatcher is not a daemon: left running, it would keep the JVM alive.
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (httpDispatchers() > dispatchersBefore && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(httpDispatchers()).isEqualTo(dispatchersBefore);
  }

  private static long httpDispatchers() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("HTTP-Dispatcher")).count();
  }

  private static void awaitSeen(String function, int count) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (TestHandlers.SEEN.getOrDefault(function, List.of()).size() < count) {
      assertThat(System.nanoTime()).as("%s never saw %d events", function, count).isLessThan(deadline);
      Thread.sleep(20);
    }
  }
}
