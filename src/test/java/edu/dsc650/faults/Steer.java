package edu.dsc650.faults;

import edu.dsc650.io.ReplayManifest;
import edu.dsc650.io.ResultsLayout;
import edu.dsc650.io.SteeringRequests;
import edu.dsc650.io.Storage;
import edu.dsc650.testing.Replayed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Steers a replay of another process as the live page does: requests left in the results folder for
 * the run replay.json names.
 */
final class Steer {
  private Steer() {}

  /** A step of a steering plan: wait this long after the one before, then ask for the action. */
  record Step(long afterMillis, String action) {}

  /**
   * A thread that waits for the run to be replaying, then takes the steps; it ends early when
   * interrupted (the run was killed).
   */
  static Thread plan(Path results, List<Step> steps) {
    Thread t =
        new Thread(
            () -> {
              try {
                String runId = awaitReplaying(results);
                SteeringRequests requests =
                    new SteeringRequests(
                        Storage.forLocation(results.toString()),
                        new ResultsLayout(new org.apache.hadoop.fs.Path(results.toUri())));
                for (Step step : steps) {
                  Thread.sleep(step.afterMillis());
                  requests.send(runId, step.action());
                }
              } catch (InterruptedException e) {
                // the run was killed first
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            },
            "steer-" + results.getFileName());
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** Pauses {@code afterMillis} into the replay, resumes {@code forMillis} later. */
  static Thread pauseThenResume(Path results, long afterMillis, long forMillis) {
    return plan(results, List.of(new Step(afterMillis, "pause"), new Step(forMillis, "resume")));
  }

  /** The run's id, once replay.json says it is replaying. */
  private static String awaitReplaying(Path results) throws Exception {
    while (true) {
      if (Files.exists(results.resolve("replay.json"))) {
        ReplayManifest m = Replayed.manifest(results);
        if (m.status() == ReplayManifest.Status.REPLAYING) {
          return m.runId();
        }
      }
      Thread.sleep(20);
    }
  }

  /** replay.json's steering changes, e.g. [pause@3.2, resume@3.2]. */
  static List<String> changes(Path results) throws Exception {
    List<String> changes = new ArrayList<>();
    if (!Files.exists(results.resolve("replay.json"))) {
      return changes; // killed before it began
    }
    ReplayManifest.Steering s = Replayed.manifest(results).steering();
    if (s != null) {
      for (ReplayManifest.Change c : s.changes()) {
        changes.add(c.action() + "@" + Math.round(c.simSeconds() * 10) / 10.0);
      }
    }
    return changes;
  }
}
