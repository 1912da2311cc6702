package dev.priorityqueues.infra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.priorityqueues.infra.config.ConfigKey;
import dev.priorityqueues.infra.config.Settings;
import dev.priorityqueues.infra.config.StackFiles;
import dev.priorityqueues.infra.testing.Deployment;
import dev.priorityqueues.infra.testing.FakeArchives;
import dev.priorityqueues.infra.testing.ProgramTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The committed Pulumi files: every stack file is valid and deploys; Pulumi.yaml matches the code. */
class StackFilesTest extends ProgramTest {

  static final Path ROOT = StackFiles.findProjectDir(Path.of(""));

  @TempDir static Path codeRoot;

  static List<String> stacks() {
    return StackFiles.stackNames(ROOT);
  }

  @Test
  void everyStackFileInTheRepositoryIsAtItsRoot() throws IOException {
    try (Stream<Path> files = Files.walk(ROOT)) {
      List<Path> stackFiles = files
          .filter(p -> !p.toString().contains("/target/") && !p.toString().contains("/.git/"))
          .filter(p -> p.getFileName().toString().matches("Pulumi\\..+\\.yaml"))
          .toList();
      assertThat(stackFiles).isNotEmpty().allSatisfy(p -> assertThat(p.getParent()).isEqualTo(ROOT));
      assertThat(stackFiles).hasSameSizeAs(stacks());
    }
    assertThat(stacks()).contains("dev", "production.example");
  }

  @ParameterizedTest
  @MethodSource("stacks")
  void everyStackFileIsValidWithoutWarnings(String stack) {
    Settings settings = Settings.fromStackFile(ROOT, stack);
    assertThat(settings.warnings()).as(stack).isEmpty();
    assertThat(settings.codeRoot()).isEqualTo(ROOT);
  }

  @ParameterizedTest
  @MethodSource("stacks")
  void everyStackFileDeploysUnderMocks(String stack) {
    Settings settings = Settings.fromStackFile(ROOT, stack).withCodeRoot(FakeArchives.complete(codeRoot));
    Deployment deployment = Deployment.run(settings, stack.replace('.', '-')).assertSucceeded();
    assertThat(deployment.outputs().keySet()).containsExactlyInAnyOrderElementsOf(StackOutputs.ALL);
    assertThat(deployment.outputs().get("tierOrder"))
        .isEqualTo(settings.tiers().stream().map(Settings.Tier::name).toList());
  }

  @ParameterizedTest
  @MethodSource("stacks")
  void everyStackFileNamesItsRegion(String stack) {
    Object config = StackFiles.readYaml(StackFiles.stackFile(ROOT, stack)).get("config");
    assertThat(config).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP).containsKey("aws:region");
  }

  @Test
  void theProjectFileRunsTheJavaProgram() {
    Map<String, Object> project = StackFiles.readYaml(ROOT.resolve(StackFiles.PROJECT_FILE));
    assertThat(project.get("name")).isEqualTo(ConfigKey.PROJECT);
    assertThat(project.get("runtime")).isEqualTo("java");
    assertThat((String) project.get("description")).isNotBlank();
  }

  @Test
  void theTemplateDocumentsEveryKeyWithTheCodesDescriptionAndDefault() throws Exception {
    @SuppressWarnings("unchecked")
    Map<String, Object> template = (Map<String, Object>) StackFiles.readYaml(ROOT.resolve(StackFiles.PROJECT_FILE))
        .get("template");
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> config = (Map<String, Map<String, Object>>) template.get("config");

    List<String> keys = Arrays.stream(ConfigKey.values()).map(ConfigKey::key).toList();
    assertThat(config.keySet()).containsExactlyInAnyOrderElementsOf(
        Stream.concat(Stream.of("aws:region"), keys.stream()).toList());
    for (ConfigKey key : ConfigKey.values()) {
      Map<String, Object> entry = config.get(key.key());
      assertThat(entry.get("description")).as(key.key()).isEqualTo(key.description());
      if (key.defaultValue().isPresent()) {
        assertThat(normalize(String.valueOf(entry.get("default")))).as(key.key())
            .isEqualTo(normalize(key.defaultValue().get()));
      } else {
        assertThat(entry).as(key.key() + " has no default in the code").doesNotContainKey("default");
      }
    }
  }

  /** JSON defaults compare as JSON, scalars as text. */
  private static Object normalize(String value) throws Exception {
    return value.startsWith("[") || value.startsWith("{") ? JsonSupport.read(value) : value;
  }
}
