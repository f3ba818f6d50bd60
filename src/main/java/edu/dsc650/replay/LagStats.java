package edu.dsc650.replay;

import java.util.Arrays;

/**
 * Publish lags (actual publish time minus due instant), summarized as percentiles in milliseconds.
 * The first {@link #EXACT} lags are kept as they are and give exact percentiles; past that (an
 * endless {@code --loop} run) every lag goes into a histogram of buckets 1 % wide, so that memory
 * stays fixed however long the run, and percentiles are then within 1 % (the maximum stays exact).
 */
public final class LagStats {
  static final int EXACT = 1 << 16;

  /** Buckets from 1 us up, each 1 % wider than the one before: 2,100 of them reach 20 minutes. */
  private static final double GROWTH = 1.01;

  private static final int BUCKETS = 2_100;

  private long[] nanos = new long[256];
  private int count;
  private long[] histogram; // null while exact
  private long total;
  private long max = Long.MIN_VALUE;

  public synchronized void add(long lagNanos) {
    total++;
    max = Math.max(max, lagNanos);
    if (histogram != null) {
      histogram[bucket(lagNanos)]++;
      return;
    }
    if (count == EXACT) {
      histogram = new long[BUCKETS];
      for (int i = 0; i < count; i++) {
        histogram[bucket(nanos[i])]++;
      }
      nanos = null;
      histogram[bucket(lagNanos)]++;
      return;
    }
    if (count == nanos.length) {
      nanos = Arrays.copyOf(nanos, count * 2);
    }
    nanos[count++] = lagNanos;
  }

  /** How many values were added. */
  public synchronized long count() {
    return total;
  }

  /** Bucket 0 holds lags up to 1 us (and early publications); bucket b up to GROWTH^b us. */
  private static int bucket(long lagNanos) {
    if (lagNanos <= 1_000) {
      return 0;
    }
    int b = (int) Math.ceil(Math.log(lagNanos / 1_000.0) / Math.log(GROWTH));
    return Math.min(BUCKETS - 1, b);
  }

  /** The p-th percentile (0..100, nearest rank) in milliseconds; NaN when empty. */
  public synchronized double percentileMillis(double p) {
    if (total == 0) {
      return Double.NaN;
    }
    long rank = Math.max(1, Math.min(total, (long) Math.ceil(p / 100.0 * total)));
    if (histogram == null) {
      long[] sorted = Arrays.copyOf(nanos, count);
      Arrays.sort(sorted);
      return sorted[(int) rank - 1] / 1e6;
    }
    long seen = 0;
    for (int b = 0; b < BUCKETS; b++) {
      seen += histogram[b];
      if (seen >= rank) {
        // the bucket's upper bound, never above the largest lag seen
        return Math.min(Math.pow(GROWTH, b) * 1_000, max) / 1e6;
      }
    }
    return max / 1e6;
  }

  public synchronized double maxMillis() {
    return total == 0 ? Double.NaN : max / 1e6;
  }
}
