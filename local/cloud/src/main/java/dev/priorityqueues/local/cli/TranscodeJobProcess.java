package dev.priorityqueues.local.cli;

import dev.priorityqueues.common.AwsClients;
import dev.priorityqueues.common.Completion;
import dev.priorityqueues.contract.EnvReader;
import dev.priorityqueues.contract.Job;
import dev.priorityqueues.contract.Transcoding;
import dev.priorityqueues.worker.processing.TranscodeSettings;
import dev.priorityqueues.worker.processing.NativeCrypto;
import dev.priorityqueues.worker.processing.TranscodingProcessor;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * One worker job in a JVM of its own, for {@code ./pq transcode-bench}: the servers (S3Proxy)
 * stay in the bench's JVM, so the heap measured here is the worker's alone. The processor is
 * primed and runs a warm-up job first, as a warm Lambda environment would have; only the
 * measured job is timed. When asked ({@value #HELD}), the same job then runs once more, untimed,
 * while a sampler forces a full collection every {@value #HELD_SAMPLE_MILLIS} ms: the most heap
 * left after one is what the worker holds, without the garbage that young collections promote
 * (which grows with the job's length, not with what it keeps); -1 when not asked. Prints
 * {@code CRYPTO <provider>}, what its crypto runs on, then one line:
 * {@code RESULT <job nanos> <peak heap bytes> <output bytes> <peak held heap bytes> <steps>
 * <allocated bytes> <server cpu millis>}, where steps is the timed job's {@code step=millis} pairs,
 * comma-separated, in the order they ran, allocated bytes is what every thread allocated during
 * the timed job, and server cpu millis is the CPU time the parent process (the benchmark, which
 * runs S3Proxy) used meanwhile, -1 where /proc cannot say.
 *
 * <p>Arguments: ffmpeg, scratch directory, bucket, warm-up key, measured key, vCPUs, and
 * {@value #HELD} or {@value #TIMED_ONLY}. The S3 endpoint and credentials come from the
 * environment, as the worker's do.
 */
public final class TranscodeJobProcess {
  private TranscodeJobProcess() {}

  public static final String RESULT = "RESULT";
  /** The line that says what the job's crypto runs on ({@link NativeCrypto#install}). */
  public static final String CRYPTO = "CRYPTO";
  static final String HELD = "held";
  static final String TIMED_ONLY = "timed-only";
  static final long HELD_SAMPLE_MILLIS = 10;

  public static void main(String[] args) {
    Path ffmpeg = Path.of(args[0]);
    Path scratch = Path.of(args[1]);
    String bucket = args[2];
    String warmKey = args[3];
    String key = args[4];
    double vcpus = Double.parseDouble(args[5]);
    boolean measureHeld = HELD.equals(args[6]);
    // As the worker's handler does at init: the layer's provider, when the classpath has it.
    System.out.println(CRYPTO + " " + NativeCrypto.install());
    try (AwsClients clients = new AwsClients(new EnvReader(System.getenv()))) {
      TranscodeSettings settings = new TranscodeSettings(ffmpeg, scratch, Transcoding.DEFAULT_RENDITIONS,
          Transcoding.DEFAULT_WATERMARK_CORNER, Transcoding.DEFAULT_THUMBNAIL_OFFSET_MILLIS, Transcoding.DEFAULT_SPEED,
          vcpus, OptionalLong.empty());
      TranscodingProcessor processor = new TranscodingProcessor(clients.s3(), clients.presigner(), bucket, settings);
      processor.prime();
      processor.process(job(bucket, warmKey));

      System.gc();
      List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
          .filter(p -> p.getType() == MemoryType.HEAP).toList();
      heap.forEach(MemoryPoolMXBean::resetPeakUsage);
      var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
      long allocatedBefore = threads.getTotalThreadAllocatedBytes();
      long serverBefore = parentCpuMillis();
      long start = System.nanoTime();
      Completion completion = processor.process(job(bucket, key));
      long nanos = System.nanoTime() - start;
      long allocated = threads.getTotalThreadAllocatedBytes() - allocatedBefore;
      long serverAfter = parentCpuMillis();
      long serverCpu = serverBefore < 0 || serverAfter < 0 ? -1 : serverAfter - serverBefore;
      long heapPeak = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
      long outputBytes = completion.outputs().stream().mapToLong(o -> o.bytes()).sum();
      long held = measureHeld ? heldPeak(() -> processor.process(job(bucket, key))) : -1;
      String steps = completion.stepMillis().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
          .collect(java.util.stream.Collectors.joining(","));
      System.out.printf(Locale.ROOT, "%s %d %d %d %d %s %d %d%n", RESULT, nanos, heapPeak, outputBytes, held, steps,
          allocated, serverCpu);
    }
  }

  /**
   * The CPU time the parent process has used, in ms: Linux's /proc/&lt;pid&gt;/stat, user plus system
   * time (fields 14 and 15, in clock ticks of 10 ms); -1 where there is no /proc.
   */
  static long parentCpuMillis() {
    try {
      long parent = ProcessHandle.current().parent().orElseThrow().pid();
      String stat = java.nio.file.Files.readString(Path.of("/proc", String.valueOf(parent), "stat"));
      // The command name (field 2) may hold spaces; the fields after it are plain.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10;
    } catch (java.io.IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * The most heap in use right after a full collection, sampled while {@code job} runs. The figure
   * is the collection's own "after" usage of the heap's pools, not a reading taken once it
   * returns: in between, the job's threads run on and allocate (buffers on their way to S3),
   * which a later reading would count as held.
   */
  static long heldPeak(Runnable job) {
    java.lang.management.MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    java.util.Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName)
        .collect(java.util.stream.Collectors.toSet());
    // The collector that runs the full collections System.gc() asks for: the one that manages the old generation.
    com.sun.management.GarbageCollectorMXBean full = ManagementFactory.getGarbageCollectorMXBeans().stream()
        .filter(gc -> java.util.Arrays.asList(gc.getMemoryPoolNames()).stream().anyMatch(n -> n.contains("Old")
            || n.contains("Tenured")))
        .map(com.sun.management.GarbageCollectorMXBean.class::cast).findFirst()
        .orElseThrow(() -> new IllegalStateException("no collector manages the old generation"));
    java.util.concurrent.atomic.AtomicLong peak = new java.util.concurrent.atomic.AtomicLong();
    java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
    Thread sampler = Thread.ofPlatform().daemon().start(() -> {
      while (running.get()) {
        memory.gc();
        long after = full.getLastGcInfo().getMemoryUsageAfterGc().entrySet().stream()
            .filter(e -> heapPools.contains(e.getKey())).mapToLong(e -> e.getValue().getUsed()).sum();
        peak.accumulateAndGet(after, Math::max);
        try {
          Thread.sleep(HELD_SAMPLE_MILLIS);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    try {
      job.run();
    } finally {
      running.set(false);
      try {
        sampler.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return peak.get();
  }

  private static Job job(String bucket, String key) {
    return new Job(UUID.randomUUID().toString(), bucket, key, "bench", "bench", Instant.now());
  }
}
