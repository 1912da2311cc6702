package dev.priorityqueues.local.cli;

import dev.priorityqueues.common.AwsClients;
import dev.priorityqueues.contract.EnvReader;
import dev.priorityqueues.contract.Functions;
import dev.priorityqueues.contract.Job;
import dev.priorityqueues.contract.Keys;
import dev.priorityqueues.contract.Transcoding;
import dev.priorityqueues.local.cloud.FfmpegLayer;
import dev.priorityqueues.local.cloud.LocalStacks;
import dev.priorityqueues.local.servers.LocalAws;
import dev.priorityqueues.worker.processing.ContainerProbe;
import dev.priorityqueues.worker.processing.Ffmpeg;
import dev.priorityqueues.worker.processing.FileByteSource;
import dev.priorityqueues.worker.processing.TranscodeSettings;
import dev.priorityqueues.worker.processing.TranscodingProcessor;
import dev.priorityqueues.worker.processing.VideoInfo;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The transcode benchmark: the layer's ffmpeg on clips it makes itself, measured side by side in
 * one run: the bare FFmpeg commands against the whole job (presigned GET from S3Proxy, outputs
 * checked and uploaded), the JVM's peak heap for a small and a large input, peak scratch use, and
 * the speed in seconds of video per second per vCPU. Writes a Markdown report.
 */
@Command(name = "transcode-bench", mixinStandardHelpOptions = true,
    description = "Measure transcoding: speed per vCPU, job vs bare ffmpeg, heap and /tmp; writes a Markdown report.")
public final class TranscodeBenchCommand implements Callable<Integer> {

  /** Lambda's list prices (us-east-1, first tier, 2026): per GB-second and per request. */
  static final double X86_GB_SECOND = 0.0000166667;
  static final double ARM_GB_SECOND = 0.0000133334;
  static final double REQUEST = 0.0000002;

  @Option(names = "--seconds", defaultValue = "10", description = "Duration of the clips, 1 to 120 (default: ${DEFAULT-VALUE}).")
  int seconds;

  @Option(names = "--height", defaultValue = "1080", description = "Source height, 240 to 2160 (default: ${DEFAULT-VALUE}).")
  int height;

  @Option(names = "--large-mb", defaultValue = "1024", description = "Size to aim the large input at, in MB, 1 to 4096 (default: ${DEFAULT-VALUE}).")
  int largeMb;

  @Option(names = "--out", defaultValue = "docs/benchmarks/transcode.md", description = "The report (default: ${DEFAULT-VALUE}).")
  Path out;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** One measured input: the job against the bare commands. */
  record Run(String name, long inputBytes, long videoMillis, double bareSeconds, double jobSeconds, long heapPeak,
      long scratchPeak, long outputBytes) {}

