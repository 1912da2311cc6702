package dev.priorityqueues.infra.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.pulumi.core.Output;
import com.pulumi.test.PulumiTest;
import com.pulumi.test.TestOptions;
import com.pulumi.test.TestResult;
import dev.priorityqueues.infra.PriorityQueuesStack;
import dev.priorityqueues.infra.config.ConfigKey;
import dev.priorityqueues.infra.config.Settings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One run of the program under {@link AwsMocks}, turned into plain data: the resources with their
 * inputs, the resolved stack outputs, every resource's URN (its parent chain), and any errors. The
 * Pulumi runtime is cleaned up before this returns, so tests only look at values.
 */
public record Deployment(
    int exitCode, List<String> errors, List<Exception> exceptions, List<MockResource> resources,
    Map<String, Object> outputs, List<String> urns) {

  public static final String STACK = "test";

  public static Deployment run(Settings settings) {
    return run(settings, STACK);
  }

  public static Deployment run(Settings settings, String stack) {
    return run(settings, stack, new AwsMocks());
  }

  public static Deployment run(Settings settings, String stack, AwsMocks mocks) {
    try {
      TestResult result = PulumiTest
          .withOptions(TestOptions.builder().projectName(ConfigKey.PROJECT).stackName(stack).preview(false).build())
          .withMocks(mocks)
          .runTest(ctx -> PriorityQueuesStack.build(ctx, settings));
      Map<String, Object> outputs = new LinkedHashMap<>();
      List<String> urns = new ArrayList<>();
      if (result.exitCode() == 0) {
        for (Map.Entry<String, Output<?>> e : result.outputs().entrySet()) {
          outputs.put(e.getKey(), PulumiTest.extractValue(e.getValue()));
        }
        result.resources().forEach(r -> urns.add(PulumiTest.extractValue(r.urn())));
      }
      return new Deployment(result.exitCode(), result.errors(), result.exceptions(), mocks.resources(), outputs,
          List.copyOf(urns));
    } finally {
      PulumiTest.cleanup();
    }
  }

  /** Fails with the program's errors unless it ran cleanly. */
  public Deployment assertSucceeded() {
    assertThat(exitCode).as("exit code; errors: %s; exceptions: %s", errors, exceptions).isZero();
    return this;
  }

  /** Every resource of an AWS type token such as {@code aws:sqs/queue:Queue}. */
  public List<MockResource> all(String type) {
    return resources.stream().filter(r -> r.type().equals(type)).toList();
  }

  /** The one resource with this type and logical name. */
  public MockResource one(String type, String name) {
    List<MockResource> found = resources.stream()
        .filter(r -> r.type().equals(type) && r.name().equals(name)).toList();
    assertThat(found).as("%s named %s among %s", type, name, names(type)).hasSize(1);
    return found.get(0);
  }

  public List<String> names(String type) {
    return all(type).stream().map(MockResource::name).toList();
  }
}
