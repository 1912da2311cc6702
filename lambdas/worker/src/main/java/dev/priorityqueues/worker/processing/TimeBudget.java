package dev.priorityqueues.worker.processing;

import dev.priorityqueues.contract.Transcoding;
import java.util.List;

/**
 * Whether a video can be transcoded in the time left, decided before FFmpeg starts. The
 * measured speed (seconds of video per second per vCPU, for the default ladder) is scaled by the
 * ladder's pixels: a ladder with twice the default's pixels takes about twice as long.
 */
public final class TimeBudget {

  /** Kept back from the deadline for the uploads and the record: FFmpeg is killed this early. */
  public static final long RESERVE_MILLIS = 5_000;
  /** Starting FFmpeg, the probe and the checks of its outputs. */
  static final long FIXED_MILLIS = 1_500;

  private static final double DEFAULT_LADDER_PIXELS = pixels(Transcoding.DEFAULT_RENDITIONS);

  private TimeBudget() {}

  /** The expected wall time of transcoding {@code durationMillis} of video to {@code heights}. */
  public static long estimateMillis(long durationMillis, List<Integer> heights, double speed, double vcpus) {
    double weight = pixels(heights) / DEFAULT_LADDER_PIXELS;
    return FIXED_MILLIS + (long) Math.ceil(durationMillis * weight / (speed * vcpus));
  }

  private static double pixels(List<Integer> heights) {
    return heights.stream().mapToDouble(h -> (double) h * h).sum();
  }

  /** How long FFmpeg may run before it is killed, given the invocation's remaining time. */
  public static long killAfterMillis(long remainingMillis) {
    return Math.max(0, remainingMillis - RESERVE_MILLIS);
  }
}
