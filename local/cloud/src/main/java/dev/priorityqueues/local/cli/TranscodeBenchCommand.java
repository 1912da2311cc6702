package dev.priorityqueues.local.cli;

import dev.priorityqueues.common.AwsClients;
import dev.priorityqueues.contract.EnvReader;
import dev.priorityqueues.contract.Functions;
import dev.priorityqueues.contract.Keys;
import dev.priorityqueues.contract.Transcoding;
import dev.priorityqueues.infra.config.ConfigKey;
import dev.priorityqueues.local.cloud.FfmpegLayer;
import dev.priorityqueues.local.cloud.LocalStacks;
import dev.priorityqueues.local.servers.LocalAws;
import dev.priorityqueues.worker.processing.ContainerProbe;
import dev.priorityqueues.worker.processing.Ffmpeg;
import dev.priorityqueues.worker.processing.FileByteSource;
import dev.priorityqueues.worker.processing.TimeBudget;
import dev.priorityqueues.worker.processing.TranscodeSettings;
import dev.priorityqueues.worker.processing.TranscodingProcessor;
import dev.priorityqueues.worker.processing.VideoInfo;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The transcode benchmark: the layer's ffmpeg on clips it makes itself, measured side by side in
 * one run: the bare FFmpeg commands against the whole job (presigned GET from S3Proxy, outputs
 * checked and uploaded), the JVM's peak heap for a small and a large input, peak scratch use, the
 * speed in seconds of video per second per vCPU, and the small input's job under Lambda's C1-only
 * JIT against every tier. Writes a Markdown report.
 */
@Command(name = "transcode-bench", mixinStandardHelpOptions = true,
    description = "Measure transcoding: speed per vCPU, job vs bare ffmpeg, heap and /tmp, the worker's JIT; writes a Markdown report.")
public final class TranscodeBenchCommand implements Callable<Integer> {

  /** Lambda's list prices (us-east-1, first tier, 2026): per GB-second and per request. */
  static final double X86_GB_SECOND = 0.0000166667;
  static final double ARM_GB_SECOND = 0.0000133334;
  static final double REQUEST = 0.0000002;

  @Option(names = "--seconds", defaultValue = "10", description = "Duration of the small clip, 1 to 120 (default: ${DEFAULT-VALUE}).")
  int seconds;

  @Option(names = "--height", defaultValue = "1080", description = "Source height, 240 to 2160 (default: ${DEFAULT-VALUE}).")
  int height;

  @Option(names = "--small-mb", defaultValue = "10", description = "Size to aim the small input at, in MB, 1 to 100 (default: ${DEFAULT-VALUE}).")
  int smallMb;

  @Option(names = "--large-mb", defaultValue = "1024", description = "Size of the large input, in MB, 1 to 4096 (default: ${DEFAULT-VALUE}).")
  int largeMb;

  @Option(names = "--runs", defaultValue = "16", description = "Pairs of runs of each input, bare and job back to back, alternating which goes first (an even count runs each order equally often); the median of the pairs' ratios counts, and the more pairs, the narrower its interval (see the report). The small job is compared under each JIT in at most " + JIT_PAIRS + " pairs. 1 to " + MAX_RUNS + " (default: ${DEFAULT-VALUE}).")
  int runs;

  @Option(names = "--out", defaultValue = "docs/benchmarks/transcode.md", description = "The report (default: ${DEFAULT-VALUE}).")
  Path out;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private double loadAtStart;
  /** What the worker's JVM said its crypto runs on. */
  private String workerCrypto = "not reported";

  /** The machine's one-minute load average, or -1 where the system does not say. */
  static double loadAverage() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  /** Pairs of the small job under each JIT at most: the same eight, a comparison, not a target. */
  static final int JIT_PAIRS = 8;

  /**
   * The most pairs of each input. The default is sixteen, for both: a pair of the small input
   * takes about 9 s and of the 1 GB one about 45 s, and on this shared machine single pairs range
   * from 0.88x to 1.25x. An even count lets each order (bare first, job first) come up equally
   * often: in two runs of five pairs, the pairs with the job second averaged 1.13x and those with
   * it first 1.03x. With eight pairs the interval (the 2nd to the 7th, 93%) reached past 1.10x in
   * three of the five measured, small and large together (medians 1.02x to 1.15x); sixteen narrow
   * it to the 5th to the 12th (92%).
   */
  static final int MAX_RUNS = 20;

