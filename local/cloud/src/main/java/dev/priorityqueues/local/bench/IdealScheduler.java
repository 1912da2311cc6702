package dev.priorityqueues.local.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The limit every flow is measured against: a perfect, non-preemptive, strict-priority scheduler
 * with the same number of slots, run on the same trace. Whenever a slot is free it starts the
 * waiting job of the highest tier that arrived first; it never idles while a job waits, and it
 * has no polling, no API latency and no visibility timeouts.
 */
public final class IdealScheduler {
  private IdealScheduler() {}

  /** When each job of the trace starts and finishes, in ms from the trace start. */
  public record Schedule(long[] startMillis, long[] finishMillis) {
    public long waitMillis(Arrival arrival) {
      return startMillis[arrival.index()] - arrival.atMillis();
    }

    public long makespanMillis() {
      long end = 0;
      for (long finish : finishMillis) {
        end = Math.max(end, finish);
      }
      return end;
    }
  }

  /**
   * @param arrivals the trace, indexed 0..n-1 by {@link Arrival#index()}
   * @param serviceMillis how long each job occupies its slot, by index
   */
  public static Schedule run(List<Arrival> arrivals, double[] serviceMillis, int slots) {
    if (slots < 1) {
      throw new IllegalArgumentException("slots must be ≥ 1, not " + slots);
    }
    int n = arrivals.size();
    long[] start = new long[n];
    long[] finish = new long[n];
    List<Arrival> byTime = new ArrayList<>(arrivals);
    byTime.sort(Comparator.comparingLong(Arrival::atMillis).thenComparingInt(Arrival::index));
    PriorityQueue<Arrival> waiting =
        new PriorityQueue<>(
            Comparator.comparingInt(Arrival::tierRank)
                .thenComparingLong(Arrival::atMillis)
                .thenComparingInt(Arrival::index));
    // Slot free times, earliest first.
    PriorityQueue<Double> free = new PriorityQueue<>();
    for (int i = 0; i < slots; i++) {
      free.add(0.0);
    }
    int next = 0;
    int done = 0;
    while (done < n) {
      double slotFree = free.poll();
      // Everything that has arrived by the time this slot frees competes for it.
      while (next < n && byTime.get(next).atMillis() <= slotFree) {
        waiting.add(byTime.get(next++));
      }
      double now = slotFree;
      if (waiting.isEmpty()) {
        // The slot idles until the next arrival.
        now = Math.max(slotFree, byTime.get(next).atMillis());
        while (next < n && byTime.get(next).atMillis() <= now) {
          waiting.add(byTime.get(next++));
        }
      }
      Arrival job = waiting.poll();
      double end = now + serviceMillis[job.index()];
      start[job.index()] = Math.round(now);
      finish[job.index()] = Math.round(end);
      free.add(end);
      done++;
    }
    return new Schedule(start, finish);
  }

  /**
   * The same scheduler on a number of slots that changes over time: {@code capacity} holds
   * (from ms, slots) steps, sorted by time, the first valid from time 0. A slot taken away while
   * busy finishes its job (non-preemptive); a slot added starts the best waiting job at once. With
   * the concurrency Lambda's scaling ramp allowed the run's mappings, this is the ideal on the
   * concurrency the ramp makes available: any gap to it is scheduling, not scaling.
   */
  public static Schedule runWithCapacity(List<Arrival> arrivals, double[] serviceMillis, List<long[]> capacity) {
    if (capacity.isEmpty()) {
      throw new IllegalArgumentException("capacity needs at least one step");
    }
    int n = arrivals.size();
    long[] start = new long[n];
    long[] finish = new long[n];
    List<Arrival> byTime = new ArrayList<>(arrivals);
    byTime.sort(Comparator.comparingLong(Arrival::atMillis).thenComparingInt(Arrival::index));
    PriorityQueue<Arrival> waiting = new PriorityQueue<>(
        Comparator.comparingInt(Arrival::tierRank).thenComparingLong(Arrival::atMillis).thenComparingInt(Arrival::index));
    PriorityQueue<Double> running = new PriorityQueue<>();
    int next = 0;
    int step = 0;
    long slots = Math.max(1, capacity.get(0)[1]);
    int started = 0;
    double now = 0;
    while (started < n) {
      while (step + 1 < capacity.size() && capacity.get(step + 1)[0] <= now) {
        slots = Math.max(1, capacity.get(++step)[1]);
      }
      while (!running.isEmpty() && running.peek() <= now) {
        running.poll();
      }
      while (next < n && byTime.get(next).atMillis() <= now) {
        waiting.add(byTime.get(next++));
      }
      while (running.size() < slots && !waiting.isEmpty()) {
        Arrival job = waiting.poll();
        double end = now + serviceMillis[job.index()];
        start[job.index()] = Math.round(now);
        finish[job.index()] = Math.round(end);
        running.add(end);
        started++;
      }
      double later = Double.POSITIVE_INFINITY;
      if (next < n) {
        later = byTime.get(next).atMillis();
      }
      if (!running.isEmpty()) {
        later = Math.min(later, running.peek());
      }
      if (step + 1 < capacity.size()) {
        later = Math.min(later, capacity.get(step + 1)[0]);
      }
      if (started < n && Double.isInfinite(later)) {
        throw new IllegalStateException("jobs wait with no event left to start them");
      }
      now = Math.max(now, later);
    }
    return new Schedule(start, finish);
  }
}
