package dev.priorityqueues.infra.provider;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.pulumi.provider.internal.ComponentProvider;
import com.pulumi.provider.internal.Metadata;
import com.pulumi.provider.internal.models.ConstructRequest;
import com.pulumi.provider.internal.models.ConstructResponse;
import com.pulumi.provider.internal.models.GetSchemaRequest;
import com.pulumi.provider.internal.properties.PropertyValue;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.test.PulumiTest;
import com.pulumi.test.TestOptions;
import com.pulumi.test.TestResult;
import dev.priorityqueues.infra.JsonSupport;
import dev.priorityqueues.infra.StackOutputs;
import dev.priorityqueues.infra.testing.AwsMocks;
import dev.priorityqueues.infra.testing.FakeArchives;
import dev.priorityqueues.infra.testing.MockResource;
import dev.priorityqueues.infra.testing.ProgramTest;
import dev.priorityqueues.infra.testing.TestSettings;
import dev.priorityqueues.infra.config.StackFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The component package as Pulumi's engine sees it, through pulumi-java's own
 * {@link ComponentProvider} (what {@link Main}'s ComponentProviderHost serves over gRPC): the
 * schema it answers GetSchema with, and Construct under mocks.
 */
class ComponentProviderTest extends ProgramTest {

  static final String TOKEN = "priority-queues:index:PriorityQueues";

  @TempDir static Path codeRoot;

  static ComponentProvider provider() {
    return new ComponentProvider(new Metadata(Main.PACKAGE), PriorityQueues.class.getPackage());
  }

  static JsonNode schema() throws Exception {
    String json = provider().getSchema(new GetSchemaRequest(0, null, null)).get(30, TimeUnit.SECONDS).getSchema();
    return JsonSupport.read(json);
  }

  static List<String> names(JsonNode object) {
    List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void theSchemaListsPriorityQueuesWithTheArgsTypesAsInputsAndTheStackOutputs() throws Exception {
    JsonNode schema = schema();
    assertThat(schema.get("name").asText()).isEqualTo("priority-queues");
    assertThat(names(schema.get("resources"))).containsExactly(TOKEN);
    JsonNode component = schema.get("resources").get(TOKEN);
    assertThat(component.get("isComponent").asBoolean()).isTrue();

    // Inputs: one per @Import field of PriorityQueuesArgs, with the Java field's type.
    JsonNode inputs = component.get("inputProperties");
    assertThat(names(inputs)).containsExactlyInAnyOrder("tiers", "jwtIssuer", "jwtAudience", "codeRoot", "config");
    assertThat(inputs.get("jwtIssuer").get("type").asText()).isEqualTo("string");
    assertThat(inputs.get("codeRoot").get("type").asText()).isEqualTo("string");
    assertThat(inputs.get("jwtAudience").get("type").asText()).isEqualTo("array");
    assertThat(inputs.get("jwtAudience").get("items").get("type").asText()).isEqualTo("string");
    assertThat(inputs.get("config").get("type").asText()).isEqualTo("string");
    assertThat(inputs.get("tiers").get("items").get("$ref").asText()).isEqualTo("#/types/priority-queues:index:Tier");
    assertThat(component.get("requiredInputs")).extracting(JsonNode::asText)
        .containsExactlyInAnyOrder("tiers", "jwtIssuer", "jwtAudience", "codeRoot");

    JsonNode tier = schema.get("types").get("priority-queues:index:Tier");
    assertThat(names(tier.get("properties"))).containsExactlyInAnyOrder("name", "subscriptions", "maxConcurrency",
        "maxReceiveCount", "batchSize", "batchingWindowSeconds");
    assertThat(tier.get("properties").get("maxConcurrency").get("type").asText()).isEqualTo("integer");
    assertThat(tier.get("required")).extracting(JsonNode::asText).containsExactlyInAnyOrder("name", "subscriptions");

    // Outputs: exactly the stack's outputs, with their types.
    JsonNode outputs = component.get("properties");
    assertThat(names(outputs)).containsExactlyInAnyOrderElementsOf(StackOutputs.ALL);
    assertThat(outputs.get("tierOrder").get("type").asText()).isEqualTo("array");
    assertThat(outputs.get("queueUrls").get("type").asText()).isEqualTo("object");
    assertThat(outputs.get("queueUrls").get("additionalProperties").get("type").asText()).isEqualTo("string");
    assertThat(outputs.get("uploadEndpoint").get("type").asText()).isEqualTo("string");
  }

  @Test
  void constructBuildsTheSystemFromTheInputsUnderMocks() throws Exception {
    Path root = FakeArchives.complete(codeRoot);
    Map<String, PropertyValue> tierGold = new LinkedHashMap<>();
    tierGold.put("name", PropertyValue.of("gold"));
    tierGold.put("subscriptions", PropertyValue.of(List.of(PropertyValue.of("pro"))));
    tierGold.put("maxConcurrency", PropertyValue.of(12.0));
    Map<String, PropertyValue> tierFree = new LinkedHashMap<>();
    tierFree.put("name", PropertyValue.of("free"));
    tierFree.put("subscriptions", PropertyValue.of(List.of()));
    tierFree.put("maxConcurrency", PropertyValue.of(3.0));
    Map<String, PropertyValue> inputs = new LinkedHashMap<>();
    inputs.put("tiers", PropertyValue.of(List.of(PropertyValue.of(tierGold), PropertyValue.of(tierFree))));
    inputs.put("jwtIssuer", PropertyValue.of(TestSettings.ISSUER));
    inputs.put("jwtAudience", PropertyValue.of(List.of(PropertyValue.of("web"))));
    inputs.put("codeRoot", PropertyValue.of(root.toString()));
    inputs.put("config", PropertyValue.of("{\"flow\":\"queue-level\",\"workerProcessor\":\"inspect\"}"));

    AwsMocks mocks = new AwsMocks();
    AtomicReference<CompletableFuture<ConstructResponse>> response = new AtomicReference<>();
    TestResult result = PulumiTest
        .withOptions(TestOptions.builder().projectName("consumer").stackName("dev").preview(false).build())
        .withMocks(mocks)
        .runTest(ctx -> response.set(provider().construct(
            new ConstructRequest(TOKEN, "video", inputs, ComponentResourceOptions.Empty))));

    assertThat(result.exitCode()).as("errors: %s", result.errors()).isZero();
    ConstructResponse constructed = response.get().get(30, TimeUnit.SECONDS);
    assertThat(constructed.getUrn()).endsWith("$" + TOKEN + "::video");
    // The state is every output, and the URN the SDK adds.
    List<String> state = new ArrayList<>(StackOutputs.ALL);
    state.add("urn");
    assertThat(constructed.getState().keySet()).containsExactlyInAnyOrderElementsOf(state);
    assertThat(constructed.getState().get("tierOrder").getArrayValue())
        .extracting(PropertyValue::getStringValue).containsExactly("gold", "free");

    // The inputs reached the resources through the config parser: tiers, caps, the flow, names.
    List<MockResource> mappings = mocks.resources().stream()
        .filter(r -> r.type().equals("aws:lambda/eventSourceMapping:EventSourceMapping")).toList();
    // The mocks see resources in the order their inputs resolve, not the tiers' order.
    assertThat(mappings).extracting(m -> m.name() + "=" + m.map("scalingConfig").get("maximumConcurrency"))
        .containsExactlyInAnyOrder("video-worker-gold-mapping=12.0", "video-worker-free-mapping=3.0");
    MockResource worker = mocks.resources().stream()
        .filter(r -> r.type().equals("aws:lambda/function:Function") && r.name().equals("video-worker-function"))
        .findFirst().orElseThrow();
    assertThat(worker.map("environment").toString()).contains("PQ_FLOW=queue-level");
  }

  @Test
  void thePluginDirectoryRunsMainWithTheJavaHost() throws Exception {
    Path provider = StackFiles.findProjectDir(Path.of("")).resolve("provider");

    assertThat(Files.readString(provider.resolve("PulumiPlugin.yaml"))).containsPattern("(?m)^runtime: java$");
    String pom = Files.readString(provider.resolve("pom.xml"));
    assertThat(pom).contains("<mainClass>" + Main.class.getName() + "</mainClass>", "<exec.skip>false</exec.skip>",
        "<artifactId>pq-infra</artifactId>");
  }
}
