package edu.dsc650.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import edu.dsc650.cli.CommandRunner;
import edu.dsc650.cli.RunQueryHandle;
import edu.dsc650.testing.BddLikeData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three queries against answers computed without Spark: in catch-up mode on the bundled data,
 * live while a replay runs, and across a restart in the middle of a live run.
 */
@Tag("cli")
class RunQueryCorrectnessTest {
  static final Path BUNDLED = Path.of("data/processed/bdd");

  @TempDir Path tmp;

  private static String[] args(String[] base, String[] extra) {
    return java.util.stream.Stream.concat(
            java.util.Arrays.stream(base), java.util.Arrays.stream(extra))
        .toArray(String[]::new);
  }

  static int replay(Path source, Path results, String... extra) {
    return replay(new CommandRunner(), source, results, extra);
  }

  /** A replay whose output {@code cli} keeps for the test to read. */
  static int replay(CommandRunner cli, Path source, Path results, String... extra) {
    int rc =
        cli.run(
            args(
                new String[] {
                  "stream-data", "--source", source.toString(), "--results", results.toString()
                },
                extra));
    assertEquals(0, rc, cli.err.toString());
    return rc;
  }

  static CommandRunner runQuery(Path results, String... extra) {
    CommandRunner cli = new CommandRunner();
    String[] base = {"run-query", "all", "--results", results.toString(), "--master", "local[2]"};
    assertEquals(0, cli.run(args(base, extra)), cli.out + "\n" + cli.err);
    return cli;
  }

  /** Starts a replay in the background and returns once it has published its replay.json. */
  static CompletableFuture<Integer> replayInBackground(Path source, Path results, String... extra)
      throws Exception {
    return replayInBackground(new CommandRunner(), source, results, extra);
  }

  static CompletableFuture<Integer> replayInBackground(
      CommandRunner cli, Path source, Path results, String... extra) throws Exception {
    CompletableFuture<Integer> replay =
        CompletableFuture.supplyAsync(() -> replay(cli, source, results, extra));
    while (!Files.exists(results.resolve("replay.json")) && !replay.isDone()) {
      Thread.sleep(20); // polls a condition; nothing depends on how long this takes
    }
    return replay;
  }

  @Test
  void catchUpOnTheBundledData() throws Exception {
    Path results = tmp.resolve("results");
    replay(BUNDLED, results, "--max-speed");
    CommandRunner cli = runQuery(results, "--trigger", "available-now");
    assertTrue(
        cli.out.toString().contains("simple/accelerations: 196,030 rows"), cli.out.toString());
    QueryOutputs.checkAllUpToWatermark(BUNDLED, results);
  }

  @Test
  void floatOffsetsAreReplayedAsDoublesThatSparkReads() throws Exception {
    // Datasets.small mixes float and double offsets, required and optional columns
    Path source = tmp.resolve("source");
    Path results = tmp.resolve("results");
    edu.dsc650.testing.Datasets.small(source);
    replay(source, results, "--max-speed");
    runQuery(results, "--trigger", "available-now");
    QueryOutputs.checkAllUpToWatermark(source, results);
  }

  @Test
  void theQueriesReadTheFilesTheReplayLoggedNotWhatAListingFinds() throws Exception {
    Path source = tmp.resolve("source");
    Path results = tmp.resolve("results");
    edu.dsc650.testing.Datasets.small(source);
    replay(source, results, "--max-speed");
    // a file that is in input but not in the replay's file-sink log: a listing would read it
    Path published = results.resolve("input/locations/t=9.5");
    try (var files = Files.list(published)) {
      Path one = files.filter(p -> p.toString().endsWith(".parquet")).findFirst().orElseThrow();
      Files.copy(one, published.resolve("not-in-the-log.parquet"));
    }
    runQuery(results, "--trigger", "available-now");
    QueryOutputs.checkAllUpToWatermark(
        source, results); // exactly the source rows: the extra file was not read
  }

  @Test
  void liveOnGeneratedRidesWithGapsAndLateStarts() throws Exception {
    Path source = tmp.resolve("source");
    Path results = tmp.resolve("results");
    BddLikeData.write(source);
    CompletableFuture<Integer> replay = replayInBackground(source, results, "--speedup", "4");
    runQuery(results, "--until-replay-complete");
    assertEquals(0, replay.get(2, TimeUnit.MINUTES));
    QueryOutputs.checkAll(source, results);
    // each query's latency lines: every slice of the topics it reads once, none read before due
    checkLatencyLines(results, "simple", Topics.ACCELERATIONS, Topics.LOCATIONS);
    checkLatencyLines(results, "windowed", Topics.LOCATIONS);
    checkLatencyLines(results, "joined", Topics.ACCELERATIONS, Topics.LOCATIONS);
  }

  /**
   * The latency lines of {@code query} name each published slice of {@code topics} (the replay's
   * slice records) once, with a latency of at least 0: a slice is read after it is published.
   */
  static void checkLatencyLines(Path results, String query, String... topics) throws Exception {
    edu.dsc650.io.LocalStorage storage = new edu.dsc650.io.LocalStorage();
    java.util.List<String> expected =
        edu.dsc650.io.SliceRecord.readAll(
                storage,
                new org.apache.hadoop.fs.Path(results.resolve("replay-slices.jsonl").toUri()))
            .stream()
            .filter(r -> java.util.List.of(topics).contains(r.topic()))
            .map(r -> r.topic() + "/" + r.slice())
            .sorted()
            .toList();
    java.util.List<String> found = new java.util.ArrayList<>();
    try (var files = Files.list(results.resolve("progress").resolve(query).resolve("latency"))) {
      for (Path f : files.toList()) {
        for (edu.dsc650.io.SliceLatency line :
            edu.dsc650.io.SliceLatency.readAll(storage, new org.apache.hadoop.fs.Path(f.toUri()))) {
          found.add(line.topic() + "/" + line.slice());
          assertTrue(line.latencyMs() >= 0, line.json());
          assertEquals(query, line.query(), line.json());
        }
      }
    }
    java.util.Collections.sort(found);
    assertTrue(!expected.isEmpty(), "the replay recorded its slices");
    assertEquals(expected, found, query + ": each slice once");
  }

