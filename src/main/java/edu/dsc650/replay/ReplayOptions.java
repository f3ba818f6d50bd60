package edu.dsc650.replay;

import edu.dsc650.io.ResultsLayout;
import edu.dsc650.parquet.OutputCodec;
import java.time.Duration;

/**
 * How to replay.
 *
 * @param results the results folder the run writes (staging, input, replay.json)
 * @param speedup simulation seconds per wall-clock second; infinite for as fast as possible
 * @param mergeSlices write one file per slice and topic instead of one per source file
 * @param compression the output codec, or null to keep the source's
 * @param threads workers that read and rewrite slices ahead of their due instant
 * @param headStart how far after the end of validation the run's start S lies: the rows of every
 *     slice, the first ones too, depend on S, so they can only be rewritten once S is chosen; the
 *     head start lets the slices due first be ready at their instant (zero at max speed)
 * @param laps how many times to replay the source ({@code --loop}); 0 until stopped (see {@link
 *     Laps})
 * @param scale how many distinct rides each source ride is replayed as ({@code --scale}, see {@link
 *     RideCopies})
 * @param retain an endless run's retention ({@code --retain}): a published slice stays in input and
 *     in its topic's log for at least this long (wall clock), so that a reader slower than a lap
 *     still finds it; then its folder is deleted and the log's compactions stop naming it. A run
 *     with an end keeps everything.
 */
public record ReplayOptions(
    ResultsLayout results,
    double speedup,
    boolean mergeSlices,
    OutputCodec compression,
    int threads,
    Duration headStart,
    int laps,
    int scale,
    Duration retain) {

  /**
   * {@code --retain}'s default: readers may fall minutes behind (a slow trigger, a restart) and
   * lose nothing.
   */
  public static final Duration DEFAULT_RETAIN = Duration.ofMinutes(10);

  public ReplayOptions(
      ResultsLayout results,
      double speedup,
      boolean mergeSlices,
      OutputCodec compression,
      int threads,
      Duration headStart,
      int laps,
      int scale) {
    this(
        results,
        speedup,
        mergeSlices,
        compression,
        threads,
        headStart,
        laps,
        scale,
        DEFAULT_RETAIN);
  }

  public ReplayOptions {
    if (scale < 1) {
      throw new IllegalArgumentException("scale " + scale);
    }
  }

  /** One lap of the source's rides, as before {@code --loop} and {@code --scale}. */
  public ReplayOptions(
      ResultsLayout results,
      double speedup,
      boolean mergeSlices,
      OutputCodec compression,
      int threads,
      Duration headStart) {
    this(results, speedup, mergeSlices, compression, threads, headStart, 1, 1);
  }

  /** The head start used by the command line: enough for a cold JVM to rewrite the first slices. */
  public static final Duration DEFAULT_HEAD_START = Duration.ofSeconds(1);

  /**
   * Fastest and slowest speed-ups: a schedule's instants fit in a long of nanoseconds for years.
   */
  public static final double MIN_SPEEDUP = 1e-3;

  public static final double MAX_SPEEDUP = 1e5;

  /**
   * An endless run faster than this publishes faster than a disk holds a retention window of it.
   */
  public static final double MAX_ENDLESS_SPEEDUP = 100;

  /** The fastest this run may go, when it starts or when it is steered. */
  public double fastest() {
    return laps == 0 ? MAX_ENDLESS_SPEEDUP : MAX_SPEEDUP;
  }

  public boolean maxSpeed() {
    return Double.isInfinite(speedup);
  }
}
