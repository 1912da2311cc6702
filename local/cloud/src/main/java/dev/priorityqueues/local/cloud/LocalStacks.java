package dev.priorityqueues.local.cloud;

import dev.priorityqueues.contract.FunctionEnv;
import dev.priorityqueues.infra.PriorityQueuesStack;
import dev.priorityqueues.infra.config.Settings;
import dev.priorityqueues.infra.config.StackFiles;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The bridge from a stack file to a local cloud: reads {@code Pulumi.<stack>.yaml} the way
 * {@code pulumi up} would, applies overrides (a benchmark's flow, tiers or processor), validates
 * through the program's own settings parser, and deploys the program's own resources.
 */
public final class LocalStacks {
  private LocalStacks() {}

  /** The repository root: the directory of {@code Pulumi.yaml}, found from the working directory. */
  public static Path projectDir() {
    return StackFiles.findProjectDir(Path.of("").toAbsolutePath());
  }

  /**
   * The stack's validated settings with {@code overrides} applied (config keys without their
   * namespace, values as raw text: scalars as text, lists and maps as JSON).
   */
  public static Settings settings(Path projectDir, String stack, Map<String, String> overrides) {
    Map<String, String> raw = new LinkedHashMap<>(StackFiles.readConfig(projectDir, stack));
    raw.putAll(overrides);
    return Settings.parse(raw, projectDir);
  }

  /** Options for a local cloud that deploys the program with these settings. */
  public static LocalCloud.Options options(String stack, Settings settings) {
    LocalCloud.Options options = LocalCloud.Options.of(stack, ctx -> PriorityQueuesStack.build(ctx, settings));
    if (settings.worker().transcodes()) {
      Path ffmpeg = FfmpegLayer.unpack(settings.codeRoot(), settings.worker().architecture());
      options.environment("worker", Map.of(FunctionEnv.FFMPEG, ffmpeg.toString()));
    }
    return options;
  }
}
