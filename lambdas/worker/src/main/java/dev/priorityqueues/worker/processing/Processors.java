package dev.priorityqueues.worker.processing;

import dev.priorityqueues.contract.FunctionEnv;
import dev.priorityqueues.contract.ProcessorSpec;
import java.time.Clock;
import java.util.OptionalLong;
import java.util.function.Supplier;
import dev.priorityqueues.contract.EnvReader;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** Builds the processor that {@code PQ_PROCESSOR} names. */
public final class Processors {
  private Processors() {}

  /**
   * @param spec {@code transcode}, {@code inspect}, {@code simulated:<millis>}, or null when unset
   *     (transcode; EnvReader has already trimmed it and turned a blank value into unset)
   * @param s3 the S3 client, asked for only when the spec needs one
   */
  public static VideoProcessor fromSpec(String spec, String bucket, Supplier<S3Client> s3,
      Supplier<S3Presigner> presigner, EnvReader env, Clock clock) {
    String chosen = spec == null ? ProcessorSpec.DEFAULT : spec;
    OptionalLong simulated = ProcessorSpec.simulatedMillis(chosen, FunctionEnv.PROCESSOR);
    if (simulated.isPresent()) {
      return new SimulatedProcessor(simulated.getAsLong());
    }
    return ProcessorSpec.isTranscode(chosen, FunctionEnv.PROCESSOR)
        ? new TranscodingProcessor(s3.get(), presigner.get(), bucket, TranscodeSettings.from(env))
        : new InspectingProcessor(s3.get(), bucket, clock);
  }
}
