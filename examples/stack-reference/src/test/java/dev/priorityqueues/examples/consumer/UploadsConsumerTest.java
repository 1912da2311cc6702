package dev.priorityqueues.examples.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import com.pulumi.test.Mocks;
import com.pulumi.test.PulumiTest;
import com.pulumi.test.TestOptions;
import com.pulumi.test.TestResult;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The consumer under Pulumi's mocks. A StackReference is a resource of type
 * {@code pulumi:pulumi:StackReference}; the mock answers it with the state {@code {"outputs": …}},
 * which is what requireOutput and getOutput read.
 */
class UploadsConsumerTest {

  static final String STACK = "my-org/priority-queues/production";

  /** What the deployed stack's outputs look like (README, "Outputs"), for the mock to return. */
  static final Map<String, Object> OUTPUTS = Map.of(
      "tierOrder", List.of("premium", "regular"),
      "queueUrls", Map.of(
          "premium", "https://sqs.us-east-1.amazonaws.com/123456789012/tier-premium-queue-1a2b3c4",
          "regular", "https://sqs.us-east-1.amazonaws.com/123456789012/tier-regular-queue-5d6e7f8"),
      "uploadEndpoint", "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/uploads",
      "completionEventDetailTypes", Map.of("DONE", "Video Processed", "FAILED", "Video Failed"));

  /** Answers the StackReference with {@code outputs}; the program creates no other resource. */
  static final class StackOutputs implements Mocks {
    private final Map<String, Object> outputs;
    volatile String referencedStack;

    StackOutputs(Map<String, Object> outputs) {
      this.outputs = outputs;
    }

    @Override
    public CompletableFuture<ResourceResult> newResourceAsync(ResourceArgs args) {
      if (!args.type.equals("pulumi:pulumi:StackReference")) {
        throw new IllegalArgumentException("unexpected resource " + args.type);
      }
      referencedStack = String.valueOf(args.inputs.get("name"));
      return CompletableFuture.completedFuture(
          ResourceResult.of(Optional.of(args.name), Map.of("name", args.name, "outputs", outputs)));
    }

    @Override
    public CompletableFuture<Map<String, Object>> callAsync(CallArgs args) {
      throw new IllegalArgumentException("unexpected invoke " + args.token);
    }
  }

  @AfterEach
  void cleanUp() {
    PulumiTest.cleanup();
  }

  @Test
  void readsTheDeployedStacksOutputs() {
    StackOutputs mocks = new StackOutputs(OUTPUTS);

    TestResult result = PulumiTest
        .withOptions(TestOptions.builder().projectName("uploads-consumer").stackName("dev").preview(false).build())
        .withMocks(mocks)
        .runTest(ctx -> UploadsConsumer.define(ctx, STACK));

    assertThat(result.exitCode()).as("errors: %s", result.errors()).isZero();
    assertThat(mocks.referencedStack).isEqualTo(STACK);
    assertThat(PulumiTest.extractValue(result.outputs().get("uploadsUrl")))
        .isEqualTo("https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/uploads");
    assertThat(PulumiTest.extractValue(result.outputs().get("topTierQueueUrl")))
        .isEqualTo("https://sqs.us-east-1.amazonaws.com/123456789012/tier-premium-queue-1a2b3c4");
    assertThat(PulumiTest.extractValue(result.outputs().get("processedDetailType"))).isEqualTo("Video Processed");
  }

  @Test
  void aMissingOutputFailsTheProgram() {
    Map<String, Object> withoutEndpoint = new java.util.HashMap<>(OUTPUTS);
    withoutEndpoint.remove("uploadEndpoint");
    StackOutputs mocks = new StackOutputs(withoutEndpoint);

    TestResult result = PulumiTest
        .withOptions(TestOptions.builder().projectName("uploads-consumer").stackName("dev").preview(false).build())
        .withMocks(mocks)
        .runTest(ctx -> UploadsConsumer.define(ctx, STACK));

    // requireOutput refuses a stack without the output instead of yielding null.
    assertThat(result.exitCode()).isNotZero();
    assertThat(String.join("\n", result.errors()))
        .contains("Required output 'uploadEndpoint' does not exist on stack '" + STACK + "'");
  }
}
