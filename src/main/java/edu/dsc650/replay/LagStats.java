package edu.dsc650.replay;

import java.util.Arrays;

/** Publish lags (actual publish time minus due instant), summarized as percentiles in milliseconds. */
public final class LagStats {
  private long[] nanos = new long[256];
  private int count;

  public synchronized void add(long lagNanos) {
    if (count == nanos.length) {
      nanos = Arrays.copyOf(nanos, count * 2);
    }
    nanos[count++] = lagNanos;
  }

  /** The p-th percentile (0..100, nearest rank) in milliseconds; NaN when empty. */
  public synchronized double percentileMillis(double p) {
    if (count == 0) {
      return Double.NaN;
    }
    long[] sorted = Arrays.copyOf(nanos, count);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * count);
    return sorted[Math.max(0, Math.min(count - 1, rank - 1))] / 1e6;
  }

  public double maxMillis() {
    return percentileMillis(100);
  }
}
