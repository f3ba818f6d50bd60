package edu.dsc650.replay;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * What a run did; lag figures are NaN for an as-fast-as-possible run, which has no due instants.
 */
public record ReplaySummary(
    String runId,
    Instant start,
    int slices,
    int slicesTotal,
    long files,
    long rows,
    Duration wallTime,
    double lagP50Ms,
    double lagP99Ms,
    double lagMaxMs,
    boolean completed) {

  public String describe() {
    String lag =
        Double.isNaN(lagP50Ms)
            ? "lag n/a (max speed)"
            : String.format(
                Locale.ROOT,
                "lag p50 %.2f ms, p99 %.2f ms, max %.2f ms",
                lagP50Ms,
                lagP99Ms,
                lagMaxMs);
    return String.format(
        Locale.ROOT,
        "%s: %d/%s slices, %,d source files, %,d rows in %.2f s; %s",
        completed ? "replay complete" : "replay stopped",
        slices,
        slicesTotal < 0 ? "endless" : slicesTotal,
        files,
        rows,
        wallTime.toNanos() / 1e9,
        lag);
  }
}
