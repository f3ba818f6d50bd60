package edu.dsc650.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import edu.dsc650.query.QueryOutputs;
import edu.dsc650.testing.BddLikeData;
import edu.dsc650.testing.JarProcess;
import edu.dsc650.testing.KillSchedule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Promise 2: {@code run-query all} killed with SIGKILL at any moment and restarted on the same
 * results folder ends with exactly the expected outputs. Rounds of a live replay at 1x (generated
 * rides, per-file and merged layouts alternating) with the queries killed at random instants and
 * restarted; after each kill the outputs, as Spark reads them, must be a part of the final answer
 * with nothing twice; after the last restart runs to the end, they must be exactly the answer.
 */
class QueryKillIT {
  static final int KILLS_PER_ROUND = 5;

  @TempDir
  Path tmp;

  @Test
  void killedAtRandomInstantsTheQueriesRestartWithNothingLostOrDuplicated() throws Exception {
    Path source = tmp.resolve("source");
    BddLikeData.write(source);
    KillSchedule schedule = new KillSchedule("run-query kill -9");
    int kills = KillSchedule.count("queryKills", 20);
    SparkSession spark = QueryOutputs.batchSession();
    int k = 0;
    List<Long> instants = new ArrayList<>();
    try {
      for (int round = 1; k < kills; round++) {
        Path results = tmp.resolve("results-" + round);
        boolean merged = round % 2 == 0;
        List<String> replayArgs = new ArrayList<>(List.of("stream-data", "--source", source.toString(),
            "--results", results.toString(), "--speedup", "1"));
        if (merged) {
          replayArgs.add("--merge-slices");
        }
        try (JarProcess replay = JarProcess.start(tmp.resolve("replay-" + round + ".log"),
            replayArgs.toArray(String[]::new))) {
          awaitFile(results.resolve("replay.json"), replay);
          for (int i = 0; i < KILLS_PER_ROUND && k < kills; i++, k++) {
            // up to 35 s: kills land in Spark's start-up, in the first (slow) batches and in later ones
            long killAfter = schedule.millisBetween(2000, 35_000);
            instants.add(killAfter);
            try (JarProcess query = JarProcess.start(tmp.resolve("query-" + k + ".log"), "run-query", "all",
                "--results", results.toString(), "--master", "local[2]")) {
              Thread.sleep(killAfter);
              assertTrue(query.isAlive(), "run-query ended before its kill:\n" + query.output());
              query.kill9();
            }
            long rows = QueryOutputs.checkNothingDuplicated(spark, source, results);
            System.out.printf("round %d (%s), kill %2d at %5d ms: %,d output rows so far, none twice; replay %s%n",
                round, merged ? "merged" : "per-file", k, killAfter, rows, replay.isAlive() ? "running" : "done");
          }
          try (JarProcess last = JarProcess.start(tmp.resolve("final-" + round + ".log"), "run-query", "all",
              "--results", results.toString(), "--master", "local[2]", "--until-replay-complete")) {
            assertEquals(0, last.waitFor(Duration.ofMinutes(5)), last.output());
          }
          assertEquals(0, replay.waitFor(Duration.ofMinutes(2)), replay.output());
        }
        QueryOutputs.checkAll(spark, source, results);
        System.out.printf("round %d: final outputs exactly as expected after %d kills%n", round, k);
      }
    } finally {
      spark.stop();
    }
    System.out.printf("run-query kill -9: %d kill points (seed %d, instants %s ms), all passed%n",
        kills, schedule.seed(), instants);
  }

  private static void awaitFile(Path file, JarProcess writer) throws Exception {
    while (!Files.exists(file)) {
      assertTrue(writer.isAlive(), "stream-data ended early:\n" + writer.output());
      Thread.sleep(50); // polls a condition; nothing depends on how long this takes
    }
  }
}
