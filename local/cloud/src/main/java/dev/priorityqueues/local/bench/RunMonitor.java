package dev.priorityqueues.local.bench;

import dev.priorityqueues.local.sqs.LocalEventSourceMapping;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Samples a run while it replays: the concurrency Lambda's scaling allows all the mappings
 * together (what the ramp makes available), and the CPU time of the JVM's threads by what they
 * are. The servers run in the same JVM as the emulated functions, so a thread's name says whose
 * work it did: {@code fn-} threads are invocations (the worker's code and SDK clients), {@code esm-}
 * the mappings' pollers, {@code bench-} the driver, everything else the servers and the JVM (GC, JIT).
 */
public final class RunMonitor implements AutoCloseable {

  /** The ramp's concurrency at {@code atMillis} from the trace start (real time), summed over mappings. */
  public record Sample(long atMillis, int allowed) {}

  /** CPU seconds by owner over the run, the run's wall time and the machine's load average after it. */
  public record Cpu(double functionsSeconds, double pollersSeconds, double driverSeconds, double serversSeconds,
      double wallSeconds, int cores, double loadAverage) {
    /** The share of the machine's cores the servers and the JVM's own threads used, 0..1. */
    public double serversShare() {
      return serversSeconds / (wallSeconds * cores);
    }

    public double processShare() {
      return (functionsSeconds + pollersSeconds + driverSeconds + serversSeconds) / (wallSeconds * cores);
    }
  }

  private final List<LocalEventSourceMapping> mappings;
  private final long traceStart;
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final Map<Long, Long> cpuByThread = new HashMap<>();
  private final Map<Long, String> nameByThread = new HashMap<>();
  private final Map<Long, Long> baseline = new HashMap<>();
  private final List<Sample> samples = new ArrayList<>();
  private final ScheduledExecutorService timer;
  private final long wallStart = System.nanoTime();

  public RunMonitor(List<LocalEventSourceMapping> mappings, long traceStartMillis, long sampleMillis) {
    this.mappings = List.copyOf(mappings);
    this.traceStart = traceStartMillis;
    if (threads.isThreadCpuTimeSupported() && !threads.isThreadCpuTimeEnabled()) {
      threads.setThreadCpuTimeEnabled(true);
    }
    readThreads(baseline);
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "bench-monitor");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleAtFixedRate(this::sample, 0, sampleMillis, TimeUnit.MILLISECONDS);
    timer.scheduleAtFixedRate(() -> readThreads(cpuByThread), 1000, 1000, TimeUnit.MILLISECONDS);
  }

  private void sample() {
    int allowed = 0;
    for (LocalEventSourceMapping mapping : mappings) {
      allowed += mapping.allowedConcurrency();
    }
    synchronized (samples) {
      samples.add(new Sample(System.currentTimeMillis() - traceStart, allowed));
    }
  }

  /** Each thread's CPU time so far; a thread that ended keeps its last reading. */
  private synchronized void readThreads(Map<Long, Long> into) {
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info == null) {
        continue;
      }
      long cpu = threads.getThreadCpuTime(info.getThreadId());
      if (cpu >= 0) {
        into.put(info.getThreadId(), cpu);
        nameByThread.put(info.getThreadId(), info.getThreadName());
      }
    }
  }

  public List<Sample> samples() {
    synchronized (samples) {
      return List.copyOf(samples);
    }
  }

  /** Stops sampling and gives the CPU used since this monitor started. */
  public synchronized Cpu cpu() {
    timer.shutdownNow();
    readThreads(cpuByThread);
    double fn = 0;
    double esm = 0;
    double driver = 0;
    double rest = 0;
    for (Map.Entry<Long, Long> e : cpuByThread.entrySet()) {
      double seconds = (e.getValue() - baseline.getOrDefault(e.getKey(), 0L)) / 1e9;
      String name = nameByThread.getOrDefault(e.getKey(), "");
      if (name.startsWith("fn-")) {
        fn += seconds;
      } else if (name.startsWith("esm-")) {
        esm += seconds;
      } else if (name.startsWith("bench-")) {
        driver += seconds;
      } else {
        rest += seconds;
      }
    }
    // Threads that never showed up in a reading (short-lived) are in the process total only.
    double process = processCpuSeconds();
    double wall = (System.nanoTime() - wallStart) / 1e9;
    double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    double unattributed = Math.max(0, process - processStart - (fn + esm + driver + rest));
    return new Cpu(fn, esm, driver, rest + unattributed, wall, Runtime.getRuntime().availableProcessors(), load);
  }

  private final double processStart = processCpuSeconds();

  private static double processCpuSeconds() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime() / 1e9;
    }
    return 0;
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
