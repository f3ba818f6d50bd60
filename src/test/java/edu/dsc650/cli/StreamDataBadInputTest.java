package edu.dsc650.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import edu.dsc650.testing.Datasets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input: one clear line naming the problem, exit code 2, and nothing touched. */
class StreamDataBadInputTest {
  @TempDir Path tmp;

  Path source;
  Path results;

  @BeforeEach
  void setUp() throws IOException {
    source = tmp.resolve("source");
    results = tmp.resolve("results");
    Datasets.small(source);
    // what an earlier run left: it must survive a refused run
    Files.createDirectories(results.resolve("input/locations/t=1"));
    Files.writeString(results.resolve("input/locations/t=1/earlier.parquet"), "earlier");
    Files.createDirectories(results.resolve("staging"));
    Files.writeString(results.resolve("staging/leftover"), "leftover");
    Files.writeString(
        results.resolve(".dsc650-results"), "made by stream-data\n"); // a folder of ours
  }

  private void assertRefused(String expectedInMessage, String... extraArgs) throws IOException {
    CommandRunner cli = new CommandRunner();
    String[] args = {
      "stream-data", "--max-speed", "--source", source.toString(), "--results", results.toString()
    };
    String[] all = Arrays.copyOf(args, args.length + extraArgs.length);
    System.arraycopy(extraArgs, 0, all, args.length, extraArgs.length);
    int rc = cli.run(all);
    assertEquals(2, rc, cli.err.toString());
    String errors = cli.errors();
    assertEquals(1, errors.lines().count(), "one error line: " + cli.err);
    assertTrue(errors.contains(expectedInMessage), errors);
    assertEquals(
        "earlier", Files.readString(results.resolve("input/locations/t=1/earlier.parquet")));
    assertEquals("leftover", Files.readString(results.resolve("staging/leftover")));
    assertTrue(!Files.exists(results.resolve("replay.json")), "nothing published");
  }

  private Path someSourceFile() {
    return source.resolve("locations/t=9.5/ride-a.parquet");
  }

  @Test
  void aNegativeLoopCountOrAnEndlessLoopAtMaxSpeed() throws IOException {
    assertRefused("--loop must be 0 (until stopped) or a number of laps", "--loop", "-1");
    assertRefused("--loop 0 needs a schedule", "--loop", "0");
  }

  @Test
  void aScaleBelowOne() throws IOException {
    assertRefused(
        "--scale must be a number of copies of each ride (1 or more), not 0", "--scale", "0");
    assertRefused(
        "--scale must be a number of copies of each ride (1 or more), not -3", "--scale", "-3");
  }

  @Test
  void aScaleWithoutRidesToTellApart() throws IOException {
    Files.delete(someSourceFile());
    edu.dsc650.testing.TestData.write(
        someSourceFile(),
        MessageTypeParser.parseMessageType(
            "message m { optional double offset; optional double speed; }"),
        CompressionCodecName.GZIP,
        false,
        org.apache.parquet.column.ParquetProperties.WriterVersion.PARQUET_1_0,
        w -> w.write(w.row().append("offset", 9.6).append("speed", 1.0)));
    assertRefused("t=9.5/ride-a.parquet: has no 'uuid' column, so the copies", "--scale", "2");
    Files.delete(someSourceFile());
    edu.dsc650.testing.TestData.write(
        someSourceFile(),
        MessageTypeParser.parseMessageType(
            "message m { optional int64 uuid; optional double offset; }"),
        CompressionCodecName.GZIP,
        false,
        org.apache.parquet.column.ParquetProperties.WriterVersion.PARQUET_1_0,
        w -> w.write(w.row().append("uuid", 7L).append("offset", 9.6)));
    assertRefused("has a 'uuid' column that is not a string", "--scale", "2");
  }

  @Test
  void truncatedParquet() throws IOException {
    byte[] bytes = Files.readAllBytes(someSourceFile());
    Files.write(someSourceFile(), Arrays.copyOf(bytes, bytes.length / 2));
    assertRefused("t=9.5/ride-a.parquet: not a readable parquet file");
  }

  @Test
  void zeroByteFile() throws IOException {
    Files.write(someSourceFile(), new byte[0]);
    assertRefused("ride-a.parquet: not a readable parquet file (too short");
  }

  @Test
  void notParquetAtAll() throws IOException {
    Files.writeString(someSourceFile(), "id,offset\n1,2.0\n".repeat(20));
    assertRefused("not a parquet file");
  }

