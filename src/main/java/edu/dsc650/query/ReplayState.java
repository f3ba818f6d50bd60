package edu.dsc650.query;

import edu.dsc650.BadInputException;
import edu.dsc650.io.ReplayManifest;
import edu.dsc650.io.ResultsLayout;
import edu.dsc650.io.RunLock;
import edu.dsc650.io.Storage;
import java.io.IOException;

/**
 * What the results folder says of the replay: its replay.json, and whether a stream-data holds its
 * lock.
 */
final class ReplayState {
  private final Storage results;
  private final ResultsLayout layout;

  ReplayState(Storage results, ResultsLayout layout) {
    this.results = results;
    this.layout = layout;
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
   * What {@link ReplayFollower#endedWithoutCompleting} says, with the lock looked at twice around a
   * second read of replay.json: a run that completes and releases its lock between the first read
   * and the look at the lock is not taken for dead.
   */
  String endedWithoutCompleting(ReplayFollower replay, ReplayManifest manifest) throws IOException {
    boolean held = lockHeld();
    String ended = replay.endedWithoutCompleting(manifest, held);
    if (ended == null || held) {
      return ended;
    }
    ReplayManifest again = manifest();
    return again == null || !again.equals(manifest)
        ? null
        : replay.endedWithoutCompleting(again, lockHeld());
  }
}
