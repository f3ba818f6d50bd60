package edu.dsc650.replay;

import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * How to replay.
 *
 * @param speedup simulation seconds per wall-clock second; infinite for as fast as possible
 * @param mergeSlices write one file per slice and topic instead of one per source file
 * @param compression the output codec, or null to keep the source's
 * @param threads workers that read and rewrite slices ahead of their due instant
 */
public record ReplayOptions(Path source, Path results, double speedup, boolean mergeSlices,
    CompressionCodecName compression, int threads) {

  public boolean maxSpeed() {
    return Double.isInfinite(speedup);
  }

  public Path staging() {
    return new Path(results, "staging");
  }

  public Path input() {
    return new Path(results, "input");
  }

  public Path manifest() {
    return new Path(results, "replay.json");
  }
}
