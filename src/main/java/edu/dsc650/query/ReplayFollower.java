package edu.dsc650.query;

import edu.dsc650.io.ReplayManifest;

/**
 * Which replay run the queries follow, and whether it is complete. They follow one run: the one in
 * replay.json when they start, or the newer one that replaces it (its input replaces the old
 * one's). A completed replay.json counts only while no stream-data run holds the lock: a new run
 * takes the lock before it writes its own replay.json, so until then the completed one is an
 * earlier run's.
 */
final class ReplayFollower {
  private String following;

  /**
   * @param runId the run in replay.json at the start, or null if there is none
   */
  ReplayFollower(String runId) {
    this.following = runId;
  }

  String following() {
    return following;
  }

  /**
   * Looks at replay.json once.
   *
   * @param manifest what replay.json says now, or null if there is none
   * @return the run id now followed if it replaces an earlier one, else null
   */
  String observe(ReplayManifest manifest) {
    if (manifest == null || manifest.runId().equals(following)) {
      return null;
    }
    String previous = following;
    following = manifest.runId();
    return previous;
  }

  /**
   * True if the followed run is complete: every slice published, and no new run starting.
   *
   * @param lockHeld whether a stream-data run may hold the results folder's lock
   */
  boolean complete(ReplayManifest manifest, boolean lockHeld) {
    return manifest != null
        && manifest.runId().equals(following)
        && manifest.completed()
        && !lockHeld;
  }

  /**
   * Why the followed run will never complete, or null if it may: it was stopped, it failed, or its
   * stream-data is gone (replay.json still says starting or replaying, and no live process holds
   * the lock: a run writes its last replay.json before it releases the lock).
   *
   * @param lockHeld whether a stream-data run may hold the results folder's lock
   */
  String endedWithoutCompleting(ReplayManifest manifest, boolean lockHeld) {
    if (manifest == null || !manifest.runId().equals(following)) {
      return null;
    }
    String progress =
        " after " + manifest.publishedSlices() + " of " + manifest.slices() + " slices";
    return switch (manifest.status()) {
      case COMPLETED -> null;
      case STOPPED -> "replay run " + following + " was stopped" + progress;
      case FAILED ->
          "replay run "
              + following
              + " failed"
              + progress
              + (manifest.error() == null ? "" : " (" + manifest.error() + ")");
      case STARTING, REPLAYING ->
          lockHeld
              ? null
              : "replay run "
                  + following
                  + " ended without completing"
                  + progress
                  + " (its stream-data is gone)";
    };
  }
}
