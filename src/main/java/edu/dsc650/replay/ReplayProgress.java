package edu.dsc650.replay;

/** Receives the replay's progress; the command line prints it, tests record it. */
public interface ReplayProgress {
  /**
   * Called after each moment is published.
   *
   * @param lagNanos the publish lag of that moment, or -1 at max speed
   */
  void published(
      int slicesDone, int slicesTotal, double simSeconds, long files, long rows, long lagNanos);

  /**
   * Called after each request to steer the run, applied or refused.
   *
   * @param what what became of it, in a few words ("paused", "speed-up 2", "speed-up stays 100: …")
   * @param paused whether the run is paused now
   * @param speedup its speed-up now (the one a resume goes on at)
   */
  default void steered(String what, boolean paused, double speedup) {}
}