  /**
   * The worker's JVM: compiled as Lambda's runtime compiles (C1 only; C2's compile threads would
   * take CPU from FFmpeg that a function's JVM never spends), a serial collector and a small young
   * generation, so its peak is what it holds.
   */
  static final List<String> WORKER_JVM = workerJvm(Functions.LAMBDA_JIT_FLAG);

  /**
   * Every compile tier, C2 included: what Lambda's documentation suggests for compute-intensive
   * functions, measured against {@link Functions#LAMBDA_JIT_FLAG} on the small input.
   */
  static final String ALL_TIERS_FLAG = "-XX:TieredStopAtLevel=4";

  static List<String> workerJvm(String jitFlag) {
    return List.of(jitFlag, "-XX:+UseSerialGC", "-Xmx512m", "-Xmn16m");
  }

  /** The small input's job under each JIT, pair by pair: the C1-only job and the all-tiers one. */
  record JitRun(List<JobResult> c1, List<JobResult> allTiers) {}

  /**
   * One measured input: the job against the bare command; {@code pairRatios} are each pair's
   * job ÷ bare, in the order they ran.
   */
  record Run(String name, long inputBytes, long videoMillis, double bareSeconds, double jobSeconds,
      List<Double> pairRatios, long heapPeak, long heldPeak, long scratchPeak, long outputBytes,
      Map<String, Long> steps, long allocated, long serverCpuMillis) {

    /** Job ÷ bare: the median of the pairs' ratios. */
    double ratio() {
      return median(pairRatios);
    }

    /** The pairs' ratios, as the report lists them: {@code 1.02, 1.12, ...}. */
    String pairsText() {
      return pairRatios.stream().map(r -> String.format(Locale.ROOT, "%.2f", r))
          .collect(java.util.stream.Collectors.joining(", "));
    }

    /** Where the median of job ÷ bare lies, from the pairs' ratios. */
    Interval interval() {
      return Interval.of(pairRatios);
    }
  }

  /** Issue 10's target: a job takes at most this many times the bare FFmpeg command's wall time. */
  static final double JOB_RATIO_TARGET = 1.10;

  /** How sure a verdict on a median must be: its interval holds the true median this often. */
  static final double CONFIDENCE = 0.90;

  /**
   * Where the true median of the pairs' ratios lies, from their order alone: the sign test's
   * interval, from the k-th smallest ratio to the k-th largest, which holds the median with
   * probability 1 − 2·P(Binomial(n, ½) &lt; k), whatever the distribution of the machine's noise,
   * as long as the pairs are independent. The narrowest such span with at least
   * {@link #CONFIDENCE}; the widest (lowest to highest) when none reaches it, as with 4 pairs or
   * fewer. A verdict needs the whole interval on one side of the target: one median, met or missed
   * by a few hundredths, says nothing on a machine whose pairs spread wider than that.
   */
  record Interval(double low, double high, double confidence) {
    static Interval of(List<Double> ratios) {
      List<Double> sorted = ratios.stream().sorted().toList();
      int n = sorted.size();
      int k = 1;
      while (k + 1 <= (n + 1) / 2 && coverage(n, k + 1) >= CONFIDENCE) {
        k++;
      }
      return new Interval(sorted.get(k - 1), sorted.get(n - k), coverage(n, k));
    }

    /** 1 − 2·P(Binomial(n, ½) &lt; k): how often [k-th smallest, k-th largest] holds the median. */
    static double coverage(int n, int k) {
      double below = 0;
      double choose = 1; // C(n, 0), then C(n, i) for each i
      for (int i = 0; i < k; i++) {
        below += choose;
        choose = choose * (n - i) / (i + 1);
      }
      return 1 - 2 * below / Math.pow(2, n);
    }

    /**
     * met, NOT met, or undecided, against a target the ratio must not exceed: undecided when the
     * interval spans the target, or when too few pairs give it {@link #CONFIDENCE}.
     */
    String verdict(double target) {
      if (!decides()) {
        return "undecided (" + span() + ")";
      }
      return high <= target ? "met (" + span() + ")"
          : low > target ? "NOT met (" + span() + ")"
          : "undecided (" + span() + ", across the target)";
    }

    /** Whether there were pairs enough for {@link #CONFIDENCE}. */
    boolean decides() {
      return confidence >= CONFIDENCE;
    }

    /** The interval as the report words it. */
    String span() {
      return decides() ? String.format(Locale.ROOT, "%.0f%% interval %.2f–%.2fx", 100 * confidence, low, high)
          : String.format(Locale.ROOT, "too few pairs for a %.0f%% interval; they range %.2f–%.2fx", 100 * CONFIDENCE,
              low, high);
    }
  }

