package dev.priorityqueues.infra;

import com.pulumi.Context;
import dev.priorityqueues.infra.config.Settings;

/**
 * A stack of the program: one {@link PriorityQueues} built from validated {@link Settings}, whose
 * outputs become the stack's. {@link App} calls {@link #build} with the stack's config; tests and
 * the local cloud call it with settings they build or load from a stack file.
 */
public final class PriorityQueuesStack {
  /** The logical name of the stack's one component. */
  public static final String COMPONENT_NAME = "priority-queues";

  private PriorityQueuesStack() {}

  /**
   * Creates every resource and exports the outputs. Checks the function archives first: a
   * missing one stops the program before anything is created.
   */
  public static PriorityQueues build(Context ctx, Settings settings) {
    PriorityQueuesArgs args = PriorityQueuesArgs.forStack(settings, ctx.stackName());
    settings.warnings().forEach(warning -> ctx.log().warn(warning));
    PriorityQueues system = new PriorityQueues(COMPONENT_NAME, args, null);
    system.outputs().forEach(ctx::export);
    return system;
  }
}
