package dev.priorityqueues.local.deploy;

import java.util.Map;
import java.util.Set;

/**
 * Turns the resources of one AWS service, as the program declares them, into local ones:
 * created on a local server or recorded for the local cloud to run. {@link LocalDeployer} hands
 * each resource to the translator of its type.
 */
interface Translator {

  /** The Pulumi resource types this translator takes. */
  Set<String> types();

  /**
   * Creates or records one resource and fills {@code state} with the outputs AWS would return.
   *
   * @return the resource's physical id
   */
  String create(String type, String name, Map<String, Object> in, Map<String, Object> state);
}
