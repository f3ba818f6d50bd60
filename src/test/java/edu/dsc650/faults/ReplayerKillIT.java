package edu.dsc650.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import edu.dsc650.testing.BddLikeData;
import edu.dsc650.testing.JarProcess;
import edu.dsc650.testing.KillSchedule;
import edu.dsc650.testing.PublishedSlices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Promise 1: {@code stream-data} killed with SIGKILL at any moment leaves only whole, readable
 * slices in {@code input}; the next run removes the leftovers (staging, the dead run's lock) and
 * completes exactly. Each kill point: a replay at 20x on generated rides, SIGKILL at a random
 * instant, check {@code input}, rerun at max speed, check everything.
 */
class ReplayerKillIT {
  @TempDir Path tmp;

  @Test
  void killedAtRandomInstantsTheReplayLeavesOnlyWholeSlicesAndRestartsClean() throws Exception {
    Path source = tmp.resolve("source");
    BddLikeData.write(source);
    int slices = PublishedSlices.sourceSliceCount(source);
    KillSchedule schedule = new KillSchedule("stream-data kill -9");
    int kills = KillSchedule.count("replayKills", 20);
    int midRun = 0;
    for (int k = 0; k < kills; k++) {
      Path results = tmp.resolve("results-" + k);
      boolean merged = k % 2 == 1;
      String[] layout = merged ? new String[] {"--merge-slices"} : new String[0];
      // 20x: the ~80 s of generated rides take ~4 s after a ~1 s start, so instants up to 6 s cover
      // start-up, validation, the replay itself and the end of the run
      long killAfter = schedule.millisBetween(200, 6000);
      int published;
      try (JarProcess run =
          JarProcess.start(
              tmp.resolve("replay-" + k + ".log"),
              concat(
                  new String[] {
                    "stream-data",
                    "--source",
                    source.toString(),
                    "--results",
                    results.toString(),
                    "--speedup",
                    "20"
                  },
                  layout))) {
        // every third run is paused for a second and resumed soon after its start, through the
        // results folder as the live page does: kills land before, during and after the pause
        Thread steerer = k % 3 == 2 ? Steer.pauseThenResume(results, 300, 1000) : null;
        Thread.sleep(killAfter);
        boolean alive = run.isAlive();
        run.kill9();
        if (steerer != null) {
          steerer.interrupt();
          steerer.join();
        }
        published = PublishedSlices.assertOnlyWholeSlices(source, results, merged);
        boolean staged =
            Files.exists(results.resolve("staging")) && !isEmpty(results.resolve("staging"));
        System.out.printf(
            "kill %2d at %5d ms (%s%s): %3d of %d slices published, staging leftovers: %s%n",
            k,
            killAfter,
            alive ? "running" : "had already exited",
            steerer == null ? "" : ", paused " + Steer.changes(results),
            published,
            slices,
            staged);
        if (alive && published > 0 && published < slices) {
          midRun++;
        }
      }

      try (JarProcess rerun =
          JarProcess.start(
              tmp.resolve("rerun-" + k + ".log"),
              concat(
                  new String[] {
                    "stream-data",
                    "--source",
                    source.toString(),
                    "--results",
                    results.toString(),
                    "--max-speed"
                  },
                  layout))) {
        assertEquals(0, rerun.waitFor(Duration.ofMinutes(2)), rerun.output());
      }
      assertEquals(
          slices,
          PublishedSlices.assertOnlyWholeSlices(source, results, merged),
          "all slices after the rerun");
      assertFalse(
          Files.exists(results.resolve("staging")) && !isEmpty(results.resolve("staging")),
          "the rerun removed the staging leftovers");
      assertFalse(Files.exists(results.resolve(".replay.lock")), "the rerun released its lock");
      assertTrue(edu.dsc650.testing.Replayed.manifest(results).completed());
    }
    System.out.printf(
        "stream-data kill -9: %d kill points (seed %d), %d in the middle of publishing, all passed%n",
        kills, schedule.seed(), midRun);
    assertTrue(
        kills < 5 || midRun >= kills / 4,
        "too few kills landed mid-replay to prove anything: " + midRun);
  }

  private static boolean isEmpty(Path dir) throws java.io.IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.noneMatch(Files::isRegularFile);
    }
  }

  static String[] concat(String[] a, String[] b) {
    return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
  }
}
