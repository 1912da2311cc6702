package dev.priorityqueues.contract;

import java.util.Arrays;
import java.util.List;

/**
 * What becomes of an upload that will never be processed (REJECTED by its size, FAILED for good,
 * or ORPHANED): {@code rejectedInputs} in the config, part of {@link FunctionEnv#PRIVACY} in the
 * functions' environment. Either way the record keeps the reason.
 */
public enum RejectedInputs {
  /** The admitted version is deleted for good. */
  DELETE("delete"),
  /** The admitted version is moved under {@link Keys#QUARANTINE_PREFIX}, which expires on its own short rule. */
  QUARANTINE("quarantine");

  /** Keep nothing that failed: an input refused as too large or not a video has no use to its owner. */
  public static final RejectedInputs DEFAULT = DELETE;
  /** Days a quarantined input is kept before the lifecycle rule removes it. */
  public static final int DEFAULT_QUARANTINE_DAYS = 14;
  /** The longest quarantine, in days. */
  public static final int MAX_QUARANTINE_DAYS = 365;

  private final String id;

  RejectedInputs(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }

  public static List<String> ids() {
    return Arrays.stream(values()).map(RejectedInputs::id).toList();
  }

  /** The setting's text; the error names the variable or key and the allowed values. */
  public static RejectedInputs parse(String name, String text) {
    return Arrays.stream(values()).filter(v -> v.id.equals(text)).findFirst().orElseThrow(() ->
        new ContractException(name + " must be one of " + ids() + ", not '" + text + "'"));
  }
}
