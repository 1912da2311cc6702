package dev.priorityqueues.local.bench;

import java.util.Arrays;

/** Nearest-rank percentiles over a sample, as reported in the benchmark tables. */
public final class Percentiles {
  private final double[] sorted;

  public Percentiles(double[] values) {
    this.sorted = values.clone();
    Arrays.sort(sorted);
  }

  public int count() {
    return sorted.length;
  }

  /** The p-th percentile (0 &lt; p ≤ 100) by nearest rank; NaN for an empty sample. */
  public double at(double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    if (p <= 0 || p > 100) {
      throw new IllegalArgumentException("percentile must be in (0, 100], not " + p);
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }

  public double max() {
    return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1];
  }
}
