package edu.dsc650.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import edu.dsc650.cli.CommandRunner;
import edu.dsc650.io.ResultsLayout;
import edu.dsc650.testing.BddLikeData;
import edu.dsc650.testing.Replayed;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drain at the end of a complete replay, across restarts: the outputs are the whole answer
 * however the drain was interrupted, and a drained checkpoint is not continued on another replay.
 */
@Tag("cli")
class EndOfStreamTest {
  @TempDir Path tmp;

  private static CommandRunner runQuery(int expected, Path results, String... extra) {
    CommandRunner cli = new CommandRunner();
    String[] base = {
      "run-query", "joined", "--results", results.toString(), "--master", "local[2]"
    };
    String[] args =
        java.util.stream.Stream.concat(
                java.util.Arrays.stream(base), java.util.Arrays.stream(extra))
            .toArray(String[]::new);
    assertEquals(expected, cli.run(args), cli.out + "\n" + cli.err);
    return cli;
  }

  /** Generated rides in {@code source}, replayed at max speed into {@code <tmp>/results}. */
  private Path replayedAtMaxSpeed(Path source) throws Exception {
    Path results = tmp.resolve("results");
    BddLikeData.write(source);
    RunQueryCorrectnessTest.replay(source, results, "--max-speed");
    return results;
  }

  private static void checkJoinedDrained(Path source, Path results) throws Exception {
    SparkSession spark = QueryOutputs.batchSession();
    try {
      ExpectedAnswers expected = new ExpectedAnswers(source, Replayed.startMicros(results));
      QueryOutputs.checkJoined(spark, results, expected, true);
    } finally {
      QueryOutputs.release(spark);
    }
  }

  @Test
  void aDrainInterruptedAfterItsMarkersWereReadStillEndsWithTheWholeAnswer() throws Exception {
    Path source = tmp.resolve("source");
    Path results = replayedAtMaxSpeed(source);
    String runId = Replayed.manifest(results).runId();

    // What a run killed in the middle of its drain leaves: its markers written and read by a batch,
    // and the watermark step after that batch maybe lost (Spark does not redo it on a restart).
    runQuery(0, results, "--trigger", "available-now");
    ResultsLayout layout = new ResultsLayout(new org.apache.hadoop.fs.Path(results.toUri()));
    SparkSession writer = QueryOutputs.batchSession();
    try {
      EndOfStream.write(writer, layout, new JoinedQuery(java.time.Duration.ofSeconds(1)), runId);
    } finally {
      QueryOutputs.release(writer);
    }
    runQuery(0, results, "--trigger", "available-now");

    // the same command again, as after the kill
    CommandRunner last = runQuery(0, results, "--until-replay-complete");
    assertTrue(
        last.err.toString().contains("[joined] drained: end of replay run " + runId),
        last.err.toString());
    checkJoinedDrained(source, results);
    try (var markers = Files.list(results.resolve("control/joined/locations"))) {
      System.out.println(
          "markers written: " + markers.map(p -> p.getFileName().toString()).sorted().toList());
    }

    // and once more: already drained for this run, nothing changes
    runQuery(0, results, "--until-replay-complete");
    checkJoinedDrained(source, results);
  }

  @Test
  void aDrainedCheckpointIsNotContinuedOnAnotherReplay() throws Exception {
    Path source = tmp.resolve("source");
    Path results = replayedAtMaxSpeed(source);
    runQuery(0, results, "--until-replay-complete");
    Path marker = results.resolve("checkpoints/joined/" + QueryCheckpoint.DRAINED);
    assertEquals(Replayed.manifest(results).runId(), Files.readString(marker).trim());

    RunQueryCorrectnessTest.replay(source, results, "--max-speed");
    String checkpointBefore =
        Files.readString(results.resolve("checkpoints/joined/" + QueryCheckpoint.DRAINED));
    CommandRunner refused = runQuery(2, results, "--until-replay-complete");
    assertTrue(
        refused.err.toString().contains("was drained at the end of replay run")
            && refused.err.toString().contains("use --fresh"),
        refused.err.toString());
    assertEquals(checkpointBefore, Files.readString(marker), "nothing changed");

    runQuery(0, results, "--until-replay-complete", "--fresh");
    checkJoinedDrained(source, results);
  }

  @Test
  void aLiveRunOnADrainedCheckpointStopsWhenANewReplayStarts() throws Exception {
    Path source = tmp.resolve("source");
    Path results = replayedAtMaxSpeed(source);
    runQuery(0, results, "--until-replay-complete");

    // a live run on the same replay goes on (nothing new to do), until a new replay starts
    CommandRunner live = new CommandRunner();
    java.util.concurrent.CompletableFuture<Integer> running =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () ->
                live.run(
                    "run-query",
                    "joined",
                    "--results",
                    results.toString(),
                    "--master",
                    "local[2]"));
    while (!live.err.toString().contains("[joined] started") && !running.isDone()) {
      Thread.sleep(50); // polls a condition
    }
    RunQueryCorrectnessTest.replay(source, results, "--max-speed");
    assertEquals(
        1, running.get(2, java.util.concurrent.TimeUnit.MINUTES), live.out + "\n" + live.err);
    assertTrue(
        live.err.toString().contains("was drained at the end of replay run")
            && live.err.toString().contains("--fresh"),
        live.err.toString());
  }
}
