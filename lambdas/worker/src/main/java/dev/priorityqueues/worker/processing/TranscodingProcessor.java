package dev.priorityqueues.worker.processing;

import dev.priorityqueues.common.Completion;
import dev.priorityqueues.common.ProcessedOutput;
import dev.priorityqueues.contract.Job;
import dev.priorityqueues.contract.Keys;
import dev.priorityqueues.contract.Transcoding;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The default processor: one FFmpeg run reads the upload through a presigned GET (streamed,
 * never copied to /tmp) and writes the renditions (H.264/AAC MP4, {@code +faststart}, never
 * upscaled) and a JPEG thumbnail, all watermarked, into one job directory under the scratch
 * directory; each is checked with the project's own container parser, uploaded side by side
 * under {@code processed/<videoKey>/} with a fixed name (so a re-run overwrites), and listed on
 * the video's record. The job
 * directory is removed after every job, and leftovers of a killed job before the next one.
 *
 * <p>Before FFmpeg starts, the time budget ({@link TimeBudget}) compares the estimate with the
 * time left: a video that could never finish in the function's timeout fails with the reason; one
 * that only does not fit in this invocation is retried. FFmpeg that overruns anyway is killed
 * before the deadline and the job is retried.
 */
public final class TranscodingProcessor implements VideoProcessor {

  public static final String THUMBNAIL_NAME = "thumbnail.jpg";
  /** The step of {@code stepMillis} that is the FFmpeg run itself (benchmarks set it beside the bare command). */
  public static final String FFMPEG_STEP = "ffmpeg";
  /** The step that uploads the outputs (the benchmark compares it across JIT settings). */
  public static final String UPLOAD_STEP = "upload";
  static final String JOBS_DIR = "pq-jobs";
  static final String WATERMARK_RESOURCE = "watermark.png";
  /** Job directories in use in this process. */
  private static final java.util.Set<Path> ACTIVE = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private final S3Client s3;
  private final S3Presigner presigner;
  private final String bucket;
  private final TranscodeSettings settings;
  private final Ffmpeg ffmpeg;
  private final OutputUploader uploader;

  public TranscodingProcessor(S3Client s3, S3Presigner presigner, String bucket, TranscodeSettings settings) {
    this(s3, presigner, bucket, settings, new OutputUploader(s3, bucket));
  }

  TranscodingProcessor(S3Client s3, S3Presigner presigner, String bucket, TranscodeSettings settings,
      OutputUploader uploader) {
    this.s3 = s3;
    this.presigner = presigner;
    this.bucket = bucket;
    this.settings = settings;
    this.ffmpeg = new Ffmpeg(settings.ffmpeg());
    this.uploader = uploader;
  }

  @Override
  public Completion process(Job job) {
    return process(job, () -> Long.MAX_VALUE / 4);
  }

  @Override
  public Completion process(Job job, LongSupplier remainingMillis) {
    if (!bucket.equals(job.bucket())) {
      throw new PermanentFailure("the job names bucket '" + job.bucket() + "'; this worker reads '" + bucket + "'");
    }
    Steps steps = new Steps();
    VideoInfo info = ContainerProbe.probe(new S3ByteSource(s3, bucket, UploadVersion.of(job)));
    List<Rung> ladder = ladder(info);
    checkBudget(info, ladder, remainingMillis.getAsLong());
    steps.done("probe");

    Path jobs = settings.scratch().resolve(JOBS_DIR);
    Path dir = jobs.resolve(safe(job.jobId()) + "-" + System.nanoTime());
    ACTIVE.add(dir); // before the sweep, so a concurrent job (the local cloud) never removes it
    try {
      Files.createDirectories(dir);
      sweep(jobs);
      Path watermark = dir.resolve(WATERMARK_RESOURCE);
      try (InputStream png = TranscodingProcessor.class.getResourceAsStream(WATERMARK_RESOURCE)) {
        Files.copy(png, watermark, StandardCopyOption.REPLACE_EXISTING);
      }
      List<String> source = presignedGet(UploadVersion.of(job), remainingMillis.getAsLong());
      steps.done("prepare");
      // One FFmpeg run reads the upload once and makes every output: the thumbnail's frame comes
      // from the same decode the renditions need.
      runFfmpeg(args(source, watermark, ladder, info), dir, remainingMillis, job.videoKey());
      steps.done(FFMPEG_STEP);

      List<ProcessedOutput> outputs = new ArrayList<>();
      for (Rung rung : ladder) {
        outputs.add(rendition(dir.resolve(rung.name()), job.videoKey(), rung.name()));
      }
      outputs.add(thumbnail(dir.resolve(THUMBNAIL_NAME), job.videoKey()));
      steps.done("check");
      uploadAll(dir, outputs);
      steps.done(UPLOAD_STEP);
      return new Completion(info.container(), info.durationMillis(), info.width(), info.height(), null, outputs,
          steps.millis());
    } catch (IOException e) {
      throw new UncheckedIOException("scratch directory " + dir + ": " + e.getMessage(), e);
    } finally {
      deleteTree(dir);
      ACTIVE.remove(dir);
    }
  }