  @Test
  void corruptFooter() throws IOException {
    byte[] bytes = Files.readAllBytes(someSourceFile());
    for (int i = bytes.length - 60; i < bytes.length - 8; i++) {
      bytes[i] = (byte) 0xff;
    }
    Files.write(someSourceFile(), bytes);
    assertRefused("ride-a.parquet: not a readable parquet file");
  }

  /** Replaces a source file with one of {@code schema}, its rows written by {@code rows}. */
  private void replaceSomeSourceFile(
      String schema, java.util.function.Consumer<edu.dsc650.testing.TestData.Writer> rows)
      throws IOException {
    Files.delete(someSourceFile());
    edu.dsc650.testing.TestData.write(
        someSourceFile(),
        MessageTypeParser.parseMessageType(schema),
        CompressionCodecName.GZIP,
        false,
        org.apache.parquet.column.ParquetProperties.WriterVersion.PARQUET_1_0,
        rows);
  }

  @Test
  void fileWithoutOffset() throws IOException {
    replaceSomeSourceFile(
        "message m { optional binary uuid (STRING); optional double speed; }",
        w -> w.write(w.row().append("uuid", "x").append("speed", 1.0)));
    assertRefused("has no 'offset' column");
  }

  @Test
  void offsetThatIsNotANumber() throws IOException {
    replaceSomeSourceFile(
        "message m { optional binary uuid (STRING); optional binary offset (STRING); }",
        w -> w.write(w.row().append("uuid", "x").append("offset", "1.5")));
    assertRefused("'offset' column of type BYTE_ARRAY");
  }

  /**
   * Offsets in milliseconds, or far beyond: timestamps past the year 9000 (taken for end-of-stream
   * markers), or an overflow. Refused in one line naming the file and the value.
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(doubles = {1.7e12, 9.5e12, 1e300, -2e9})
  void anOffsetOutOfRange(double offset) throws IOException {
    replaceSomeSourceFile(
        "message m { optional binary uuid (STRING); optional double offset; }",
        w -> {
          w.write(w.row().append("uuid", "x").append("offset", 9.5));
          w.write(w.row().append("uuid", "x").append("offset", offset));
        });
    assertRefused(
        someSourceFile() + ": offset " + String.format(java.util.Locale.ROOT, "%.6g", offset));
  }

  /** A wrong --source (a folder like /etc): one error line, not a warning per entry first. */
  @Test
  void aSourceOfManyOtherThingsIsOneLine() throws IOException {
    Path etc = tmp.resolve("etc");
    for (int i = 0; i < 40; i++) {
      Files.createDirectories(etc.resolve("conf" + i + ".d"));
      Files.writeString(etc.resolve("conf" + i + ".d/settings"), "x");
      Files.writeString(etc.resolve("file" + i), "x");
    }
    CommandRunner cli = new CommandRunner();
    int rc =
        cli.run(
            "stream-data",
            "--max-speed",
            "--source",
            etc.toString(),
            "--results",
            results.toString());
    assertEquals(2, rc, cli.err.toString());
    List<String> lines = cli.err.toString().lines().filter(l -> !l.isBlank()).toList();
    assertEquals(1, lines.size(), cli.err.toString());
    assertTrue(
        lines.get(0).contains("error: source ") && lines.get(0).contains("has no slices"),
        lines.get(0));
    assertTrue(lines.get(0).contains("120 entries skipped"), lines.get(0));
  }

  /** A source with slices and many stray entries: the first few warnings, then a count. */
  @Test
  void manyStrayEntriesAreWarnedOfByTheFirstFewAndACount() throws IOException {
    for (int i = 0; i < 30; i++) {
      Files.writeString(source.resolve("locations/t=9.5/notes" + i + ".txt"), "x");
    }
    CommandRunner cli = new CommandRunner();
    int rc =
        cli.run(
            "stream-data",
            "--max-speed",
            "--source",
            source.toString(),
            "--results",
            tmp.resolve("fresh-results").toString());
    assertEquals(0, rc, cli.err.toString());
    List<String> warnings =
        cli.err.toString().lines().filter(l -> l.startsWith("warning:")).toList();
    assertEquals(6, warnings.size(), cli.err.toString());
    assertTrue(warnings.get(5).contains("25 more"), warnings.get(5));
  }

  @Test
  void sliceFolderNameThatIsNotANumber() throws IOException {
    Files.createDirectories(source.resolve("locations/t=1,5"));
    assertRefused("slice folder name 't=1,5'");
  }

  @Test
  void missingSource() throws IOException {
    source = tmp.resolve("nowhere");
    assertRefused("does not exist");
  }