  /** One job in the worker's JVM; {@code steps} is how long each of its steps took, in order. */
  record JobResult(double seconds, long heapPeak, long heldPeak, long outputBytes, long scratchPeak,
      Map<String, Long> steps, long allocated, long serverCpuMillis, String crypto) {

    /** The steps as the job's JVM prints them: {@code probe=12,ffmpeg=4600,...}. */
    static Map<String, Long> parseSteps(String field) {
      Map<String, Long> steps = new java.util.LinkedHashMap<>();
      for (String pair : field.split(",")) {
        String[] kv = pair.split("=");
        steps.put(kv[0], Long.parseLong(kv[1]));
      }
      return steps;
    }

    String stepsLine() {
      return steps.entrySet().stream().map(e -> String.format(Locale.ROOT, "%s %.2f s", e.getKey(), e.getValue() / 1000.0))
          .collect(java.util.stream.Collectors.joining(", "));
    }
  }

  @Override
  public Integer call() throws Exception {
    Console.requireRange(spec, "--seconds", seconds, 1, 120, "seconds");
    Console.requireRange(spec, "--height", height, 240, 2160);
    Console.requireRange(spec, "--small-mb", smallMb, 1, 100);
    Console.requireRange(spec, "--large-mb", largeMb, 1, 4096);
    Console.requireRange(spec, "--runs", runs, 1, MAX_RUNS);
    PrintStream console = System.out;
    loadAtStart = loadAverage();
    Path projectDir = LocalStacks.projectDir();
    String arch = hostArchitecture();
    Path ffmpeg = FfmpegLayer.unpack(projectDir, arch);
    Path work = projectDir.resolve("local/cloud/work/transcode-bench");
    Files.createDirectories(work);
    int cpus = Runtime.getRuntime().availableProcessors();
    int width = height * 16 / 9 / 2 * 2;

    console.printf("Making the clips with %s (%d s at %dx%d) ...%n", ffmpeg, seconds, width, height);
    // A bitrate that makes the small clip about smallMb (less the 128 kbit/s of sound).
    long videoKbps = Math.max(100, smallMb * 8L * 1024 * 1024 / 1000 / seconds - 128);
    Path small = clip(ffmpeg, work, "small-" + height + "p-" + seconds + "s-" + smallMb + "mb.mp4", width, height,
        seconds, "testsrc2", "-preset", "veryfast", "-b:v", videoKbps + "k", "-maxrate", videoKbps + "k",
        "-bufsize", 2 * videoKbps + "k");
    // Noise at lossless quality cannot be compressed: the large input is big for its duration. It
    // is made a little longer than needed and cut at largeMb by FFmpeg's -fs.
    long rawFrameBytes = (long) width * height * 3 / 2;
    int largeSeconds = (int) Math.max(2, Math.min(600, Math.ceil(1.2 * largeMb * 1024.0 * 1024 / (rawFrameBytes * 25.0))));
    Path large = clip(ffmpeg, work, "large-" + height + "p-" + largeMb + "mb.mp4", width, height, largeSeconds,
        "testsrc2", "-vf", "noise=alls=100:allf=t+u", "-preset", "ultrafast", "-qp", "0",
        "-fs", String.valueOf(largeMb * 1024L * 1024));
    Path warm = clip(ffmpeg, work, "warm-240p-1s.mp4", 426, 240, 1, "testsrc2", "-preset", "veryfast");

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
      String warmKey = put(clients, bucket, warm);
      Worker worker = new Worker(ffmpeg, FfmpegLayer.cryptoJar(projectDir, arch), scratch, bucket, warmKey, cpus,
          aws.clientEnvironment());

      List<Run> measured = new ArrayList<>();
      String smallKey = put(clients, bucket, small);
      measured.add(measure(console, ffmpeg, work, clients, bucket, processor, worker, small, smallKey, runs));
      JitRun jit = compareJit(console, worker, smallKey, Math.min(JIT_PAIRS, runs));
      measured.add(measure(console, ffmpeg, work, clients, bucket, processor, worker, large, put(clients, bucket, large),
          runs));
      VideoInfo smallInfo = ContainerProbe.probe(new FileByteSource(small));
      double oneRenditionSeconds = bare(ffmpeg, work, oneRendition, small, smallInfo);
      String report = report(measured, jit, oneRenditionSeconds, smallInfo.durationMillis(), cpus, arch, projectDir);
      Files.createDirectories(out.toAbsolutePath().getParent());
      Files.writeString(out, report);
      console.println(report);
      console.println("Report: " + out.toAbsolutePath());
    } finally {
      deleteTree(work.resolve("s3"));
    }
    return 0;
  }

  /**
   * The input goes up as a user's does: one PUT of the file to a presigned URL, its payload
   * unsigned and streamed. (S3Proxy buffers a signed plain body to check its hash, and refuses one
   * over 128 MB; see docs/local-cloud.md.)
   */
  private static String put(AwsClients clients, String bucket, Path input) throws IOException, InterruptedException {
    String key = Keys.uploadKey("bench", UUID.randomUUID(), "mp4");
    URI url = URI.create(clients.presigner().presignPutObject(p -> p.signatureDuration(Duration.ofMinutes(15))
        .putObjectRequest(o -> o.bucket(bucket).key(key))).url().toString());
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(url).PUT(HttpRequest.BodyPublishers.ofFile(input))
          .build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException("the local S3 refused " + input.getFileName() + ": HTTP "
            + response.statusCode() + " " + response.body());
      }
    }
    return key;
  }

  /**
   * The input measured {@code times} times, the bare command and the job alternating which goes
   * first (so a change in the machine's load falls on both); the medians count. The held heap is
   * measured once, by the first pair's job after its timed run: not in every pair, where the
   * untimed run would sit between the timed ones.
   */
  private Run measure(PrintStream console, Path ffmpeg, Path work, AwsClients clients, String bucket,
      TranscodingProcessor processor, Worker worker, Path input, String key, int times) throws Exception {
    console.printf("Measuring %s (%d MB) ...%n", input.getFileName(), Files.size(input) >> 20);
    VideoInfo info = ContainerProbe.probe(new FileByteSource(input));
    // Both sides then read from the page cache: the bare command its file, the job S3Proxy's copy
    // (just written). Otherwise whichever goes first pays for the disk. One whole GET also warms
    // S3Proxy's serving code, as S3 is always warm: otherwise the first job pays for its JIT.
    warmPageCache(input);
    try (var object = clients.s3().getObject(b -> b.bucket(bucket).key(key))) {
      object.transferTo(java.io.OutputStream.nullOutputStream());
    }
    List<Double> bares = new ArrayList<>();
    List<JobResult> jobs = new ArrayList<>();
    for (int i = 0; i < times; i++) {
      boolean held = i == 0;
      inTurn(i, () -> bares.add(bare(ffmpeg, work, processor, input, info)),
          () -> jobs.add(worker.run(key, Functions.LAMBDA_JIT_FLAG, held)));
      JobResult last = jobs.getLast();
      console.printf(Locale.ROOT, "  bare ffmpeg %.2f s, job %.2f s (%s), heap peak %.1f MB%s, scratch peak %.1f MB%n",
          bares.getLast(), last.seconds(), last.stepsLine(), last.heapPeak() / 1048576.0,
          last.heldPeak() < 0 ? "" : String.format(Locale.ROOT, " (held %.1f MB)", last.heldPeak() / 1048576.0),
          last.scratchPeak() / 1048576.0);
    }
    workerCrypto = jobs.getLast().crypto();
    double bareSeconds = median(bares);
    double jobSeconds = median(jobs.stream().map(JobResult::seconds).toList());
    // Each pair ran back to back, so a change in the machine's load falls on both of its runs:
    // the median of the pairs' ratios is steadier than the ratio of the two medians.
    List<Double> ratios = new ArrayList<>();
    for (int i = 0; i < times; i++) {
      ratios.add(jobs.get(i).seconds() / bares.get(i));
    }
    // The breakdown shown is the median job's own (the faster of the middle two, for an even count).
    JobResult typical = jobs.stream().sorted(java.util.Comparator.comparingDouble(JobResult::seconds)).toList()
        .get((jobs.size() - 1) / 2);
    long heapPeak = jobs.stream().mapToLong(JobResult::heapPeak).max().orElseThrow();
    long heldPeak = jobs.stream().mapToLong(JobResult::heldPeak).max().orElseThrow();
    long scratchPeak = jobs.stream().mapToLong(JobResult::scratchPeak).max().orElseThrow();
    return new Run(input.getFileName().toString(), Files.size(input), info.durationMillis(), bareSeconds, jobSeconds,
        List.copyOf(ratios), heapPeak, heldPeak, scratchPeak, jobs.getLast().outputBytes(), typical.steps(),
        typical.allocated(), typical.serverCpuMillis());
  }

  /**
   * The small input's job under Lambda's C1-only JIT and under every tier, {@code times} pairs
   * back to back, alternating which goes first.
   */
  private static JitRun compareJit(PrintStream console, Worker worker, String key, int times) throws Exception {
    console.printf("Comparing the worker's JIT on the small input (%s against %s) ...%n", Functions.LAMBDA_JIT_FLAG,
        ALL_TIERS_FLAG);
    List<JobResult> c1 = new ArrayList<>();
    List<JobResult> allTiers = new ArrayList<>();
    for (int i = 0; i < times; i++) {
      inTurn(i, () -> c1.add(worker.run(key, Functions.LAMBDA_JIT_FLAG, false)),
          () -> allTiers.add(worker.run(key, ALL_TIERS_FLAG, false)));
      console.printf(Locale.ROOT, "  C1 only %.2f s (%s), all tiers %.2f s (%s)%n", c1.getLast().seconds(),
          c1.getLast().stepsLine(), allTiers.getLast().seconds(), allTiers.getLast().stepsLine());
    }
    return new JitRun(c1, allTiers);
  }

  /** One of a pair's two runs. */
  private interface Side {
    void run() throws Exception;
  }

  /**
   * Runs pair {@code i} of a comparison: {@code a} first in even pairs, {@code b} first in odd
   * ones, so a change in the machine's load falls on both sides equally often (the report's "the
   * job second in the first pair, then first" follows from it).
   */
  private static void inTurn(int i, Side a, Side b) throws Exception {
    (i % 2 == 0 ? a : b).run();
    (i % 2 == 0 ? b : a).run();
  }

  private static void warmPageCache(Path file) throws IOException {
    try (var in = Files.newInputStream(file)) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    }
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  /** Runs one job in a JVM of its own ({@link TranscodeJobProcess}) while sampling the scratch directory. */
  record Worker(Path ffmpeg, Path cryptoJar, Path scratch, String bucket, String warmKey, int cpus,
      Map<String, String> env) {
    /** One job, its JVM compiling as {@code jitFlag} says; {@code held}: measure the held heap too. */
    JobResult run(String key, String jitFlag, boolean held) throws IOException, InterruptedException {
      String javaBinary = ProcessHandle.current().info().command().orElse("java");
      List<String> command = new ArrayList<>(List.of(javaBinary));
      command.addAll(workerJvm(jitFlag));
      // The JDK here may be newer than 21 and warn when the provider loads its native library.
      command.add("--enable-native-access=ALL-UNNAMED");
      // The layer's crypto provider on the classpath, as Lambda's Java runtime puts /opt/java/lib/*.jar.
      command.addAll(List.of("-cp", cryptoJar + java.io.File.pathSeparator + System.getProperty("java.class.path"),
          TranscodeJobProcess.class.getName(),
          ffmpeg.toString(), scratch.toString(), bucket, warmKey, key, String.valueOf(cpus),
          held ? TranscodeJobProcess.HELD : TranscodeJobProcess.TIMED_ONLY));
      ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
      builder.environment().putAll(env);
      Process process = builder.start();
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
      String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      int exit = process.waitFor();
      running.set(false);
      sampler.join();
      String line = output.lines().filter(l -> l.startsWith(TranscodeJobProcess.RESULT + " ")).findFirst()
          .orElseThrow(() -> new IllegalStateException("the worker's JVM exited with " + exit + " and no result: "
              + output));
      String[] fields = line.split(" ");
      return new JobResult(Long.parseLong(fields[1]) / 1e9, Long.parseLong(fields[2]), Long.parseLong(fields[4]),
          Long.parseLong(fields[3]), scratchPeak.get(), JobResult.parseSteps(fields[5]), Long.parseLong(fields[6]),
          Long.parseLong(fields[7]), output.lines().filter(l -> l.startsWith(TranscodeJobProcess.CRYPTO + " "))
          .map(l -> l.substring(TranscodeJobProcess.CRYPTO.length() + 1)).findFirst().orElse("not reported"));
    }
  }

  /** The job's own FFmpeg command on the local file, timed. */
  private static double bare(Path ffmpeg, Path work, TranscodingProcessor processor, Path input, VideoInfo info)
      throws IOException {
    Path dir = work.resolve("bare-" + System.nanoTime());
    Files.createDirectories(dir);
    TranscodingProcessor.writeWatermark(dir);
    List<String> command = processor.command(input.toAbsolutePath().toString(), info);
    long start = System.nanoTime();
    new Ffmpeg(ffmpeg).run(command, dir, 3_600_000);
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

  String report(List<Run> runs, JitRun jit, double oneRenditionSeconds, long videoMillis, int cpus, String arch, Path root)
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
        .append(height).append("p, made by the same ffmpeg. The machine's load average was ")
        .append(String.format(Locale.ROOT, "%.2f at the start and %.2f at the end", loadAtStart, loadAverage()))
        .append(" (other work on it makes absolute times noisy); the ratios compare runs made back to back, the bare")
        .append(" command and the job taking turns to go first, both reading their input from the page cache.\n\n");
    md.append("## Speed\n\n| ladder | seconds of video per wall-clock second per vCPU |\n|---|---|\n")
        .append(String.format(Locale.ROOT, "| default (720p + 360p, watermark, thumbnail) | %.3f |%n", ladderSpeed))
        .append(String.format(Locale.ROOT, "| one rendition (720p, watermark, thumbnail) | %.3f |%n%n", oneSpeed))
        .append("`transcodeSpeed` (the time budget's factor) defaults to ").append(Transcoding.DEFAULT_SPEED)
        .append(ladderSpeed >= Transcoding.DEFAULT_SPEED
            ? ", below the default-ladder speed measured here: the budget errs towards refusing a video rather than"
                + " starting one that overruns.\n\n"
            : ": ABOVE the default-ladder speed measured in this run, so the budget would accept videos that then"
                + " overrun (FFmpeg is killed before the deadline and the job retried). Set `transcodeSpeed` from a"
                + " run on the worker's own hardware.\n\n")
        .append("arm64 (Graviton) speed is not measured: this machine has no arm64 host. Every arm64 figure below"
            + " assumes an arm64 vCPU is as fast as one of this machine's; measure on Graviton before relying on it.\n\n");
    md.append("## Targets, side by side\n\n")
        .append(String.format(Locale.ROOT, "Each input was measured in %d pairs of runs"
            + " (medians shown; *job ÷ bare* is the median of the pairs' own ratios, each pair run back to back)."
            + " The job runs in a JVM of its own (`%s`), with the layer's `" + Transcoding.LAYER_CRYPTO_JAR
            + "` on its classpath as Lambda's Java runtime puts it (the crypto it installed: " + workerCrypto + "),"
            + " primed and warmed by one tiny job as a warm Lambda"
            + " environment would be, with S3Proxy in the benchmark's JVM: its heap is the worker's alone. The"
            + " serial collector and the 16 MB young generation keep garbage from piling up. *Peak heap* is the sum"
            + " of the heap pools' peaks during the timed job: it counts garbage not yet collected, so it grows with"
            + " what the job allocates (see below), not with what it keeps. *Held heap* is the most"
            + " heap left by a full collection, forced every " + TranscodeJobProcess.HELD_SAMPLE_MILLIS
            + " ms (so even a short upload is sampled) during an"
            + " untimed second run of the first pair's job, as the collection itself reports it (a reading taken after it"
            + " returns would also count what the upload threads allocate meanwhile): what the worker keeps, the"
            + " measure of whether it buffers its input. The job reads the upload through a presigned GET from S3Proxy, writes every output"
            + " in one FFmpeg run, checks them and uploads them side by side; the bare command is that same FFmpeg"
            + " command on the local file.%n%n", this.runs, String.join(" ", WORKER_JVM)))
        .append("| input | size | video | bare ffmpeg | whole job | job ÷ bare | peak heap | held heap |"
            + " peak scratch | outputs + input |\n|---|---|---|---|---|---|---|---|---|---|\n");
    for (Run run : runs) {
      md.append(String.format(Locale.ROOT, "| %s | %.1f MB | %.1f s | %.2f s | %.2f s | %.2fx | %.1f MB | %.1f MB | %.1f MB | %.1f MB |%n",
          run.name(), run.inputBytes() / 1048576.0, run.videoMillis() / 1000.0, run.bareSeconds(), run.jobSeconds(),
          run.ratio(), run.heapPeak() / 1048576.0, run.heldPeak() / 1048576.0,
          run.scratchPeak() / 1048576.0,
          (run.outputBytes() + run.inputBytes()) / 1048576.0));
    }
    double smallRatio = small.ratio();
    double largeRatio = large.ratio();
    double heapRatio = (double) large.heapPeak() / small.heapPeak();
    double heldRatio = (double) large.heldPeak() / small.heldPeak();
    md.append(String.format(Locale.ROOT, "%n- Job wall time ÷ bare ffmpeg: %.2fx (small), %.2fx (large); target ≤ %.2fx:"
            + " %s (small), %s (large). Each pair's own ratio, in the order they ran (the job second in the first"
            + " pair, then first, and so on): %s (small); %s (large). The interval is the sign test's, from the"
            + " sorted ratios alone: it holds the true median that often whatever the noise, and a verdict needs all"
            + " of it on one side of the target.%n",
        smallRatio, largeRatio, JOB_RATIO_TARGET, small.interval().verdict(JOB_RATIO_TARGET),
        large.interval().verdict(JOB_RATIO_TARGET), small.pairsText(), large.pairsText()));
    md.append(String.format(Locale.ROOT, "- Heap of the worker's JVM, large ÷ small input (input %.0fx larger),"
            + " target ≤ 1.2x: peak heap %.2fx, %s; held heap %.2fx, %s. The median job allocated %.1f MB for"
            + " %.1f MB of outputs (small) and %.1f MB for %.1f MB (large): the uploads send each file from its"
            + " region of the disk without copying it on the heap.%n",
        (double) large.inputBytes() / small.inputBytes(), heapRatio, heapRatio <= 1.2 ? "met" : "NOT met", heldRatio,
        heldRatio <= 1.2 ? "met" : "NOT met", small.allocated() / 1048576.0, small.outputBytes() / 1048576.0,
        large.allocated() / 1048576.0, large.outputBytes() / 1048576.0));
    md.append(String.format(Locale.ROOT, "- Peak scratch (/tmp) ≤ outputs + one input: %s (small), %s (large)."
            + " The input is streamed, never copied to /tmp, so scratch holds only the outputs.%n%n",
        small.scratchPeak() <= small.outputBytes() + small.inputBytes() ? "yes" : "NO",
        large.scratchPeak() <= large.outputBytes() + large.inputBytes() ? "yes" : "NO"));
    md.append(stepsTable(runs));
    md.append(jitSection(jit, small.name()));
    int memory = Integer.parseInt(ConfigKey.WORKER_MEMORY_MB.defaultValue().orElseThrow());
    int timeout = Integer.parseInt(ConfigKey.WORKER_TIMEOUT_SECONDS.defaultValue().orElseThrow());
    double vcpus = memory / (double) Transcoding.MB_PER_VCPU;
    md.append("## Worker memory\n\n")
        .append(String.format(Locale.ROOT, "The worker's heap peaked at %.0f MB for the %.0f MB input and at %.0f MB"
            + " for the small one, so memory buys vCPUs, not room. The default `workerMemoryMb` is %d MB: %.0f vCPUs, the most"
            + " this benchmark's speed was measured on (more is extrapolation, see the cost table). At the default"
            + " `transcodeSpeed` (%s) the time budget lets it take videos of up to about %.0f s with the default"
            + " ladder in the default %d s timeout.%n%n",
            large.heapPeak() / 1048576.0, large.inputBytes() / 1048576.0, small.heapPeak() / 1048576.0, memory, vcpus,
            Transcoding.DEFAULT_SPEED, Transcoding.DEFAULT_SPEED * vcpus * (timeout - TimeBudget.RESERVE_MILLIS / 1000.0),
            timeout));
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
        .append(" measured above per vCPU, scaling linearly with vCPUs (1 per 1,769 MB; measured here on "
        + cpus + ", assumed beyond),");
    md.append(" arm64 assumed as fast per vCPU as this machine (no arm64 host to measure it on), no free tier,")
        .append(" S3 and EventBridge costs left out.\n\n| memory | vCPUs | seconds per minute of video | x86_64 | arm64 |\n")
        .append("|---|---|---|---|---|\n");
    for (int size : List.of(1769, 3538, 10240)) {
      double sizeVcpus = size / (double) Transcoding.MB_PER_VCPU;
      double perMinute = 60 / (ladderSpeed * sizeVcpus);
      double gbSeconds = size / 1024.0 * perMinute;
      md.append(String.format(Locale.ROOT, "| %d MB | %.2f | %.1f | $%.5f | $%.5f |%n", size, sizeVcpus, perMinute,
          gbSeconds * X86_GB_SECOND + REQUEST, gbSeconds * ARM_GB_SECOND + REQUEST));
    }
    return md.toString();
  }

  /**
   * Where the median job's time went, step by step, beside the bare command: the job's ffmpeg
   * step against the bare command shows what reading over HTTP costs; the rest is the job's own.
   */
  static String stepsTable(List<Run> runs) {
    List<String> names = runs.getFirst().steps().keySet().stream().toList();
    StringBuilder md = new StringBuilder("## Where the job's time went\n\nThe median job's steps, as the worker logs"
        + " them with each job (`stepMillis`): *probe* reads the container's header with ranged GETs and checks the"
        + " time budget, *prepare* makes the job's directory and presigns the GET, *ffmpeg* is the one FFmpeg run"
        + " reading over HTTP, *check* parses every output, *upload* puts them side by side. *Local S3's CPU* is"
        + " the CPU time the benchmark's own process, which runs S3Proxy, used during the job: serving the input"
        + " and storing the outputs, work that S3 does on its own hosts on AWS, here taken from the cores FFmpeg"
        + " runs on.\n\n| input | bare ffmpeg |");
    names.forEach(n -> md.append(' ').append(n).append(" |"));
    md.append(" job ffmpeg ÷ bare | rest of the job | local S3's CPU |\n|---|---|");
    names.forEach(n -> md.append("---|"));
    md.append("---|---|---|\n");
    for (Run run : runs) {
      md.append(String.format(Locale.ROOT, "| %s | %.2f s |", run.name(), run.bareSeconds()));
      names.forEach(n -> md.append(String.format(Locale.ROOT, " %.2f s |", run.steps().getOrDefault(n, 0L) / 1000.0)));
      long ffmpegMillis = run.steps().getOrDefault(TranscodingProcessor.FFMPEG_STEP, 0L);
      long rest = run.steps().values().stream().mapToLong(Long::longValue).sum() - ffmpegMillis;
      md.append(String.format(Locale.ROOT, " %.2fx | %.2f s | %s |%n", ffmpegMillis / 1000.0 / run.bareSeconds(),
          rest / 1000.0, run.serverCpuMillis() < 0 ? "not measured"
              : String.format(Locale.ROOT, "%.2f s", run.serverCpuMillis() / 1000.0)));
    }
    return md.append('\n').toString();
  }

  /**
   * The small input's job under each JIT, as ratios of every tier to C1 only: the whole job, its
   * spread over the pairs, and the upload (the step the JIT can speed up, and where C2 compiles).
   */
  static String jitSection(JitRun jit, String input) {
    int pairs = jit.c1().size();
    List<Double> wholes = new ArrayList<>();
    List<Double> uploads = new ArrayList<>();
    for (int i = 0; i < pairs; i++) {
      wholes.add(jit.allTiers().get(i).seconds() / jit.c1().get(i).seconds());
      uploads.add(uploadSeconds(jit.allTiers().get(i)) / Math.max(0.001, uploadSeconds(jit.c1().get(i))));
    }
    double whole = median(wholes);
    StringBuilder md = new StringBuilder("## The worker's JIT\n\nLambda's `java21` runtime compiles with C1 only (`")
        .append(Functions.LAMBDA_JIT_FLAG).append("`), and the worker keeps that default. Lambda's documentation"
            + " suggests every tier (`JAVA_TOOL_OPTIONS=").append(ALL_TIERS_FLAG).append("`) for compute-intensive"
            + " functions; but the worker's compute is FFmpeg's, C2 compiles on the vCPUs FFmpeg runs on, and the"
            + " upload's crypto (each body's SHA-256 over the local cloud's plain HTTP, TLS on AWS), which C1 runs"
            + " without intrinsics, is the layer's native provider's under either. The job on ")
        .append(input).append(String.format(Locale.ROOT,
            ", %d pairs, one job under each JIT back to back, alternating which goes first (medians):%n%n", pairs))
        .append("| JIT | whole job | ffmpeg | upload |\n|---|---|---|---|\n");
    jitRow(md, "C1 only (Lambda's default; the worker's)", jit.c1());
    jitRow(md, "every tier", jit.allTiers());
    Interval interval = Interval.of(wholes);
    md.append(String.format(Locale.ROOT, "%nEvery tier ÷ C1 only (medians of the pairs' ratios): whole job %.2fx"
        + " (%s), upload %.2fx. ", whole, interval.span(), median(uploads)));
    md.append(!interval.decides() ? "The pairs are too few to tell the two apart.\n\n"
        : interval.high() < 1 ? "Every tier made this job faster.\n\n"
        : interval.low() > 1 ? "Every tier made this job slower.\n\n"
        : "The interval spans 1x: on this machine the difference is within the noise.\n\n");
    return md.toString();
  }

  private static double uploadSeconds(JobResult job) {
    return job.steps().getOrDefault(TranscodingProcessor.UPLOAD_STEP, 0L) / 1000.0;
  }

  private static void jitRow(StringBuilder md, String name, List<JobResult> jobs) {
    md.append(String.format(Locale.ROOT, "| %s | %.2f s | %.2f s | %.2f s |%n", name,
        median(jobs.stream().map(JobResult::seconds).toList()),
        median(jobs.stream().map(j -> j.steps().getOrDefault(TranscodingProcessor.FFMPEG_STEP, 0L) / 1000.0).toList()),
        median(jobs.stream().map(TranscodeBenchCommand::uploadSeconds).toList())));
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
