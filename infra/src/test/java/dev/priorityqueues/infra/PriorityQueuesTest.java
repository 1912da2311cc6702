package dev.priorityqueues.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.priorityqueues.infra.config.ConfigKey;
import dev.priorityqueues.infra.config.Settings;
import dev.priorityqueues.infra.testing.Deployment;
import dev.priorityqueues.infra.testing.FakeArchives;
import dev.priorityqueues.infra.testing.ProgramTest;
import dev.priorityqueues.infra.testing.TestSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The system as one component: every part is its child, and making it one changed neither the
 * stack's outputs (a committed golden list) nor its config keys (the README's table).
 */
class PriorityQueuesTest extends ProgramTest {

  static final String COMPONENT = "priority-queues:index:PriorityQueues";

  @TempDir static Path codeRoot;
  static Deployment deployment;

  @BeforeAll
  static void deploy() {
    deployment = Deployment.run(TestSettings.defaults(FakeArchives.complete(codeRoot))).assertSucceeded();
  }

  @Test
  void theStackOutputsAreTheGoldenList() throws IOException {
    List<String> golden = Files.readAllLines(Path.of("src/test/resources/golden/stack-outputs.txt"));

    assertThat(List.copyOf(deployment.outputs().keySet())).containsExactlyElementsOf(golden);
    assertThat(StackOutputs.ALL).containsExactlyElementsOf(golden);
  }

  @Test
  void theConfigKeysAreExactlyTheReadmeTable() throws IOException {
    String readme = Files.readString(DocsTest.ROOT.resolve("README.md"));
    String table = readme.substring(readme.indexOf("## Configuration"), readme.indexOf("Each entry of `tiers`"));
    Set<String> documented = new LinkedHashSet<>();
    Matcher row = Pattern.compile("(?m)^\\| `([A-Za-z0-9]+)` \\|").matcher(table);
    while (row.find()) {
      documented.add(row.group(1));
    }

    assertThat(Arrays.stream(ConfigKey.values()).map(ConfigKey::key).toList())
        .containsExactlyInAnyOrderElementsOf(documented);
  }

  @Test
  void theStackHasOneComponentAndEveryPartIsItsChild() {
    // A URN is urn:pulumi:<stack>::<project>::<parent types joined by $>$<type>::<name>.
    List<String> chains = deployment.urns().stream().map(urn -> urn.split("::")[2]).toList();
    assertThat(chains).filteredOn(chain -> chain.endsWith(COMPONENT)).hasSize(1);
    assertThat(deployment.urns()).anySatisfy(urn ->
        assertThat(urn).endsWith("$" + COMPONENT + "::" + PriorityQueuesStack.COMPONENT_NAME));

    // Every resource but the stack and the component itself has the component in its parent chain.
    List<String> below = chains.stream()
        .filter(chain -> !chain.endsWith(COMPONENT) && !chain.equals("pulumi:pulumi:Stack")).toList();
    assertThat(below).hasSize(deployment.resources().size() - 1) // the mocks see the component too
        .allSatisfy(chain -> assertThat(chain).contains(COMPONENT + "$priority-queues:index:"));
    for (String part : List.of("TierQueue", "Storage", "UploadApi", "UploadStatus", "UploadRouter", "Worker",
        "Alerts", "Monitoring", "AbuseAlarms")) {
      assertThat(below).as(part).contains("pulumi:pulumi:Stack$" + COMPONENT + "$priority-queues:index:" + part);
    }
  }

  @Test
  void theComponentsOutputFieldsAreTheStacksOutputs() {
    // The stack exports the component's fields as they are: the mocks resolve both the same way.
    assertThat(deployment.outputs().get(StackOutputs.TIER_ORDER)).isEqualTo(List.of("premium", "regular"));
    assertThat(deployment.outputs().get(StackOutputs.BUCKET_NAME)).isEqualTo("storage-bucket");
  }

  @Test
  void aNamedInstanceNamesEveryChildAfterItself() {
    Settings settings = TestSettings.defaults(FakeArchives.complete(codeRoot));
    PriorityQueuesArgs named = PriorityQueuesArgs.forStack(settings, "prod").named("video", "prod");

    assertThat(named.resourcePrefix()).isEqualTo("video-");
    assertThat(named.dashboardName()).isEqualTo("video-prod");
    assertThat(named.layerName()).isEqualTo("video-ffmpeg-prod");
    assertThat(named.tags()).containsEntry("stack", "prod");
    assertThatThrownBy(() -> PriorityQueuesArgs.forStack(settings, "prod").named("Video!", "prod"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("resourcePrefix");
  }

  @Test
  void theArgsRefuseALayerTheWorkerDoesNotUse() {
    Settings inspect = TestSettings.with(FakeArchives.complete(codeRoot), Map.of("workerProcessor", "inspect"));
    PriorityQueuesArgs args = PriorityQueuesArgs.forStack(inspect, "prod");

    assertThat(args.ffmpegLayer()).isEmpty();
    assertThatThrownBy(() -> new PriorityQueuesArgs(inspect, "", "d", "l", args.archives(),
        java.util.Optional.of(codeRoot), args.tags()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exactly when the worker transcodes");
  }
}
