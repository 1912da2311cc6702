package dev.priorityqueues.contract;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The transcoding settings the program validates at deploy time and the worker reads from its
 * environment, with their defaults and limits in one place.
 */
public final class Transcoding {
  private Transcoding() {}

  // ---- the FFmpeg layer -------------------------------------------------------------------

  /** Lambda architectures the layer is built for; the worker runs on one of them. */
  public static final List<String> ARCHITECTURES = List.of("x86_64", "arm64");
  public static final String DEFAULT_ARCHITECTURE = "x86_64";

  /** Where Lambda puts the layer's {@code bin/ffmpeg}: layers are unpacked under /opt. */
  public static final String LAMBDA_FFMPEG = "/opt/bin/ffmpeg";
  /** The layer archive's FFmpeg. */
  public static final String LAYER_BINARY = "bin/ffmpeg";
  /**
   * The layer archive's native crypto provider (Amazon Corretto Crypto Provider), for the
   * architecture's own native library: Lambda's Java runtime puts /opt/java/lib/*.jar on the
   * classpath, and the worker installs it at init.
   */
  public static final String LAYER_CRYPTO_JAR = "java/lib/AmazonCorrettoCryptoProvider.jar";

  /** The layer archive for an architecture, relative to the repository root. */
  public static String layerArchive(String architecture) {
    if (!ARCHITECTURES.contains(architecture)) {
      throw new ContractException("architecture must be one of " + ARCHITECTURES + ", not '" + architecture + "'");
    }
    return "lambdas/ffmpeg-layer/target/ffmpeg-layer-" + architecture + ".zip";
  }

  // ---- storage ------------------------------------------------------------------------------

  /** Lambda's /tmp: 512 MB to 10,240 MB. */
  public static final int MIN_EPHEMERAL_STORAGE_MB = 512;
  public static final int MAX_EPHEMERAL_STORAGE_MB = 10_240;
  /** SnapStart is refused for a function with more ephemeral storage than this. */
  public static final int SNAPSTART_MAX_EPHEMERAL_STORAGE_MB = 512;

  // ---- what the worker makes -----------------------------------------------------------------

  /** The default ladder: 720p and 360p, never above the source's height. */
  public static final List<Integer> DEFAULT_RENDITIONS = List.of(720, 360);
  public static final int MIN_RENDITION_HEIGHT = 144;
  public static final int MAX_RENDITION_HEIGHT = 2160;
  public static final int MAX_RENDITIONS = 4;

  public static final long DEFAULT_THUMBNAIL_OFFSET_MILLIS = 1_000;
  public static final long MAX_THUMBNAIL_OFFSET_MILLIS = 3_600_000;
  /** Thumbnail width in pixels; the height keeps the aspect ratio. */
  public static final int THUMBNAIL_WIDTH = 320;

  /** Where the watermark sits. */
  public enum Corner {
    TOP_LEFT, TOP_RIGHT, BOTTOM_LEFT, BOTTOM_RIGHT, NONE;

    public String id() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Corner parse(String text, String what) {
      for (Corner corner : values()) {
        if (corner.id().equals(text)) {
          return corner;
        }
      }
      throw new ContractException(what + " must be one of "
          + Arrays.stream(values()).map(Corner::id).toList() + ", not '" + text + "'");
    }
  }

  public static final Corner DEFAULT_WATERMARK_CORNER = Corner.BOTTOM_RIGHT;

  // ---- time budget ------------------------------------------------------------------------

  /** Lambda gives a function one vCPU per 1,769 MB of memory. */
  public static final int MB_PER_VCPU = 1_769;

  /**
   * Seconds of video one vCPU transcodes per wall-clock second for the default ladder, measured
   * by {@code ./pq transcode-bench} (docs/benchmarks/transcode.md). The time budget divides a
   * video's duration by this times the function's vCPUs. About half the 0.96 measured on an idle
   * 2-vCPU x86_64 machine: Lambda's vCPUs and neighbours vary, and erring low refuses a video that
   * would have fitted rather than starting one that overruns.
   */
  public static final double DEFAULT_SPEED = 0.5;
  public static final double MIN_SPEED = 0.01;
  public static final double MAX_SPEED = 100;

  /**
   * Parses a ladder: comma-separated heights, distinct, each {@value #MIN_RENDITION_HEIGHT} to
   * {@value #MAX_RENDITION_HEIGHT} and even (H.264 needs even dimensions), 1 to
   * {@value #MAX_RENDITIONS} of them. Returned highest first.
   */
  public static List<Integer> parseRenditions(String text, String what) {
    List<Integer> heights = new ArrayList<>();
    String problem = null;
    String[] parts = text == null ? new String[0] : text.split(",", -1);
    for (String part : parts) {
      String trimmed = part.trim();
      if (!trimmed.matches("\\d{1,5}")) {
        problem = "'" + trimmed + "' is not a height";
        break;
      }
      int height = Integer.parseInt(trimmed);
      if (height < MIN_RENDITION_HEIGHT || height > MAX_RENDITION_HEIGHT || height % 2 != 0) {
        problem = height + " is not an even height from " + MIN_RENDITION_HEIGHT + " to " + MAX_RENDITION_HEIGHT;
        break;
      }
      if (heights.contains(height)) {
        problem = height + " is listed twice";
        break;
      }
      heights.add(height);
    }
    if (problem == null && (heights.isEmpty() || heights.size() > MAX_RENDITIONS)) {
      problem = "there must be 1 to " + MAX_RENDITIONS + " heights";
    }
    if (problem != null) {
      throw new ContractException(what + " must list 1 to " + MAX_RENDITIONS + " distinct even heights from "
          + MIN_RENDITION_HEIGHT + " to " + MAX_RENDITION_HEIGHT + " (e.g. 720,360): " + problem
          + ", in '" + text + "'");
    }
    heights.sort(java.util.Comparator.reverseOrder());
    return List.copyOf(heights);
  }

  public static String renditionsText(List<Integer> heights) {
    return String.join(",", heights.stream().map(String::valueOf).toList());
  }

  /** The speed factor, a decimal number in range. */
  public static double parseSpeed(String text, String what) {
    double speed;
    try {
      speed = Double.parseDouble(text.trim());
    } catch (RuntimeException e) {
      speed = Double.NaN;
    }
    if (!(speed >= MIN_SPEED && speed <= MAX_SPEED)) {
      throw new ContractException(what + " must be a number from " + MIN_SPEED + " to " + MAX_SPEED
          + " (seconds of video per second per vCPU), not '" + text + "'");
    }
    return speed;
  }
}