  @Test
  void aReplayThatWaitsForTheQueriesStartsOnceTheyAreWarmAndNothingOfTheWarmUpRemains()
      throws Exception {
    Path source = tmp.resolve("source");
    Path results = tmp.resolve("results");
    BddLikeData.write(source);
    CommandRunner replayCli = new CommandRunner();
    CompletableFuture<Integer> replay =
        replayInBackground(replayCli, source, results, "--speedup", "4", "--wait-for-queries");
    CommandRunner queries = runQuery(results, "--until-replay-complete");
    assertEquals(0, replay.get(2, TimeUnit.MINUTES), replayCli.err.toString());
    String replayErr = replayCli.err.toString();
    assertTrue(replayErr.contains("waiting for run-query's queries to be ready"), replayErr);
    assertTrue(replayErr.contains("run-query is ready after"), replayErr);
    assertTrue(queries.err.toString().contains("queries warmed up in"), queries.err.toString());
    // the warm-up's generated rows reach no output: the outputs are exactly the source's
    QueryOutputs.checkAll(source, results);
    try (var control = Files.list(results.resolve("control"))) {
      assertEquals(
          java.util.List.of(),
          control
              .map(p -> p.getFileName().toString())
              .filter(n -> n.startsWith("_warm-up") || n.endsWith(".ready"))
              .toList(),
          "the scratch folder and the ready files are gone");
    }
    try (var progress = Files.walk(results.resolve("progress"))) {
      for (Path p : progress.filter(Files::isRegularFile).toList()) {
        assertTrue(
            !new String(Files.readAllBytes(p), java.nio.charset.StandardCharsets.ISO_8859_1)
                .contains("_warm-up"),
            p + " holds a warm-up batch's progress");
      }
    }
  }

  @Test
  void exactOverSeveralLapsWhoseEventTimeKeepsMoving() throws Exception {
    Path source = tmp.resolve("source");
    Path results = tmp.resolve("results");
    BddLikeData.write(source);
    // all laps published before the queries start: they find every lap's files through the log
    replay(source, results, "--max-speed", "--loop", "2");
    CommandRunner cli = runQuery(results, "--until-replay-complete");
    // its input is all there: the queries start on it at once, without a warm-up
    assertTrue(!cli.err.toString().contains("warmed up"), cli.err.toString());
    // the answers for two copies of the source, lap 1's timestamps lap_seconds later
    QueryOutputs.checkAll(source, results);
  }

  @Test
  void exactAtScaleTenWhereEveryRideIsTenRides() throws Exception {
    Path source = tmp.resolve("source");
    Path results = tmp.resolve("results");
    BddLikeData.write(source);
    replay(source, results, "--max-speed", "--scale", "10", "--merge-slices");
    runQuery(results, "--until-replay-complete");
    // the answers for what was published, once it is shown to be ten distinct copies of the source
    ExpectedAnswers published = ExpectedAnswers.ofPublished(results.resolve("input"));
    ExpectedAnswers source1 =
        new ExpectedAnswers(source, edu.dsc650.testing.Replayed.startMicros(results));
    for (String topic : java.util.List.of(Topics.ACCELERATIONS, Topics.LOCATIONS)) {
      assertEquals(10 * source1.rows.get(topic).size(), published.rows.get(topic).size(), topic);
      assertEquals(
          10 * source1.rows.get(topic).stream().map(r -> r.get("uuid")).distinct().count(),
          published.rows.get(topic).stream().map(r -> r.get("uuid")).distinct().count(),
          topic + " rides");
    }
    assertEquals(
        10 * source1.windows().size(),
        published.windows().size(),
        "each ride's windows, ten times");
    QueryOutputs.checkAll(source, results);
  }

  @Test
  void aRestartInTheMiddleOfALiveRunLosesAndDuplicatesNothing() throws Exception {
    Path source = tmp.resolve("source");
    Path results = tmp.resolve("results");
    BddLikeData.write(source);
    CompletableFuture<Integer> replay =
        replayInBackground(source, results, "--speedup", "2", "--merge-slices");

    RunQueryHandle first = new RunQueryHandle();
    CompletableFuture<Integer> firstRun =
        CompletableFuture.supplyAsync(
            () ->
                new CommandRunner(first)
                    .run(
                        "run-query",
                        "all",
                        "--results",
                        results.toString(),
                        "--master",
                        "local[2]"));
    // stop once the windowed query has written a few batches, while the replay is still going
    Path windowed = results.resolve("output/windowed");
    while (!firstRun.isDone() && QueryOutputs.windowedBatches(windowed) < 2) {
      Thread.sleep(50); // polls a condition; a spin would take a core from Spark
    }
    first.stop();
    assertEquals(130, firstRun.get(2, TimeUnit.MINUTES));
    assertTrue(!replay.isDone(), "the stop came in the middle of the replay");

    runQuery(results, "--until-replay-complete");
    assertEquals(0, replay.get(2, TimeUnit.MINUTES));
    QueryOutputs.checkAll(source, results);
  }
}
