package dev.priorityqueues.local.cli;

import dev.priorityqueues.common.AwsClients;
import dev.priorityqueues.common.Completion;
import dev.priorityqueues.contract.EnvReader;
import dev.priorityqueues.contract.Job;
import dev.priorityqueues.contract.Transcoding;
import dev.priorityqueues.worker.processing.TranscodeSettings;
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
 * measured job is timed. The same job then runs once more, untimed, while a sampler forces a
 * full collection every {@value #HELD_SAMPLE_MILLIS} ms: the most heap left after one is what the
 * worker holds, without the garbage that young collections promote (which grows with the job's
 * length, not with what it keeps). Prints one line:
 * {@code RESULT <job nanos> <peak heap bytes> <output bytes> <peak held heap bytes>}.
 *
 * <p>Arguments: ffmpeg, scratch directory, bucket, warm-up key, measured key, vCPUs. The S3
 * endpoint and credentials come from the environment, as the worker's do.
 */
public final class TranscodeJobProcess {
  private TranscodeJobProcess() {}

  public static final String RESULT = "RESULT";
  static final long HELD_SAMPLE_MILLIS = 25;

  public static void main(String[] args) {
    Path ffmpeg = Path.of(args[0]);
    Path scratch = Path.of(args[1]);
    String bucket = args[2];
    String warmKey = args[3];
    String key = args[4];
    double vcpus = Double.parseDouble(args[5]);
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
      long start = System.nanoTime();
      Completion completion = processor.process(job(bucket, key));
      long nanos = System.nanoTime() - start;
      long heapPeak = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
      long outputBytes = completion.outputs().stream().mapToLong(o -> o.bytes()).sum();
      long held = heldPeak(() -> processor.process(job(bucket, key)));
      System.out.printf(Locale.ROOT, "%s %d %d %d %d%n", RESULT, nanos, heapPeak, outputBytes, held);
    }
  }

  /** The most heap in use right after a full collection, sampled while {@code job} runs. */
  static long heldPeak(Runnable job) {
    java.lang.management.MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    java.util.concurrent.atomic.AtomicLong peak = new java.util.concurrent.atomic.AtomicLong();
    java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
    Thread sampler = Thread.ofPlatform().daemon().start(() -> {
      while (running.get()) {
        memory.gc();
        peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
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
