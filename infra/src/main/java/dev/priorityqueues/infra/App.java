package dev.priorityqueues.infra;

import com.pulumi.Context;
import com.pulumi.Pulumi;
import com.pulumi.exceptions.RunException;
import dev.priorityqueues.infra.config.InvalidConfigException;
import dev.priorityqueues.infra.config.PassedConfig;
import dev.priorityqueues.infra.config.Settings;

/** The Pulumi program: {@code pulumi up} at the repository root runs {@link #main}. */
public final class App {
  private App() {}

  public static void main(String[] args) {
    Pulumi.run(App::stack);
  }

  /**
   * Reads the stack's config into validated settings, then builds every resource. An invalid
   * config is raised as Pulumi's {@link RunException}, which the runner prints as its message
   * alone: the user sees the list of problems, not "an unhandled exception" and a stack trace.
   */
  public static void stack(Context ctx) {
    Settings settings;
    try {
      settings = Settings.fromConfig(ctx.config(), PassedConfig.fromEnvironment(System.getenv()));
    } catch (InvalidConfigException e) {
      throw new RunException(e.getMessage());
    }
    PriorityQueuesStack.build(ctx, settings);
  }
}
