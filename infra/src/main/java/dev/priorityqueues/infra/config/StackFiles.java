package dev.priorityqueues.infra.config;

import dev.priorityqueues.infra.JsonSupport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** Finds and reads the project's Pulumi files without the Pulumi CLI. */
public final class StackFiles {
  private StackFiles() {}

  public static final String PROJECT_FILE = "Pulumi.yaml";
  private static final Pattern STACK_FILE = Pattern.compile("Pulumi\\.(.+)\\.yaml");
  private static final String NAMESPACE = ConfigKey.PROJECT + ":";

  /**
   * The directory of {@code Pulumi.yaml}: {@code start} or its nearest parent that has one.
   * {@code pulumi up} runs at the repository root while the tests run in {@code infra/}.
   */
  public static Path findProjectDir(Path start) {
    for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve(PROJECT_FILE))) {
        return dir;
      }
    }
    throw new IllegalStateException(
        "no " + PROJECT_FILE + " in " + start.toAbsolutePath() + " or any parent directory");
  }

  public static Path stackFile(Path projectDir, String stack) {
    return projectDir.resolve("Pulumi." + stack + ".yaml");
  }

  /** The stack of every {@code Pulumi.<stack>.yaml} in the directory, sorted. */
  public static List<String> stackNames(Path projectDir) {
    try (Stream<Path> files = Files.list(projectDir)) {
      return files
          .map(p -> STACK_FILE.matcher(p.getFileName().toString()))
          .filter(Matcher::matches)
          .map(m -> m.group(1))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + projectDir, e);
    }
  }

  /** Parses a YAML file into plain maps, lists and scalars; an empty file is an empty map. */
  public static Map<String, Object> readYaml(Path file) {
    Object root;
    try {
      root = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(file.getFileName() + " is not valid YAML: " + e.getMessage(), e);
    }
    if (root == null) {
      return Map.of();
    }
    if (!(root instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException(file.getFileName() + " must be a YAML mapping");
    }
    Map<String, Object> copy = new LinkedHashMap<>();
    map.forEach((k, v) -> copy.put(String.valueOf(k), v));
    return copy;
  }

  /**
   * The {@code priority-queues:} entries of {@code Pulumi.<stack>.yaml} as raw config text, the
   * way Pulumi hands them to a program: scalars as text, lists and maps as JSON. Other
   * namespaces (such as {@code aws:region}) are left to their providers.
   */
  public static Map<String, String> readConfig(Path projectDir, String stack) {
    Path file = stackFile(projectDir, stack);
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("no stack file " + file);
    }
    Object config = readYaml(file).get("config");
    if (config == null) {
      return Map.of();
    }
    if (!(config instanceof Map<?, ?> entries)) {
      throw new IllegalArgumentException(file.getFileName() + ": 'config' must be a mapping");
    }
    Map<String, String> raw = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    entries.forEach((k, v) -> {
      String key = String.valueOf(k);
      if (!key.contains(":")) {
        problems.add(file.getFileName() + ": config key '" + key + "' has no namespace; write " + NAMESPACE + key);
      } else if (key.startsWith(NAMESPACE) && v != null) {
        String name = key.substring(NAMESPACE.length());
        if (v instanceof Map<?, ?> m && m.containsKey("secure")) {
          problems.add(InvalidConfigException.secretNotAllowed(name, file.getFileName().toString()));
        } else {
          raw.put(name, v instanceof Map<?, ?> || v instanceof List<?> ? JsonSupport.write(v) : String.valueOf(v));
        }
      }
    });
    if (!problems.isEmpty()) {
      throw new InvalidConfigException(problems);
    }
    return raw;
  }
}
