package dev.priorityqueues.infra.components;

import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.Resource;
import java.util.Objects;

/**
 * Base of the program's components: type tokens in the project's namespace, children named
 * {@code <name>-<suffix>} and parented to the component.
 */
public abstract class Component extends ComponentResource {
  /** Type tokens are {@code priority-queues:index:<Class>}. */
  public static final String TYPE_PREFIX = "priority-queues:index:";

  private final String name;

  protected Component(String type, String name, ComponentResourceOptions options) {
    super(TYPE_PREFIX + type, name, options == null ? ComponentResourceOptions.Empty : options);
    this.name = Objects.requireNonNull(name, "name");
  }

  /** The component's logical name; every child's name starts with it. */
  public String name() {
    return name;
  }

  protected String childName(String suffix) {
    return name + "-" + suffix;
  }

  /** Options for a child: parented to this component, created after {@code dependsOn}. */
  protected CustomResourceOptions child(Resource... dependsOn) {
    CustomResourceOptions.Builder options = CustomResourceOptions.builder().parent(this);
    if (dependsOn.length > 0) {
      options.dependsOn(dependsOn);
    }
    return options.build();
  }
}
