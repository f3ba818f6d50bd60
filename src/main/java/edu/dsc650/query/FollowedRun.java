package edu.dsc650.query;

import edu.dsc650.BadInputException;
import edu.dsc650.io.ReplayManifest;
import edu.dsc650.io.ResultsLayout;
import edu.dsc650.io.RunLock;
import edu.dsc650.io.Storage;
import java.io.IOException;

/**
 * Which replay run the queries follow, and whether it is still theirs. They follow one run: the one
 * in replay.json when they start, or the newer one that replaces it before they read anything. What
 * the results folder says of it: replay.json, and whether a stream-data holds the lock. A completed
 * replay.json counts only while no stream-data run holds the lock: a new run takes the lock before
 * it writes its own replay.json, so until then the completed one is an earlier run's.
 */
final class FollowedRun {
  private final Storage results;
  private final ResultsLayout layout;
  private String following;

  FollowedRun(Storage results, ResultsLayout layout) {
    this.results = results;
    this.layout = layout;
  }

  /** The run followed, or null before there is one. */
  String id() {
    return following;
  }

  /** replay.json, or null if there is none; one that is not stream-data's is bad input. */
  ReplayManifest manifest() throws IOException {
    try {
      return ReplayManifest.read(results, layout.replayManifest());
    } catch (IOException e) {
      if (e.getCause() instanceof com.fasterxml.jackson.core.JsonProcessingException) {
        throw new BadInputException(e.getMessage(), e);
      }
      throw e;
    }
  }

  /** Whether a live stream-data holds the results folder's lock. */
  boolean lockHeld() throws IOException {
    return RunLock.isHeld(results, layout.replayLock());
  }

  /**
   * Takes the run in {@code manifest} as the one followed if it is another.
   *
   * @param manifest what replay.json says now, or null if there is none
   * @return the run followed until now if the manifest's replaces it, else null
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
   * Why the followed run will never complete, or null if it may, as {@link #endedWithoutCompleting
   * (ReplayManifest, boolean)} says, with the lock looked at twice around a second read of
   * replay.json: a run that completes and releases its lock between the first read and the look at
   * the lock is not taken for dead.
   */
  String endedWithoutCompleting(ReplayManifest manifest) throws IOException {
    boolean held = lockHeld();
    String ended = endedWithoutCompleting(manifest, held);
    if (ended == null || held) {
      return ended;
    }
    ReplayManifest again = manifest();
    return again == null || !again.equals(manifest)
        ? null
        : endedWithoutCompleting(again, lockHeld());
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

  /**
   * replay.json as the queries must take it at the start: while a live stream-data holds the lock
   * and replay.json still names a run that has ended, the new run has not written its own yet (it
   * takes the lock first, then checks its source): waits for it rather than take the ended run for
   * the one to follow.
   *
   * @param waiting told once when the wait begins
   * @param stop ends the wait early
   */
  ReplayManifest currentManifest(Runnable waiting, java.util.function.BooleanSupplier stop)
      throws IOException, InterruptedException {
    boolean told = false;
    while (true) {
      ReplayManifest manifest = manifest();
      boolean ended =
          manifest != null
              && manifest.status() != ReplayManifest.Status.STARTING
              && manifest.status() != ReplayManifest.Status.REPLAYING;
      if (!ended || !lockHeld() || stop.getAsBoolean()) {
        return manifest;
      }
      if (!told) {
        waiting.run();
        told = true;
      }
      Thread.sleep(100);
    }
  }
}