  @Override
  public Integer call() throws Exception {
    Console.requireRange(spec, "--seconds", seconds, 1, 120, "seconds");
    Console.requireRange(spec, "--height", height, 240, 2160);
    Console.requireRange(spec, "--large-mb", largeMb, 1, 4096);
    PrintStream console = System.out;
    Path projectDir = LocalStacks.projectDir();
    String arch = hostArchitecture();
    Path ffmpeg = FfmpegLayer.unpack(projectDir, arch);
    Path work = projectDir.resolve("local/cloud/work/transcode-bench");
    Files.createDirectories(work);
    int cpus = Runtime.getRuntime().availableProcessors();
    int width = height * 16 / 9 / 2 * 2;

    console.printf("Making the clips with %s (%d s at %dx%d) ...%n", ffmpeg, seconds, width, height);
    String tag = height + "p-" + seconds + "s";
    Path small = clip(ffmpeg, work, "small-" + tag + ".mp4", width, height, seconds, "testsrc2", "-preset", "veryfast",
        "-crf", "23");
    // Noise at lossless quality cannot be compressed: the large input is big for the same duration.
    long rawFrameBytes = (long) width * height * 3 / 2;
    int largeSeconds = (int) Math.max(1, Math.min(120, Math.ceil(largeMb * 1024.0 * 1024 / (rawFrameBytes * 25.0))));
    Path large = clip(ffmpeg, work, "large-" + height + "p-" + largeMb + "mb.mp4", width, height, largeSeconds,
        "testsrc2", "-vf", "noise=alls=100:allf=t+u", "-preset", "ultrafast", "-qp", "0");

    Path scratch = work.resolve("scratch");
    deleteTree(scratch);
    deleteTree(work.resolve("s3"));
    Files.createDirectories(scratch);
    Files.createDirectories(work.resolve("s3"));
    try (LocalAws aws = LocalAws.start(new LocalAws.Options(work.resolve("s3"), java.util.function.UnaryOperator.identity()));
        AwsClients clients = new AwsClients(new EnvReader(aws.clientEnvironment()))) {
      String bucket = "bench";
      clients.s3().createBucket(b -> b.bucket(bucket));
      TranscodeSettings settings = new TranscodeSettings(ffmpeg, scratch, Transcoding.DEFAULT_RENDITIONS,
          Transcoding.DEFAULT_WATERMARK_CORNER, Transcoding.DEFAULT_THUMBNAIL_OFFSET_MILLIS, Transcoding.DEFAULT_SPEED,
          cpus, OptionalLong.empty());
      TranscodingProcessor processor = new TranscodingProcessor(clients.s3(), clients.presigner(), bucket, settings);
      TranscodingProcessor oneRendition = new TranscodingProcessor(clients.s3(), clients.presigner(), bucket,
          settings.withRenditions(List.of(720)));

      List<Run> runs = new ArrayList<>();
      for (Path input : List.of(small, large)) {
        console.printf("Measuring %s (%d MB) ...%n", input.getFileName(), Files.size(input) >> 20);
        runs.add(measure(console, ffmpeg, work, clients, bucket, processor, input));
      }
      VideoInfo smallInfo = ContainerProbe.probe(new FileByteSource(small));
      double oneRenditionSeconds = bare(ffmpeg, work, oneRendition, small, smallInfo);
      String report = report(runs, oneRenditionSeconds, smallInfo.durationMillis(), cpus, arch, projectDir);
      Files.createDirectories(out.toAbsolutePath().getParent());
      Files.writeString(out, report);
      console.println(report);
      console.println("Report: " + out.toAbsolutePath());
    } finally {
      deleteTree(work.resolve("s3"));
    }
    return 0;
  }