  /** How long each step of a job took, in the order they ran. */
  private static final class Steps {
    private final Map<String, Long> millis = new LinkedHashMap<>();
    private long since = System.nanoTime();

    void done(String step) {
      long now = System.nanoTime();
      millis.put(step, (now - since) / 1_000_000);
      since = now;
    }

    Map<String, Long> millis() {
      return millis;
    }
  }

  /** Removes what killed jobs left: Lambda reuses /tmp across invocations of an environment. */
  private static void sweep(Path jobs) throws IOException {
    try (Stream<Path> children = Files.list(jobs)) {
      children.filter(child -> !ACTIVE.contains(child)).forEach(TranscodingProcessor::deleteTree);
    }
  }

  /**
   * The FFmpeg command a job runs for {@code input} (a URL or a file), for benchmarks that time
   * the bare command against the whole job. The watermark must be in the working directory as
   * {@value #WATERMARK_RESOURCE}.
   */
  public List<String> command(String input, VideoInfo info) {
    return args(input(input), Path.of(WATERMARK_RESOURCE), ladder(info), info);
  }

  /** The outputs go up side by side (each in parts when large): S3 takes parallel PUTs. */
  private void uploadAll(Path dir, List<ProcessedOutput> outputs) {
    try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
      List<java.util.concurrent.Future<Integer>> uploads = outputs.stream()
          .map(output -> pool.submit(() -> uploader.upload(dir.resolve(output.name()), output.key(),
              output.kind().equals(ProcessedOutput.THUMBNAIL) ? "image/jpeg" : "video/mp4")))
          .toList();
      for (var upload : uploads) {
        OutputUploader.join(upload);
      }
    }
  }

  /** Copies the shipped watermark into {@code dir}, where {@link #command} expects it. */
  public static void writeWatermark(Path dir) throws IOException {
    try (InputStream png = TranscodingProcessor.class.getResourceAsStream(WATERMARK_RESOURCE)) {
      Files.copy(png, dir.resolve(WATERMARK_RESOURCE), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  // ---- the ladder ------------------------------------------------------------------------

  /** One rendition: the target short side, how to scale to it, and its file name. */
  record Rung(int height, String scale) {
    String name() {
      return height + "p.mp4";
    }
  }

  /**
   * The configured heights that do not upscale the source; the short side is the "height" (so a
   * portrait 1080×1920 video's 720p is 720 wide). A source smaller than every rung gets one
   * rendition at its own size. Without dimensions, FFmpeg caps each rung at the source's.
   */
  List<Rung> ladder(VideoInfo info) {
    if (info.width() == null || info.height() == null) {
      return settings.renditions().stream()
          .map(h -> new Rung(h, "scale=-2:'min(" + h + ",ih)':flags=bicubic")).toList();
    }
    int w = info.width();
    int h = info.height();
    if (w <= 0 || h <= 0) {
      throw new NotAVideo("its video track is " + w + "x" + h);
    }
    boolean portrait = h > w;
    int shortSide = Math.min(w, h);
    List<Integer> heights = settings.renditions().stream().filter(r -> r <= shortSide).toList();
    if (heights.isEmpty()) {
      heights = List.of(Math.max(2, shortSide - shortSide % 2));
    }
    return heights.stream()
        .map(r -> new Rung(r, portrait ? "scale=" + r + ":-2" : "scale=-2:" + r))
        .toList();
  }

  private void checkBudget(VideoInfo info, List<Rung> ladder, long remaining) {
    if (info.durationMillis() == null) {
      return; // the container does not say; only the kill at the deadline guards this one
    }
    List<Integer> heights = ladder.stream().map(Rung::height).toList();
    long estimate = TimeBudget.estimateMillis(info.durationMillis(), heights, settings.speed(), settings.vcpus());
    long timeout = settings.timeoutMillis().orElse(Long.MAX_VALUE);
    // No invocation has more than the timeout, whatever a caller's clock says.
    long available = Math.min(remaining, timeout) - TimeBudget.RESERVE_MILLIS;
    if (estimate <= available) {
      return;
    }
    String why = String.format(Locale.ROOT, "the video is %.1f s long; at %.2f s of video per second per vCPU"
            + " with %.2f vCPUs, the %s ladder takes about %.1f s", info.durationMillis() / 1000.0,
        settings.speed(), settings.vcpus(), heights, estimate / 1000.0);
    if (estimate > timeout - TimeBudget.RESERVE_MILLIS || settings.timeoutMillis().isEmpty()) {
      throw new PermanentFailure("too long to transcode: " + why + ", but the worker has at most "
          + (Math.min(timeout, remaining) / 1000) + " s; raise workerMemoryMb or workerTimeoutSeconds,"
          + " or use fewer renditions");
    }
    throw new IllegalStateException("not started: " + why + " and this invocation has " + remaining / 1000
        + " s left; a fresh invocation has " + timeout / 1000 + " s");
  }

  // ---- FFmpeg ----------------------------------------------------------------------------

  /**
   * The renditions and the thumbnail from one decode: the source is split once per rendition
   * plus one for the thumbnail, whose branch keeps only the first frame at the offset. Every
   * output carries the watermark, sized to a tenth of its short side.
   */
  private List<String> args(List<String> source, Path watermark, List<Rung> ladder, VideoInfo info) {
    Long durationMillis = info.durationMillis();
    int n = ladder.size();
    boolean mark = settings.watermarkCorner() != Transcoding.Corner.NONE;
    StringBuilder graph = new StringBuilder("[0:v:0]split=" + (n + 1));
    for (int i = 0; i <= n; i++) {
      graph.append("[s").append(i).append(']');
    }
    if (mark) {
      graph.append(";[1:v]split=").append(n + 1);
      for (int i = 0; i <= n; i++) {
        graph.append("[w").append(i).append(']');
      }
    }
    for (int i = 0; i < n; i++) {
      Rung rung = ladder.get(i);
      graph.append(";[s").append(i).append(']').append(rung.scale()).append(",setsar=1");
      overlay(graph, i, mark, rung.height());
      graph.append(",format=yuv420p[o").append(i).append(']');
    }
    long at = settings.thumbnailOffsetMillis();
    if (durationMillis != null && at >= durationMillis) {
      at = durationMillis / 2; // a shorter video gives its middle frame
    }
    graph.append(";[s").append(n).append(']')
        .append(String.format(Locale.ROOT, "select='isnan(prev_selected_t)*gte(t,%.3f)'", at / 1000.0))
        .append(",scale=").append(Transcoding.THUMBNAIL_WIDTH).append(":-2,setsar=1");
    overlay(graph, n, mark, thumbnailShortSide(info));
    graph.append("[o").append(n).append(']');

    List<String> args = new ArrayList<>(source);
    if (mark) {
      args.addAll(List.of("-i", watermark.getFileName().toString()));
    }
    args.addAll(List.of("-filter_complex", graph.toString()));
    for (int i = 0; i < n; i++) {
      args.addAll(List.of("-map", "[o" + i + "]", "-map", "0:a:0?",
          "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-profile:v", "high",
          "-c:a", "aac", "-b:a", "128k", "-ac", "2",
          "-movflags", "+faststart", ladder.get(i).name()));
    }
    args.addAll(List.of("-map", "[o" + n + "]", "-frames:v", "1", "-q:v", "3", THUMBNAIL_NAME));
    return args;
  }

  /** The thumbnail's short side, for sizing its watermark: it is THUMBNAIL_WIDTH wide (16:9 if unknown). */
  private static int thumbnailShortSide(VideoInfo info) {
    int wide = Transcoding.THUMBNAIL_WIDTH;
    if (info.width() == null || info.height() == null || info.width() <= 0) {
      return wide * 9 / 16;
    }
    return Math.min(wide, (int) ((long) wide * info.height() / info.width()));
  }

  /** Appends the watermark's overlay to branch {@code i} of the graph, when there is one. */
  private void overlay(StringBuilder graph, int i, boolean mark, int shortSide) {
    if (!mark) {
      return;
    }
    int markHeight = Math.max(16, shortSide / 10 / 2 * 2);
    int margin = Math.max(4, shortSide / 40);
    graph.append("[v").append(i).append("];[w").append(i).append("]scale=-2:").append(markHeight)
        .append("[m").append(i).append("];[v").append(i).append("][m").append(i).append("]overlay=")
        .append(position(margin));
  }

  private String position(int margin) {
    return switch (settings.watermarkCorner()) {
      case TOP_LEFT -> margin + ":" + margin;
      case TOP_RIGHT -> "W-w-" + margin + ":" + margin;
      case BOTTOM_LEFT -> margin + ":H-h-" + margin;
      case BOTTOM_RIGHT, NONE -> "W-w-" + margin + ":H-h-" + margin;
    };
  }

  /** FFmpeg reads the object over HTTP(S), reconnecting on a dropped connection. */
  private static List<String> input(String url) {
    return url.startsWith("http")
        ? List.of("-reconnect", "1", "-reconnect_delay_max", "4", "-i", url)
        : List.of("-i", url);
  }

  private void runFfmpeg(List<String> args, Path dir, LongSupplier remainingMillis, String videoKey) {
    try {
      ffmpeg.run(args, dir, TimeBudget.killAfterMillis(remainingMillis.getAsLong()));
    } catch (Ffmpeg.Failed e) {
      RuntimeException input = S3Reads.onFfmpegInput(e, videoKey);
      if (input != null) {
        throw input;
      }
      if (e.reason().contains("matches no streams")) {
        throw new PermanentFailure("the upload has no video stream (audio only?): " + e.reason(), e);
      }
      throw new PermanentFailure("ffmpeg could not process the video: " + e.reason(), e);
    }
  }

  /**
   * FFmpeg's input options for the pinned upload: a presigned GET of its version (or, in a bucket
   * without versioning, one that S3 answers only while the ETag matches, the header signed).
   */
  private List<String> presignedGet(UploadVersion upload, long remainingMillis) {
    // Long enough for the whole job, within what SigV4 and the role's session allow.
    Duration lifetime = Duration.ofMillis(Math.min(Math.max(remainingMillis, 60_000), 3_600_000));
    var presigned = presigner.presignGetObject(b -> b.signatureDuration(lifetime)
        .getObjectRequest(g -> upload.pin(g.bucket(bucket))));
    List<String> args = new ArrayList<>();
    if (upload.ifMatch() != null) {
      args.addAll(List.of("-headers", "If-Match: " + upload.ifMatch() + "\r\n"));
    }
    args.addAll(input(presigned.url().toString()));
    return args;
  }

  // ---- checking what FFmpeg wrote ------------------------------------------------------------

  private ProcessedOutput rendition(Path file, String videoKey, String name) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException("ffmpeg exited cleanly but wrote no " + name);
    }
    VideoInfo out = ContainerProbe.probe(new FileByteSource(file));
    if (out.width() == null || out.height() == null || out.durationMillis() == null) {
      throw new IllegalStateException("ffmpeg wrote " + name + " without a video track's size and duration");
    }
    return new ProcessedOutput(ProcessedOutput.RENDITION, name, outputKey(videoKey, name), size(file), out.width(),
        out.height(), out.durationMillis());
  }

  private ProcessedOutput thumbnail(Path file, String videoKey) {
    if (!Files.isRegularFile(file)) {
      throw new PermanentFailure("ffmpeg found no frame for the thumbnail");
    }
    try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
      ImageReader reader = ImageIO.getImageReadersByFormatName("jpeg").next();
      reader.setInput(in);
      ProcessedOutput output = new ProcessedOutput(ProcessedOutput.THUMBNAIL, THUMBNAIL_NAME,
          outputKey(videoKey, THUMBNAIL_NAME), size(file), reader.getWidth(0), reader.getHeight(0), 0);
      reader.dispose();
      return output;
    } catch (IOException e) {
      throw new IllegalStateException("ffmpeg wrote a thumbnail that is not a JPEG: " + e.getMessage(), e);
    }
  }

  /** processed/&lt;videoKey&gt;/&lt;name&gt;: fixed per video, so a re-run overwrites. */
  public static String outputKey(String videoKey, String name) {
    return Keys.outputKey(videoKey, name);
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String safe(String jobId) {
    return jobId.replaceAll("[^A-Za-z0-9._-]", "_");
  }

  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The length of video the first job's gate assumes (see {@link #expectedMillis}). */
  static final long FIRST_GUESS_VIDEO_MILLIS = 10_000;

  @Override
  public long expectedMillis() {
    // Only the first job's gate, until the timer learns real times: a 10 s clip with this ladder.
    // Optimistic on purpose: each video's own budget is checked from its probed duration before
    // FFmpeg starts, while a pessimistic guess above a short timeout (the dev stack's 60 s) would
    // never let the worker start any job.
    return TimeBudget.estimateMillis(FIRST_GUESS_VIDEO_MILLIS, settings.renditions(), settings.speed(), settings.vcpus());
  }

  /** Warms the S3 client's read path and the uploader's multipart path, storing nothing. */
  @Override
  public void prime() {
    try {
      s3.headObject(b -> b.bucket(bucket).key(Keys.PRIME_VIDEO_KEY));
    } catch (software.amazon.awssdk.services.s3.model.S3Exception expected) {
      // 404 or 403: the request and response paths are warm either way.
    }
    uploader.prime();
  }
}
