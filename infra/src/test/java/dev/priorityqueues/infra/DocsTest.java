package dev.priorityqueues.infra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.priorityqueues.infra.config.ConfigKey;
import dev.priorityqueues.infra.config.StackFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The docs say what the code does: quick start, config table, outputs and the controls table. */
class DocsTest {

  static final Path ROOT = StackFiles.findProjectDir(Path.of(""));

  static String read(String file) throws IOException {
    return Files.readString(ROOT.resolve(file));
  }

  /** The fenced blocks of one section, the way .ci/run reads them. */
  static List<String> blocks(String markdown, String heading) {
    String section = markdown.substring(markdown.indexOf(heading) + heading.length());
    int next = section.indexOf("\n## ");
    section = next < 0 ? section : section.substring(0, next);
    List<String> blocks = new ArrayList<>();
    Matcher m = Pattern.compile("```[a-z]*\\n(.*?)```", Pattern.DOTALL).matcher(section);
    while (m.find()) {
      blocks.add(m.group(1).strip());
    }
    return blocks;
  }

  @Test
  void quickStartRunsTheDemoThenEveryTest() throws IOException {
    String readme = read("README.md");
    assertThat(readme.indexOf("## Quick start")).isBetween(0, readme.indexOf("## Prerequisites"));
    assertThat(blocks(readme, "## Quick start")).startsWith("./pq demo", "./pq test");
    assertThat(readme).contains("```bash\n./pq demo\n```", "```bash\n./pq test\n```");
  }

  @Test
  void theConfigTableHasEveryKeyWithItsDefaultAndAllowedValues() throws IOException {
    String readme = read("README.md");
    for (ConfigKey key : ConfigKey.values()) {
      String row = "| `" + key.key() + "` | " + key.defaultValue().map(d -> "`" + d + "`").orElse("—") + " | "
          + key.allowed() + " | " + key.description() + " |";
      assertThat(readme).as("README row for " + key.key()).contains(row);
    }
  }

  @Test
  void theOutputsTableHasEveryOutput() throws IOException {
    String readme = read("README.md");
    for (String output : StackOutputs.ALL) {
      assertThat(readme).contains("| `" + output + "` |");
    }
  }

  @Test
  void everyTestTheControlsTableNamesExists() throws IOException {
    Matcher m = Pattern.compile("`(\\w+Test)#(\\w+)`").matcher(read("docs/security-controls.md"));
    int found = 0;
    while (m.find()) {
      found++;
      Class<?> test = testClass(m.group(1));
      String method = m.group(2);
      assertThat(Arrays.stream(test.getDeclaredMethods()).map(java.lang.reflect.Method::getName))
          .as(m.group()).contains(method);
    }
    assertThat(found).isGreaterThan(20);
  }

  private static Class<?> testClass(String simpleName) {
    for (String pkg : List.of("", ".components", ".config", ".iam")) {
      try {
        return Class.forName("dev.priorityqueues.infra" + pkg + "." + simpleName);
      } catch (ClassNotFoundException e) {
        // try the next package
      }
    }
    throw new AssertionError("no test class " + simpleName);
  }
}
