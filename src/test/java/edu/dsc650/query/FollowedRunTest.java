package edu.dsc650.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import edu.dsc650.io.ReplayManifest;
import edu.dsc650.io.ReplayManifest.Status;
import org.junit.jupiter.api.Test;

/** When --until-replay-complete takes a replay for complete: the run it follows, and the lock. */
class FollowedRunTest {
  /** Following run {@code id} (null: none yet), as after its first replay.json. */
  private static FollowedRun following(String id) {
    FollowedRun followed = new FollowedRun(null, null);
    if (id != null) {
      followed.observe(run(id, Status.REPLAYING));
    }
    return followed;
  }

  private static ReplayManifest run(String id, Status status) {
    return new ReplayManifest(
        id,
        new ReplayManifest.Plan(1.0, false, 1, 20.0, 1, 10, 100, 1000),
        new ReplayManifest.Progress(
            status, "2026-11-25T12:00:00Z", status == Status.COMPLETED ? 10 : 3, null, null, null),
        null);
  }

  @Test
  void anEarlierCompletedRunDoesNotCountWhileANewRunHoldsTheLock() {
    // run-query starts between a new stream-data's lock and its first replay.json
    FollowedRun follower = following("A");
    ReplayManifest earlier = run("A", Status.COMPLETED);
    assertFalse(follower.complete(earlier, true), "the completed replay.json is the earlier run's");

    // the new run writes replay.json before it clears input
    ReplayManifest starting = run("B", Status.STARTING);
    assertEquals("A", follower.observe(starting), "B replaces A");
    assertEquals("B", follower.id());
    assertFalse(follower.complete(starting, true));
    assertFalse(follower.complete(run("B", Status.REPLAYING), true));

    ReplayManifest done = run("B", Status.COMPLETED);
    assertNull(follower.observe(done), "still B");
    assertFalse(
        follower.complete(done, true), "B has written completed but not released its lock yet");
    assertTrue(follower.complete(done, false));
  }

  @Test
  void aCompletedRunWithNoRunStartingIsComplete() {
    FollowedRun follower = following("A");
    assertTrue(follower.complete(run("A", Status.COMPLETED), false));
    assertFalse(follower.complete(run("A", Status.STOPPED), false));
    assertFalse(follower.complete(run("A", Status.FAILED), false));
    assertFalse(follower.complete(null, false), "no replay.json");
  }

  @Test
  void withoutReplayJsonAtTheStartItFollowsTheFirstRunItSees() {
    FollowedRun follower = following(null);
    assertNull(follower.id());
    follower.observe(run("C", Status.REPLAYING));
    assertEquals("C", follower.id());
    assertFalse(follower.complete(run("C", Status.REPLAYING), false));
    assertTrue(follower.complete(run("C", Status.COMPLETED), false));
  }

  /** Issue 21, item 4: a run that will never complete is said, not waited for. */
  @Test
  void aRunThatStoppedFailedOrDiedWillNeverComplete() {
    FollowedRun follower = following("A");
    assertNull(follower.endedWithoutCompleting(run("A", Status.COMPLETED), false));
    assertNull(follower.endedWithoutCompleting(run("A", Status.REPLAYING), true), "alive");
    assertNull(follower.endedWithoutCompleting(run("A", Status.STARTING), true), "alive");
    assertEquals(
        "replay run A was stopped after 3 of 10 slices",
        follower.endedWithoutCompleting(run("A", Status.STOPPED), false));
    assertTrue(
        follower
            .endedWithoutCompleting(run("A", Status.FAILED), false)
            .startsWith("replay run A failed"));
    assertEquals(
        "replay run A ended without completing after 3 of 10 slices (its stream-data is gone)",
        follower.endedWithoutCompleting(run("A", Status.REPLAYING), false));
    assertNull(
        follower.endedWithoutCompleting(run("B", Status.FAILED), false), "not the followed run");
  }
}