  private Run measure(PrintStream console, Path ffmpeg, Path work, AwsClients clients, String bucket,
      TranscodingProcessor processor, Path input) throws Exception {
    VideoInfo info = ContainerProbe.probe(new FileByteSource(input));
    double bareSeconds = bare(ffmpeg, work, processor, input, info);

    String key = Keys.uploadKey("bench", UUID.randomUUID(), "mp4");
    clients.s3().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromFile(input));
    Job job = new Job(UUID.randomUUID().toString(), bucket, key, "bench", "bench", Instant.now());
    Path scratch = work.resolve("scratch");
    System.gc();
    List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == MemoryType.HEAP).toList();
    heap.forEach(MemoryPoolMXBean::resetPeakUsage);
    AtomicLong scratchPeak = new AtomicLong();
    AtomicBoolean running = new AtomicBoolean(true);
    Thread sampler = Thread.ofPlatform().daemon().start(() -> {
      while (running.get()) {
        scratchPeak.accumulateAndGet(size(scratch), Math::max);
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    long start = System.nanoTime();
    var completion = processor.process(job);
    double jobSeconds = (System.nanoTime() - start) / 1e9;
    running.set(false);
    sampler.join();
    long heapPeak = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    long outputBytes = completion.outputs().stream().mapToLong(o -> o.bytes()).sum();
    console.printf(Locale.ROOT, "  bare ffmpeg %.1f s, job %.1f s, heap peak %d MB, scratch peak %d MB%n",
        bareSeconds, jobSeconds, heapPeak >> 20, scratchPeak.get() >> 20);
    return new Run(input.getFileName().toString(), Files.size(input), info.durationMillis(), bareSeconds, jobSeconds,
        heapPeak, scratchPeak.get(), outputBytes);
  }

  /** The job's own two FFmpeg commands on the local file, timed. */
  private static double bare(Path ffmpeg, Path work, TranscodingProcessor processor, Path input, VideoInfo info)
      throws IOException {
    Path dir = work.resolve("bare-" + System.nanoTime());
    Files.createDirectories(dir);
    TranscodingProcessor.writeWatermark(dir);
    long start = System.nanoTime();
    for (List<String> command : processor.commands(input.toAbsolutePath().toString(), info)) {
      new Ffmpeg(ffmpeg).run(command, dir, 3_600_000);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    deleteTree(dir);
    return seconds;
  }

  /** A clip made once per set of parameters and kept for the next run (making one takes longest). */
  private static Path clip(Path ffmpeg, Path dir, String name, int w, int h, int seconds, String source,
      String... encode) {
    if (Files.isRegularFile(dir.resolve(name))) {
      return dir.resolve(name);
    }
    List<String> args = new ArrayList<>(List.of("-f", "lavfi", "-i", source + "=size=" + w + "x" + h
        + ":rate=25:duration=" + seconds, "-f", "lavfi", "-i", "sine=frequency=440:duration=" + seconds));
    args.addAll(List.of(encode));
    args.addAll(List.of("-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", "partial-" + name));
    new Ffmpeg(ffmpeg).run(args, dir, 3_600_000);
    try {
      Files.move(dir.resolve("partial-" + name), dir.resolve(name));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return dir.resolve(name);
  }

  String report(List<Run> runs, double oneRenditionSeconds, long videoMillis, int cpus, String arch, Path root)
      throws IOException {
    Run small = runs.get(0);
    Run large = runs.get(1);
    double video = videoMillis / 1000.0;
    double ladderSpeed = video / small.bareSeconds() / cpus;
    double oneSpeed = video / oneRenditionSeconds / cpus;
    StringBuilder md = new StringBuilder();
    md.append("# Transcoding benchmark\n\n")
        .append("Made by `./pq transcode-bench` (").append(Instant.now().toString(), 0, 10).append(", ")
        .append(cpus).append(" vCPUs, ").append(arch).append(", the layer's static FFmpeg 4.4.1). Every figure below")
        .append(" comes from one run on this machine; the clips are `testsrc2` with a 440 Hz tone, ")
        .append(height).append("p, made by the same ffmpeg. The machine was shared with other builds, so")
        .append(" absolute times are noisy; the ratios compare runs made back to back.\n\n");
    md.append("## Speed\n\n| ladder | seconds of video per wall-clock second per vCPU |\n|---|---|\n")
        .append(String.format(Locale.ROOT, "| default (720p + 360p, watermark, thumbnail) | %.3f |%n", ladderSpeed))
        .append(String.format(Locale.ROOT, "| one rendition (720p, watermark, thumbnail) | %.3f |%n%n", oneSpeed))
        .append("`transcodeSpeed` (the time budget's factor) defaults to ").append(Transcoding.DEFAULT_SPEED)
        .append(ladderSpeed >= Transcoding.DEFAULT_SPEED
            ? ": at or below the default-ladder speed measured here, so the budget errs towards refusing.\n\n"
            : ": above the default-ladder speed measured in this run, so on a machine this busy the budget would"
                + " accept videos that then overrun (FFmpeg is killed before the deadline and the job retried)."
                + " Set `transcodeSpeed` from a run on the worker's own hardware.\n\n");
    md.append("## Targets, side by side\n\n| input | size | video | bare ffmpeg | whole job | job ÷ bare | peak heap |"
        + " peak scratch | outputs + input |\n|---|---|---|---|---|---|---|---|---|\n");
    for (Run run : runs) {
      md.append(String.format(Locale.ROOT, "| %s | %.1f MB | %.1f s | %.2f s | %.2f s | %.2fx | %.1f MB | %.1f MB | %.1f MB |%n",
          run.name(), run.inputBytes() / 1048576.0, run.videoMillis() / 1000.0, run.bareSeconds(), run.jobSeconds(),
          run.jobSeconds() / run.bareSeconds(), run.heapPeak() / 1048576.0, run.scratchPeak() / 1048576.0,
          (run.outputBytes() + run.inputBytes()) / 1048576.0));
    }
    md.append(String.format(Locale.ROOT, "%n- Job wall time ÷ bare ffmpeg: %.2fx (small), %.2fx (large); target ≤ 1.10x.%n",
        small.jobSeconds() / small.bareSeconds(), large.jobSeconds() / large.bareSeconds()));
    md.append(String.format(Locale.ROOT, "- Peak heap, large ÷ small input: %.2fx (input %.0fx larger); target ≤ 1.2x."
            + " The heap is this JVM's, S3Proxy included, so it overstates the worker's.%n",
        (double) large.heapPeak() / small.heapPeak(), (double) large.inputBytes() / small.inputBytes()));
    md.append(String.format(Locale.ROOT, "- Peak scratch (/tmp) ≤ outputs + one input: %s (small), %s (large)."
            + " The input is streamed, so scratch holds only the outputs.%n%n",
        small.scratchPeak() <= small.outputBytes() + small.inputBytes() ? "yes" : "NO",
        large.scratchPeak() <= large.outputBytes() + large.inputBytes() ? "yes" : "NO"));
    md.append("## Sizes\n\n| artifact | size |\n|---|---|\n");
    for (String a : Transcoding.ARCHITECTURES) {
      Path layer = root.resolve(Transcoding.layerArchive(a));
      md.append(String.format(Locale.ROOT, "| FFmpeg layer, %s (zip) | %s |%n", a, mb(layer)));
    }
    md.append(String.format(Locale.ROOT, "| worker jar (no codec) | %s |%n%n", mb(root.resolve(Functions.WORKER.archive()))));
    md.append("## Lambda cost per minute of video\n\nWith linear scaling the cost is the same at every memory size:"
        + " twice the memory costs twice per second and finishes in half the time; more memory buys latency,"
        + " not savings.\n\nAssumptions: list prices in us-east-1 (x86_64 $")
        .append(X86_GB_SECOND).append(" and arm64 $").append(ARM_GB_SECOND).append(" per GB-second, $")
        .append(REQUEST).append(" per request), one request per minute of video, the default ladder at the speed")
        .append(" measured above per vCPU, scaling linearly with vCPUs (1 per 1,769 MB; FFmpeg's x264 threads");
    md.append(" scale well to 6), arm64 assumed as fast per vCPU as this machine (not measured here), no free tier,")
        .append(" S3 and EventBridge costs left out.\n\n| memory | vCPUs | seconds per minute of video | x86_64 | arm64 |\n")
        .append("|---|---|---|---|---|\n");
    for (int memory : List.of(1769, 3538, 10240)) {
      double vcpus = memory / (double) Transcoding.MB_PER_VCPU;
      double perMinute = 60 / (ladderSpeed * vcpus);
      double gbSeconds = memory / 1024.0 * perMinute;
      md.append(String.format(Locale.ROOT, "| %d MB | %.2f | %.1f | $%.5f | $%.5f |%n", memory, vcpus, perMinute,
          gbSeconds * X86_GB_SECOND + REQUEST, gbSeconds * ARM_GB_SECOND + REQUEST));
    }
    return md.toString();
  }

  private static String mb(Path file) throws IOException {
    return Files.exists(file) ? String.format(Locale.ROOT, "%.1f MB", Files.size(file) / 1048576.0) : "not built";
  }

  static String hostArchitecture() {
    String machine = System.getProperty("os.arch");
    return machine.equals("aarch64") || machine.equals("arm64") ? "arm64" : "x86_64";
  }

  private static long size(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
    } catch (IOException | java.io.UncheckedIOException e) {
      return 0; // a file vanished while walking
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