  @Test
  void emptySource() throws IOException {
    source = tmp.resolve("empty");
    Files.createDirectories(source);
    assertRefused("has no slices");
  }

  @Test
  void resultsInsideTheSource() throws IOException {
    results = source.resolve("locations/results");
    Files.createDirectories(results.resolve("input/locations/t=1"));
    Files.writeString(results.resolve("input/locations/t=1/earlier.parquet"), "earlier");
    Files.createDirectories(results.resolve("staging"));
    Files.writeString(results.resolve("staging/leftover"), "leftover");
    assertRefused("is inside the source folder");
  }

  @Test
  void resultsThatIsTheSourceOrContainsIt() throws IOException {
    CommandRunner cli = new CommandRunner();
    assertEquals(
        2, cli.run("stream-data", "--source", source.toString(), "--results", source.toString()));
    assertTrue(cli.errors().contains("is the source folder"), cli.errors());
    cli = new CommandRunner();
    assertEquals(
        2, cli.run("stream-data", "--source", source.toString(), "--results", tmp.toString()));
    assertTrue(cli.errors().contains("contains the source folder"), cli.errors());
    cli = new CommandRunner();
    assertEquals(2, cli.run("stream-data", "--source", source.toString(), "--results", "/"));
    assertTrue(cli.errors().contains("root"), cli.errors());
  }

  @Test
  void resultsThatIsAFile() throws IOException {
    Path file = tmp.resolve("a-file");
    Files.writeString(file, "x");
    CommandRunner cli = new CommandRunner();
    assertEquals(
        2, cli.run("stream-data", "--source", source.toString(), "--results", file.toString()));
    assertTrue(cli.errors().contains("is a file"), cli.errors());
    assertEquals("x", Files.readString(file));
  }

  @Test
  void aSecondRunOnTheSameResultsFolderRefuses() throws IOException {
    // what a live run leaves: its process id (another live process), host and start time
    Process live = new ProcessBuilder("sleep", "60").start();
    try {
      Files.writeString(
          results.resolve(".replay.lock"),
          live.pid()
              + " "
              + java.net.InetAddress.getLocalHost().getHostName()
              + " token "
              + live.info().startInstant().orElseThrow().toEpochMilli()
              + "\n");
      assertRefused("another stream-data run (process " + live.pid() + ")");
      assertTrue(Files.exists(results.resolve(".replay.lock")), "the live run's lock stays");
    } finally {
      live.destroyForcibly();
    }
  }

