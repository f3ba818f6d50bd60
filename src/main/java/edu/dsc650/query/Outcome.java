package edu.dsc650.query;

/** How a run of the queries ended without failing (a failure is an exception). */
public enum Outcome {
  /**
   * Done as asked: the replay was complete and drained, or available-now processed what was there.
   */
  DONE,
  /** Stopped on request (a signal) before that. */
  STOPPED
}
