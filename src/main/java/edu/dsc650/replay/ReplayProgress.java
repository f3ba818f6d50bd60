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
}
