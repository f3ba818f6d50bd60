package edu.dsc650.replay;

import java.time.Instant;

/**
 * Time as the replayer sees it; tests inject a fake one so that schedules are checked without
 * sleeping.
 */
public interface ReplayClock {
  /** The wall-clock instant, for the run's start S. */
  Instant now();

  /** A monotonic reading in nanoseconds, for due instants and lag. */
  long nanoTime();

  /**
   * Waits until {@link #nanoTime()} reaches {@code deadline} or {@code stop} says to stop,
   * whichever comes first.
   */
  void sleepUntil(long deadline, java.util.function.BooleanSupplier stop);

  /** Wakes a thread waiting in {@link #sleepUntil}. */
  void wake(Thread sleeper);
}
