package dev.priorityqueues.worker.processing;

import dev.priorityqueues.contract.EnvReader;
import dev.priorityqueues.contract.FunctionEnv;
import dev.priorityqueues.contract.Transcoding;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * What the transcode processor makes and how fast it expects to be, read once from the
 * environment, each value checked with the contract's rule (the program checked it too).
 *
 * @param vcpus the function's vCPUs: its memory / 1,769 MB on Lambda, the machine's otherwise
 * @param timeoutMillis the function's timeout, when the program set it: a video whose estimate
 *     exceeds it can never finish, while one that only exceeds this invocation's remaining time
 *     is retried in a fresh invocation
 */
public record TranscodeSettings(
    Path ffmpeg,
    Path scratch,
    List<Integer> renditions,
    Transcoding.Corner watermarkCorner,
    long thumbnailOffsetMillis,
    double speed,
    double vcpus,
    OptionalLong timeoutMillis) {

  public TranscodeSettings {
    renditions = List.copyOf(renditions);
  }

  public static TranscodeSettings from(EnvReader env) {
    double vcpus = env.optional(FunctionEnv.AWS_LAMBDA_FUNCTION_MEMORY_SIZE)
        .map(mb -> Math.max(1.0, Integer.parseInt(mb) / (double) Transcoding.MB_PER_VCPU))
        .orElse((double) Runtime.getRuntime().availableProcessors());
    return new TranscodeSettings(
        Path.of(env.optional(FunctionEnv.FFMPEG).orElse(Transcoding.LAMBDA_FFMPEG)),
        Path.of(env.optional(FunctionEnv.SCRATCH_DIR).orElse(System.getProperty("java.io.tmpdir"))),
        env.optional(FunctionEnv.RENDITIONS).map(t -> Transcoding.parseRenditions(t, FunctionEnv.RENDITIONS))
            .orElse(Transcoding.DEFAULT_RENDITIONS),
        env.optional(FunctionEnv.WATERMARK_CORNER).map(t -> Transcoding.Corner.parse(t, FunctionEnv.WATERMARK_CORNER))
            .orElse(Transcoding.DEFAULT_WATERMARK_CORNER),
        env.longValue(FunctionEnv.THUMBNAIL_OFFSET_MILLIS, Transcoding.DEFAULT_THUMBNAIL_OFFSET_MILLIS, 0,
            Transcoding.MAX_THUMBNAIL_OFFSET_MILLIS),
        env.optional(FunctionEnv.TRANSCODE_SPEED).map(t -> Transcoding.parseSpeed(t, FunctionEnv.TRANSCODE_SPEED))
            .orElse(Transcoding.DEFAULT_SPEED),
        vcpus,
        env.optional(FunctionEnv.WORKER_TIMEOUT_SECONDS)
            .map(t -> OptionalLong.of(1000L * env.intValue(FunctionEnv.WORKER_TIMEOUT_SECONDS, 900, 1, 900)))
            .orElse(OptionalLong.empty()));
  }

  public TranscodeSettings withRenditions(List<Integer> heights) {
    return new TranscodeSettings(ffmpeg, scratch, heights, watermarkCorner, thumbnailOffsetMillis, speed, vcpus,
        timeoutMillis);
  }

  public TranscodeSettings withSpeed(double newSpeed, double newVcpus) {
    return new TranscodeSettings(ffmpeg, scratch, renditions, watermarkCorner, thumbnailOffsetMillis, newSpeed,
        newVcpus, timeoutMillis);
  }

  public TranscodeSettings withCorner(Transcoding.Corner corner) {
    return new TranscodeSettings(ffmpeg, scratch, renditions, corner, thumbnailOffsetMillis, speed, vcpus,
        timeoutMillis);
  }
}
