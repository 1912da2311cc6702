package dev.priorityqueues.worker.processing;

import dev.priorityqueues.contract.ContractException;
import dev.priorityqueues.contract.FunctionEnv;
import java.time.Clock;
import java.util.function.Supplier;
import software.amazon.awssdk.services.s3.S3Client;

/** Builds the processor that {@code PQ_PROCESSOR} names. */
public final class Processors {
  private Processors() {}

  public static final String INSPECT = "inspect";
  public static final String SIMULATED_PREFIX = "simulated:";

  /** The longest simulated job: a Lambda function runs at most 15 minutes. */
  static final long MAX_SIMULATED_MILLIS = 900_000;

  /**
   * @param spec {@code inspect} (or unset) or {@code simulated:<millis>}
   * @param s3 the S3 client, asked for only when the spec needs one
   */
  public static VideoProcessor fromSpec(String spec, String bucket, Supplier<S3Client> s3, Clock clock) {
    if (spec == null || spec.isBlank() || spec.trim().equals(INSPECT)) {
      return new InspectingProcessor(s3.get(), bucket, clock);
    }
    String value = spec.trim();
    if (value.startsWith(SIMULATED_PREFIX)) {
      String millis = value.substring(SIMULATED_PREFIX.length());
      try {
        long parsed = Long.parseLong(millis);
        if (parsed >= 0 && parsed <= MAX_SIMULATED_MILLIS) {
          return new SimulatedProcessor(parsed);
        }
      } catch (NumberFormatException e) {
        // Falls through to the error below, which says what is allowed.
      }
    }
    throw new ContractException(FunctionEnv.PROCESSOR + " must be '" + INSPECT + "' or '" + SIMULATED_PREFIX
        + "<millis>' with millis from 0 to " + MAX_SIMULATED_MILLIS + ", not '" + spec + "'");
  }
}
