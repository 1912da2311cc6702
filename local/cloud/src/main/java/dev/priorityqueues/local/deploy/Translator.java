package dev.priorityqueues.local.deploy;

import dev.priorityqueues.local.servers.LocalAws;
import java.util.Map;
import java.util.Set;

/**
 * Turns the resources of one AWS service, as the program declares them, into local ones:
 * created on a local server or recorded for the local cloud to run. {@link LocalDeployer} hands
 * each resource to the translator of its type.
 */
abstract class Translator {
  /** Where each resource is listed as emulated or not, with why. */
  protected final EmulationLog log;
  protected final String region = LocalAws.REGION;
  protected final String account = LocalAws.ACCOUNT_ID;
  private final Set<String> types;

  /** A translator for resources of {@code types}, listing each in {@code log}. */
  Translator(EmulationLog log, String... types) {
    this.log = log;
    this.types = Set.of(types);
  }

  /** The Pulumi resource types this translator takes. */
  final Set<String> types() {
    return types;
  }

  /**
   * Creates or records one resource and fills {@code state} with the outputs AWS would return.
   *
   * @return the resource's physical id
   */
  abstract String create(String type, String name, Map<String, Object> in, Map<String, Object> state);
}
