package dev.priorityqueues.examples.embed;

import static org.assertj.core.api.Assertions.assertThat;

import com.pulumi.core.Output;
import com.pulumi.test.Mocks;
import com.pulumi.test.PulumiTest;
import com.pulumi.test.TestOptions;
import com.pulumi.test.TestResult;
import dev.priorityqueues.contract.Functions;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedding program under Pulumi's mocks: the component and its parts, named after "video". */
class VideoPlatformTest {

  /** Stands in for the AWS provider: records each resource and computes the outputs the component reads. */
  static final class Provider implements Mocks {
    record Created(String type, String name, Map<String, Object> inputs) {}

    final List<Created> created = new CopyOnWriteArrayList<>();

    @Override
    public CompletableFuture<ResourceResult> newResourceAsync(ResourceArgs args) {
      created.add(new Created(args.type, args.name, args.inputs));
      Map<String, Object> state = new HashMap<>(args.inputs);
      String arn = "arn:aws:mock:us-east-1:123456789012:" + args.name;
      state.putIfAbsent("name", args.name);
      state.putIfAbsent("arn", arn);
      state.putIfAbsent("bucket", args.name);
      state.put("url", "https://sqs.us-east-1.amazonaws.com/123456789012/" + args.name);
      state.put("invokeArn", arn + "/invocations");
      state.put("apiEndpoint", "https://api.example.com");
      state.put("executionArn", arn);
      state.put("version", "1");
      return CompletableFuture.completedFuture(ResourceResult.of(Optional.of(args.name + "-id"), state));
    }

    @Override
    public CompletableFuture<Map<String, Object>> callAsync(CallArgs args) {
      return CompletableFuture.completedFuture(Map.of(
          "name", "us-east-1", "accountId", "123456789012", "partition", "aws", "id", "x"));
    }
  }

  @TempDir Path codeRoot;

  @AfterEach
  void cleanUp() {
    PulumiTest.cleanup();
  }

  /** Archives that hold each handler class, where priority-queues' build would put them. */
  private void fakeArchives() throws IOException {
    for (Functions function : Functions.all()) {
      Path jar = codeRoot.resolve(function.archive());
      Files.createDirectories(jar.getParent());
      try (OutputStream out = Files.newOutputStream(jar); ZipOutputStream zip = new ZipOutputStream(out)) {
        zip.putNextEntry(new ZipEntry(function.handlerEntry()));
        zip.closeEntry();
      }
    }
  }

  @Test
  void embedsTheComponentWithItsOwnSettingsAndNames() throws IOException {
    fakeArchives();
    Provider provider = new Provider();

    TestResult result = PulumiTest
        .withOptions(TestOptions.builder().projectName("video-platform").stackName("staging").preview(false).build())
        .withMocks(provider)
        .runTest(ctx -> VideoPlatform.define(ctx, codeRoot));

    assertThat(result.exitCode()).as("errors: %s", result.errors()).isZero();
    assertThat(provider.created).filteredOn(r -> r.type().equals("priority-queues:index:PriorityQueues"))
        .extracting(VideoPlatformTest.Provider.Created::name).containsExactly("video");
    // Its own tiers, each with its mapping's cap (in the order the mocks saw them, not the tiers');
    // every child named after the instance.
    assertThat(provider.created).filteredOn(r -> r.type().equals("aws:lambda/eventSourceMapping:EventSourceMapping"))
        .extracting(r -> r.name() + "=" + ((Map<?, ?>) r.inputs().get("scalingConfig")).get("maximumConcurrency"))
        .containsExactlyInAnyOrder("video-worker-gold-mapping=20.0", "video-worker-silver-mapping=10.0",
            "video-worker-bronze-mapping=4.0");
    assertThat(provider.created).filteredOn(r -> r.type().startsWith("aws:"))
        .allSatisfy(r -> assertThat(r.name()).startsWith("video-"));
    // The inspect processor deploys no FFmpeg layer.
    assertThat(provider.created).noneMatch(r -> r.type().equals("aws:lambda/layerVersion:LayerVersion"));

    assertThat(value(result, "videoQueueUrls")).isEqualTo(Map.of(
        "gold", "https://sqs.us-east-1.amazonaws.com/123456789012/video-tier-gold-queue",
        "silver", "https://sqs.us-east-1.amazonaws.com/123456789012/video-tier-silver-queue",
        "bronze", "https://sqs.us-east-1.amazonaws.com/123456789012/video-tier-bronze-queue"));
    assertThat(value(result, "videoDashboard")).isEqualTo("video-staging");
    assertThat(value(result, "videoUploadEndpoint")).isEqualTo("https://api.example.com/uploads");
  }

  private static Object value(TestResult result, String output) {
    Output<?> value = result.outputs().get(output);
    assertThat(value).as(output).isNotNull();
    return PulumiTest.extractValue(value);
  }
}
