package edu.dsc650.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import edu.dsc650.cli.CommandRunner;
import edu.dsc650.cli.RunQueryHandle;
import edu.dsc650.io.ReplayManifest;
import edu.dsc650.testing.BddLikeData;
import edu.dsc650.testing.Replayed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 21: what happens between runs. A checkpoint belongs to the replay run it read: a query
 * never goes on silently with another run's rows mixed into its state; one run-query per
 * checkpoint; a followed run that went to Kafka, stopped or died is said, not waited for.
 */
@Tag("cli")
class BetweenRunsTest {
  @TempDir Path tmp;

  Path source;
  Path results;

  @BeforeEach
  void setUp() throws Exception {
    source = tmp.resolve("source");
    results = tmp.resolve("results");
    BddLikeData.write(source);
  }

  private static CommandRunner runQuery(int expected, Path results, String... args) {
    CommandRunner cli = new CommandRunner();
    String[] all =
        Stream.concat(
                Stream.of("run-query"),
                Stream.concat(
                    Stream.of(args),
                    Stream.of("--results", results.toString(), "--master", "local[2]")))
            .toArray(String[]::new);
    assertEquals(expected, cli.run(all), cli.out + "\n" + cli.err);
    return cli;
  }

  /** The files of a folder and their contents, to show that nothing changed. */
  private static Map<String, Long> tree(Path dir) throws Exception {
    Map<String, Long> files = new java.util.TreeMap<>();
    if (Files.exists(dir)) {
      try (Stream<Path> all = Files.walk(dir)) {
        for (Path p : all.filter(Files::isRegularFile).toList()) {
          files.put(
              dir.relativize(p).toString(),
              Files.size(p) * 31
                  + Files.readString(p, java.nio.charset.StandardCharsets.ISO_8859_1).hashCode());
        }
      }
    }
    return files;
  }

  /** Item 1: a start on a checkpoint of another run is exit 2 unless --fresh; nothing changes. */
  @Test
  void aCheckpointOfAnotherRunIsRefusedUntilFresh() throws Exception {
    RunQueryCorrectnessTest.replay(source, results, "--max-speed");
    String runA = Replayed.manifest(results).runId();
    runQuery(0, results, "simple", "windowed", "--trigger", "available-now");
    RunQueryCorrectnessTest.replay(source, results, "--max-speed");
    String runB = Replayed.manifest(results).runId();
    Map<String, Long> before = tree(results.resolve("checkpoints"));
    Map<String, Long> outputs = tree(results.resolve("output"));

    CommandRunner refused =
        runQuery(2, results, "simple", "windowed", "--trigger", "available-now");
    assertEquals(1, refused.errors().lines().count(), refused.err.toString());
    String line = refused.errors();
    assertTrue(line.contains(runA) && line.contains(runB) && line.contains("--fresh"), line);
    assertEquals(before, tree(results.resolve("checkpoints")), "checkpoints unchanged");
    assertEquals(outputs, tree(results.resolve("output")), "outputs unchanged");

    runQuery(0, results, "simple", "windowed", "--until-replay-complete", "--fresh");
    org.apache.spark.sql.SparkSession spark = QueryOutputs.batchSession();
    try {
      ExpectedAnswers expected = QueryOutputs.expectedFor(source, results); // run B's answers alone
      QueryOutputs.checkSimple(spark, results, expected);
      QueryOutputs.checkWindowed(spark, results, expected);
    } finally {
      QueryOutputs.release(spark);
    }
  }

  /**
   * Item 1, live: a new replay under a live stateful query stops it with one line naming both runs
   * (its state holds the old run's rows, whose event times overlap the new run's).
   */
  @Test
  void aNewReplayUnderALiveQueryStopsItWithOneLine() throws Exception {
    RunQueryCorrectnessTest.replay(source, results, "--max-speed");
    String runA = Replayed.manifest(results).runId();
    RunQueryHandle handle = new RunQueryHandle();
    CommandRunner live = new CommandRunner(handle);
    CompletableFuture<Integer> running =
        CompletableFuture.supplyAsync(
            () ->
                live.run(
                    "run-query",
                    "windowed",
                    "joined",
                    "--results",
                    results.toString(),
                    "--master",
                    "local[2]"));
    try {
      Path windowed = results.resolve("output/windowed");
      while (!running.isDone() && QueryOutputs.windowedBatches(windowed) < 1) {
        Thread.sleep(50); // polls a condition
      }
      RunQueryCorrectnessTest.replay(source, results, "--max-speed");
      String runB = Replayed.manifest(results).runId();
      assertEquals(1, running.get(2, TimeUnit.MINUTES), live.out + "\n" + live.err);
      String line = live.errors();
      assertEquals(1, line.lines().count(), live.err.toString());
      assertTrue(line.contains(runA) && line.contains(runB) && line.contains("--fresh"), line);
    } finally {
      handle.stop();
      running.get(2, TimeUnit.MINUTES);
    }
  }

