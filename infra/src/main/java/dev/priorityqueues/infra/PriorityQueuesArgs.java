package dev.priorityqueues.infra;

import dev.priorityqueues.contract.Functions;
import dev.priorityqueues.infra.components.Worker;
import dev.priorityqueues.infra.config.ConfigKey;
import dev.priorityqueues.infra.config.Settings;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The arguments of {@link PriorityQueues}: validated {@link Settings} (the config edge checks
 * every value once), the function archives found and checked under the settings' code root,
 * and the names that must be unique per account and region. Build them with {@link #forStack};
 * {@link #named} gives a second instance in one stack its own names.
 *
 * @param resourcePrefix prefix of every child's logical name: empty for the stack's own
 *     instance (the names it has always had), so a program embedding several never clashes
 * @param dashboardName the CloudWatch dashboard's name (1 to 255 of A-Z a-z 0-9 _ -)
 * @param layerName the FFmpeg layer's name (1 to 140 of A-Z a-z 0-9 _ -)
 * @param archives each function's checked archive
 * @param ffmpegLayer the checked FFmpeg layer archive, when the worker transcodes
 * @param tags tags for every resource that takes tags
 */
public record PriorityQueuesArgs(
    Settings settings,
    String resourcePrefix,
    String dashboardName,
    String layerName,
    Map<Functions, Path> archives,
    Optional<Path> ffmpegLayer,
    Map<String, String> tags) {

  static final Pattern DASHBOARD_NAME = Pattern.compile("[A-Za-z0-9_-]{1,255}");
  static final Pattern PREFIX = Pattern.compile("|[a-z][a-z0-9-]{0,19}-");

  public PriorityQueuesArgs {
    Objects.requireNonNull(settings, "settings");
    check(PREFIX, resourcePrefix, "resourcePrefix");
    check(DASHBOARD_NAME, dashboardName, "dashboardName");
    check(Worker.LAYER_NAME, layerName, "layerName");
    archives = Map.copyOf(archives);
    if (!archives.keySet().containsAll(Functions.all())) {
      throw new IllegalArgumentException("an archive for every function is needed, not only " + archives.keySet());
    }
    if (settings.worker().transcodes() != ffmpegLayer.isPresent()) {
      throw new IllegalArgumentException("the FFmpeg layer archive is needed exactly when the worker transcodes");
    }
    tags = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tags));
  }

  /**
   * The arguments of a stack's instance: finds and checks the archives under
   * {@code settings.codeRoot()} (a missing one stops the program before anything is created),
   * names the dashboard and layer after the stack, and tags every resource with the project and
   * stack, then the configured tags.
   */
  public static PriorityQueuesArgs forStack(Settings settings, String stackName) {
    Map<Functions, Path> archives = FunctionArchives.verify(settings.codeRoot());
    Optional<Path> layer = settings.worker().transcodes()
        ? Optional.of(FunctionArchives.verifyLayer(settings.codeRoot(), settings.worker().architecture()))
        : Optional.empty();
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("project", ConfigKey.PROJECT);
    tags.put("stack", stackName);
    tags.putAll(settings.tags());
    return new PriorityQueuesArgs(settings, "", dashboardName(ConfigKey.PROJECT, stackName),
        layerName(ConfigKey.PROJECT, stackName), archives, layer, tags);
  }

  /**
   * The same arguments for an instance named {@code name}: its children's names start with
   * {@code name-}, and its dashboard and layer are named after it instead of the project.
   */
  public PriorityQueuesArgs named(String name, String stackName) {
    return new PriorityQueuesArgs(settings, name + "-", dashboardName(name, stackName), layerName(name, stackName),
        archives, ffmpegLayer, tags);
  }

  // Pulumi allows '.' in a stack name and CloudWatch does not in a dashboard's.
  private static String dashboardName(String base, String stackName) {
    return base + "-" + stackName.replace('.', '_');
  }

  // Layer names are per account and region: the stack name keeps two stacks apart.
  private static String layerName(String base, String stackName) {
    String name = (base + "-ffmpeg-" + stackName).replaceAll("[^a-zA-Z0-9_-]", "-");
    return name.substring(0, Math.min(140, name.length()));
  }

  private static void check(Pattern pattern, String value, String what) {
    if (value == null || !pattern.matcher(value).matches()) {
      throw new IllegalArgumentException(what + " must match " + pattern.pattern() + ", not '" + value + "'");
    }
  }
}
