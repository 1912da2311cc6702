package dev.priorityqueues.infra;

import com.pulumi.Context;
import com.pulumi.Pulumi;
import dev.priorityqueues.infra.config.PassedConfig;
import dev.priorityqueues.infra.config.Settings;

/** The Pulumi program: {@code pulumi up} at the repository root runs {@link #main}. */
public final class App {
  private App() {}

  public static void main(String[] args) {
    Pulumi.run(App::stack);
  }

  /** Reads the stack's config into validated settings, then builds every resource. */
  public static void stack(Context ctx) {
    PriorityQueuesStack.build(ctx, Settings.fromConfig(ctx.config(), PassedConfig.fromEnvironment(System.getenv())));
  }
}
