package dev.priorityqueues.infra.provider;

import com.pulumi.provider.internal.ComponentProviderHost;

/**
 * The component package's plugin: {@code provider/PulumiPlugin.yaml} ({@code runtime: java})
 * runs this, and Pulumi's engine asks it for the schema and to construct {@link PriorityQueues}.
 */
public final class Main {
  private Main() {}

  /** The package name: type tokens are {@code priority-queues:index:<component>}. */
  public static final String PACKAGE = "priority-queues";

  public static void main(String[] args) throws Exception {
    new ComponentProviderHost(PACKAGE, PriorityQueues.class.getPackage()).start(args);
  }
}