  @Test
  void aLockLeftByAKilledRunIsTakenOver() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Files.writeString(
        results.resolve(".replay.lock"),
        gone.pid() + " " + java.net.InetAddress.getLocalHost().getHostName() + "\n");
    CommandRunner cli = new CommandRunner();
    int rc =
        cli.run(
            "stream-data",
            "--max-speed",
            "--source",
            source.toString(),
            "--results",
            results.toString());
    assertEquals(0, rc, cli.err.toString());
    assertTrue(cli.err.toString().contains("taking over"), cli.err.toString());
    assertTrue(!Files.exists(results.resolve(".replay.lock")), "released at the end");
  }

  @Test
  void badOptions() {
    CommandRunner cli = new CommandRunner();
    assertEquals(2, cli.run("stream-data", "--speedup", "0"));
    assertTrue(cli.errors().contains("--speedup must be a positive number"), cli.err.toString());
    assertEquals(2, new CommandRunner().run("stream-data", "--speedup", "2", "--max-speed"));
    assertEquals(2, new CommandRunner().run("stream-data", "--compression", "brotli9"));
    assertEquals(2, new CommandRunner().run("stream-data", "--no-such-option"));
  }

  @Test
  void helpAndVersion() {
    CommandRunner cli = new CommandRunner();
    assertEquals(0, cli.run("stream-data", "--help"));
    assertTrue(cli.out.toString().contains("--merge-slices"), cli.out.toString());
    assertTrue(cli.out.toString().contains("default: data/processed/bdd"), cli.out.toString());
    CommandRunner version = new CommandRunner();
    assertEquals(0, version.run("--version"));
    assertTrue(version.out.toString().startsWith("dsc650 "), version.out.toString());
  }

  /** Issue 21, item 6: a folder that stream-data did not make is not cleared. */
  @Test
  void aResultsFolderWithAnInputOfSomebodyElseIsRefused() throws IOException {
    Path foreign = tmp.resolve("thesis-work");
    Files.createDirectories(foreign.resolve("input/thesis"));
    Files.writeString(foreign.resolve("input/thesis/ch1.txt"), "chapter one");
    CommandRunner cli = new CommandRunner();
    int rc =
        cli.run(
            "stream-data",
            "--max-speed",
            "--source",
            source.toString(),
            "--results",
            foreign.toString());
    assertEquals(2, rc, cli.err.toString());
    assertEquals(1, cli.errors().lines().count(), cli.err.toString());
    assertTrue(cli.errors().contains("was not made by stream-data"), cli.errors());
    assertEquals("chapter one", Files.readString(foreign.resolve("input/thesis/ch1.txt")));
    try (var left = Files.list(foreign)) {
      assertEquals(
          List.of("input"), left.map(p -> p.getFileName().toString()).toList(), "nothing added");
    }
    // a staging folder of somebody else's too
    Path other = tmp.resolve("other");
    Files.createDirectories(other.resolve("staging"));
    assertEquals(
        2,
        new CommandRunner()
            .run(
                "stream-data",
                "--max-speed",
                "--source",
                source.toString(),
                "--results",
                other.toString()));
    // an empty folder, or one holding other things only, is fine, and is ours from then on
    Path empty = tmp.resolve("empty-results");
    Files.createDirectories(empty.resolve("notes"));
    CommandRunner ok = new CommandRunner();
    assertEquals(
        0,
        ok.run(
            "stream-data",
            "--max-speed",
            "--source",
            source.toString(),
            "--results",
            empty.toString()),
        ok.err.toString());
    assertEquals(
        0,
        new CommandRunner()
            .run(
                "stream-data",
                "--max-speed",
                "--source",
                source.toString(),
                "--results",
                empty.toString()),
        "a second run on a folder of ours");
    assertTrue(Files.isDirectory(empty.resolve("notes")));
  }

  /** Issue 21, item 13: speed-ups that would fill the disk or overflow the schedule. */
  @Test
  void speedUpsOutOfRange() throws IOException {
    for (String[] args :
        List.of(
            new String[] {"Infinity", "0"},
            new String[] {"1e300", "0"},
            new String[] {"1e300", "1"},
            new String[] {"1e-12", "1"},
            new String[] {"200", "0"})) {
      CommandRunner cli = new CommandRunner();
      int rc =
          cli.run(
              "stream-data",
              "--speedup",
              args[0],
              "--loop",
              args[1],
              "--source",
              source.toString(),
              "--results",
              results.toString());
      assertEquals(2, rc, String.join(" ", args) + ": " + cli.err);
      assertEquals(1, cli.errors().lines().count(), cli.err.toString());
      assertTrue(cli.errors().contains("--speedup"), cli.errors());
      assertEquals(
          "earlier", Files.readString(results.resolve("input/locations/t=1/earlier.parquet")));
      assertTrue(!Files.exists(results.resolve("replay.json")), "nothing published");
    }
  }

  /**
   * Issue 21, item 13: a ':' cannot be in a Hadoop path's name; one line, nothing changed, nothing
   * leaked.
   */
  @Test
  void aColonInASourceNameOrInTheResultsFolder() throws IOException {
    Files.copy(someSourceFile(), someSourceFile().resolveSibling("ride:c.parquet"));
    assertRefused("':'");
    try (var left = Files.list(results)) {
      assertTrue(
          left.noneMatch(p -> p.getFileName().toString().contains("deleting")),
          "no folder left aside");
    }
    Files.delete(someSourceFile().resolveSibling("ride:c.parquet"));
    Path colon = tmp.resolve("res:ults");
    CommandRunner cli = new CommandRunner();
    assertEquals(
        2,
        cli.run(
            "stream-data",
            "--max-speed",
            "--source",
            source.toString(),
            "--results",
            colon.toString()),
        cli.err.toString());
    assertEquals(1, cli.errors().lines().count(), cli.err.toString());
    assertTrue(cli.errors().contains("':'"), cli.errors());
    assertTrue(!Files.exists(colon));
  }

  /** Issue 21, item 13: a results folder that does not exist is not made when the source is bad. */
  @Test
  void aNewResultsFolderIsNotMadeWhenTheSourceIsBad() throws IOException {
    Files.write(someSourceFile(), new byte[0]);
    Path fresh = tmp.resolve("new-results");
    CommandRunner cli = new CommandRunner();
    assertEquals(
        2,
        cli.run(
            "stream-data",
            "--max-speed",
            "--source",
            source.toString(),
            "--results",
            fresh.toString()));
    assertTrue(cli.errors().contains("ride-a.parquet"), cli.errors());
    assertTrue(!Files.exists(fresh), "no folder made");
  }
}
