package dev.priorityqueues.worker.processing;

import dev.priorityqueues.contract.FunctionEnv;
import dev.priorityqueues.contract.ProcessorSpec;
import java.time.Clock;
import java.util.OptionalLong;
import java.util.function.Supplier;
import software.amazon.awssdk.services.s3.S3Client;

/** Builds the processor that {@code PQ_PROCESSOR} names. */
public final class Processors {
  private Processors() {}

  /**
   * @param spec {@code inspect}, {@code simulated:<millis>}, or null when unset (EnvReader has
   *     already trimmed it and turned a blank value into unset)
   * @param s3 the S3 client, asked for only when the spec needs one
   */
  public static VideoProcessor fromSpec(String spec, String bucket, Supplier<S3Client> s3, Clock clock) {
    OptionalLong simulated = spec == null ? OptionalLong.empty() : ProcessorSpec.simulatedMillis(spec, FunctionEnv.PROCESSOR);
    return simulated.isPresent()
        ? new SimulatedProcessor(simulated.getAsLong())
        : new InspectingProcessor(s3.get(), bucket, clock);
  }
}