  /**
   * Item 8: one run-query per checkpoint; a second, even with --fresh, is refused and changes
   * nothing.
   */
  @Test
  void aSecondRunQueryOnTheSameCheckpointIsRefused() throws Exception {
    RunQueryCorrectnessTest.replay(source, results, "--max-speed");
    RunQueryHandle handle = new RunQueryHandle();
    CommandRunner live = new CommandRunner(handle);
    CompletableFuture<Integer> running =
        CompletableFuture.supplyAsync(
            () ->
                live.run(
                    "run-query",
                    "simple",
                    "--results",
                    results.toString(),
                    "--master",
                    "local[2]"));
    try {
      while (!running.isDone() && !live.err.toString().contains("[simple")) {
        Thread.sleep(50); // polls a condition
      }
      Map<String, Long> outputs = tree(results.resolve("output"));
      CommandRunner second =
          runQuery(2, results, "simple", "--fresh", "--trigger", "available-now");
      assertEquals(1, second.errors().lines().count(), second.err.toString());
      assertTrue(
          second
              .errors()
              .contains("another run-query of simple (process " + ProcessHandle.current().pid()),
          second.errors());
      assertTrue(
          Files.exists(results.resolve("checkpoints/simple/" + QueryCheckpoint.RUN)),
          "checkpoint kept");
      assertEquals(
          outputs.keySet().isEmpty(), tree(results.resolve("output")).isEmpty(), "outputs kept");
      assertTrue(
          !Files.exists(results.resolve("checkpoints/windowed.lock")), "only simple is locked");
    } finally {
      handle.stop();
      assertEquals(130, running.get(2, TimeUnit.MINUTES), live.out + "\n" + live.err);
    }
    assertTrue(!Files.exists(results.resolve("checkpoints/simple.lock")), "released");
  }

  /** Item 4: files input while replay.json names a Kafka run is refused, saying --from. */
  @Test
  void filesInputWhileReplayJsonNamesAKafkaRunIsRefused() throws Exception {
    RunQueryCorrectnessTest.replay(source, results, "--max-speed");
    ReplayManifest files = Replayed.manifest(results);
    Files.write(
        results.resolve("replay.json"),
        files
            .with(
                new ReplayManifest.Kafka(
                    "127.0.0.1:9092",
                    Map.of(
                        "accelerations", "dsc650.accelerations", "locations", "dsc650.locations"),
                    null))
            .toJson());
    CommandRunner refused = runQuery(2, results, "simple", "--until-replay-complete");
    assertTrue(refused.errors().contains("--from kafka://127.0.0.1:9092"), refused.errors());
    assertTrue(!Files.exists(results.resolve("checkpoints/simple")), "nothing changed");
  }

  /**
   * Item 4: a followed run that failed, or died (its lock stale), ends --until-replay-complete with
   * exit 1.
   */
  @Test
  void aFollowedRunThatFailedOrDiedIsSaidAndEndsTheDrain() throws Exception {
    RunQueryCorrectnessTest.replay(source, results, "--max-speed");
    ReplayManifest completed = Replayed.manifest(results);
    Files.write(
        results.resolve("replay.json"),
        completed
            .with(
                new ReplayManifest.Progress(
                    ReplayManifest.Status.FAILED,
                    completed.start(),
                    7,
                    1.0,
                    null,
                    "No space left on device"))
            .toJson());
    CommandRunner failed = runQuery(1, results, "simple", "--until-replay-complete");
    assertTrue(
        failed.errors().contains("replay run " + completed.runId() + " failed"),
        failed.err.toString());

    // killed: still "replaying", and the lock names a process that is gone
    Files.write(
        results.resolve("replay.json"),
        completed
            .with(
                new ReplayManifest.Progress(
                    ReplayManifest.Status.REPLAYING, completed.start(), 7, null, null, null))
            .toJson());
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Files.writeString(
        results.resolve(".replay.lock"),
        gone.pid() + " " + java.net.InetAddress.getLocalHost().getHostName() + "\n");
    CommandRunner died = runQuery(1, results, "simple", "--until-replay-complete");
    assertTrue(
        died.errors().contains("replay run " + completed.runId())
            && died.errors().contains("ended without " + "completing"),
        died.err.toString());
  }

  /**
   * Item 3: a run-query started while a new stream-data holds the lock but has not yet written its
   * replay.json (it checks its source first) waits for it instead of draining the ended run at
   * once.
   */
  @Test
  void aCompletedReplayJsonUnderANewRunsLockIsNotDrained() throws Exception {
    RunQueryCorrectnessTest.replay(source, results, "--max-speed");
    Process live =
        new ProcessBuilder("sleep", "120").start(); // the new stream-data, as its lock names it
    RunQueryHandle handle = new RunQueryHandle();
    CommandRunner waiting = new CommandRunner(handle);
    CompletableFuture<Integer> running;
    try {
      Files.writeString(
          results.resolve(".replay.lock"),
          live.pid()
              + " "
              + java.net.InetAddress.getLocalHost().getHostName()
              + " token "
              + live.info().startInstant().orElseThrow().toEpochMilli()
              + "\n");
      running =
          CompletableFuture.supplyAsync(
              () ->
                  waiting.run(
                      "run-query",
                      "simple",
                      "--until-replay-complete",
                      "--results",
                      results.toString(),
                      "--master",
                      "local[2]"));
      while (!running.isDone()
          && !waiting.err.toString().contains("waiting for the stream-data run")) {
        Thread.sleep(50); // polls a condition
      }
      assertTrue(!running.isDone(), "it waits: " + waiting.out + waiting.err);
      assertTrue(
          !Files.exists(results.resolve("checkpoints/simple")), "nothing of the ended run read");
      handle.stop();
      assertEquals(130, running.get(2, TimeUnit.MINUTES), waiting.out + "\n" + waiting.err);
    } finally {
      live.destroyForcibly();
    }
  }
}
