package dev.priorityqueues.infra;

import com.pulumi.Context;
import com.pulumi.Pulumi;
import dev.priorityqueues.infra.config.Settings;
import dev.priorityqueues.infra.config.StackFiles;
import java.nio.file.Path;

/** The Pulumi program: {@code pulumi up} at the repository root runs {@link #main}. */
public final class App {
  private App() {}

  public static void main(String[] args) {
    Pulumi.run(App::stack);
  }

  /**
   * Reads the stack's config into validated settings, then builds every resource. Relative
   * paths in the config resolve against the directory of {@code Pulumi.yaml}.
   */
  public static void stack(Context ctx) {
    Path projectDir = StackFiles.findProjectDir(Path.of(""));
    Settings settings = Settings.fromConfig(ctx.config(), projectDir);
    PriorityQueuesStack.build(ctx, settings);
  }
}
