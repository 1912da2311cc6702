package dev.priorityqueues.contract;

import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The worker's processor setting, {@code transcode} (default), {@code inspect} or
 * {@code simulated:<millis>} (benchmarks): the program
 * validates it at deploy time and the worker builds its processor from it, with one rule.
 */
public final class ProcessorSpec {
  private ProcessorSpec() {}

  public static final String TRANSCODE = "transcode";
  public static final String INSPECT = "inspect";
  public static final String SIMULATED_PREFIX = "simulated:";

  /** The longest simulated job: a Lambda function runs at most 15 minutes. */
  public static final long MAX_SIMULATED_MILLIS = 900_000;

  private static final Pattern SPEC =
      Pattern.compile(TRANSCODE + "|" + INSPECT + "|" + SIMULATED_PREFIX + "(\\d{1,9})");

  /** The default: real FFmpeg processing. */
  public static final String DEFAULT = TRANSCODE;

  /** True for {@code transcode}, after checking the whole spec. */
  public static boolean isTranscode(String spec, String what) {
    simulatedMillis(spec, what);
    return TRANSCODE.equals(spec);
  }

  /**
   * The simulated job time, or empty for {@code transcode} and {@code inspect}.
   *
   * @param what the setting's name, for the error
   * @throws ContractException naming {@code what} and the allowed values
   */
  public static OptionalLong simulatedMillis(String spec, String what) {
    Matcher m = SPEC.matcher(spec == null ? "" : spec);
    if (m.matches()) {
      if (m.group(1) == null) {
        return OptionalLong.empty();
      }
      long millis = Long.parseLong(m.group(1));
      if (millis <= MAX_SIMULATED_MILLIS) {
        return OptionalLong.of(millis);
      }
    }
    throw new ContractException(what + " must be '" + TRANSCODE + "', '" + INSPECT + "' or '" + SIMULATED_PREFIX
        + "<millis>' with millis from 0 to " + MAX_SIMULATED_MILLIS + ", not '" + spec + "'");
  }
}
