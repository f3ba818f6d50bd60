package edu.dsc650.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** run-query's usage errors and unusable results folders: one clear line and exit code 2. */
class RunQueryBadInputTest {
  @TempDir Path results;

  private CommandRunner refused(String expected, String... args) {
    CommandRunner cli = new CommandRunner();
    assertEquals(2, cli.run(args), cli.out + "\n" + cli.err);
    assertTrue(cli.err.toString().contains(expected), cli.err.toString());
    return cli;
  }

  @Test
  void unknownQueryName() {
    refused(
        "error: QUERY must be one of simple, windowed, joined, all, not 'windowd'",
        "run-query",
        "windowd",
        "--results",
        results.toString());
  }

  @Test
  void noQueryAtAll() {
    refused("error: missing QUERY", "run-query", "--results", results.toString());
  }

  @Test
  void badTrigger() {
    refused(
        "--trigger must be 0, an interval such as 2s or 500ms, or available-now",
        "run-query",
        "simple",
        "--trigger",
        "soon",
        "--results",
        results.toString());
  }

  @Test
  void badJoinWindow() {
    refused(
        "--join-window must be an interval such as '1 second'",
        "run-query",
        "joined",
        "--join-window",
        "1s; DROP",
        "--results",
        results.toString());
    refused(
        "--join-window must be an interval",
        "run-query",
        "joined",
        "--join-window",
        "0s",
        "--results",
        results.toString());
  }

  @Test
  void availableNowWithNothingToProcess() {
    CommandRunner cli =
        refused(
            "nothing to process",
            "run-query",
            "simple",
            "--trigger",
            "available-now",
            "--master",
            "local[1]",
            "--results",
            results.toString());
    assertEquals(1, cli.errors().lines().count(), cli.err.toString());
  }

  @Test
  void resultsThatIsAFile() throws Exception {
    Path file = results.resolve("results.txt");
    Files.writeString(file, "not a folder");
    refused(
        "is a file, not a folder",
        "run-query",
        "simple",
        "--master",
        "local[1]",
        "--results",
        file.toString());
    assertEquals("not a folder", Files.readString(file));
  }

  @Test
  void aCheckpointOwnedByAnotherQueryIsRefusedAndKept() throws Exception {
    // as if checkpoints/joined had been copied into windowed's place
    Path checkpoint = results.resolve("checkpoints/windowed");
    Files.createDirectories(checkpoint.resolve("offsets"));
    Files.writeString(checkpoint.resolve("_dsc650_query"), "joined\n");
    Files.writeString(checkpoint.resolve("offsets/0"), "v1");
    CommandRunner cli =
        refused(
            "belongs to query 'joined', not 'windowed'",
            "run-query",
            "windowed",
            "--master",
            "local[1]",
            "--results",
            results.toString());
    assertEquals(1, cli.errors().lines().count(), cli.err.toString());
    assertEquals("v1", Files.readString(checkpoint.resolve("offsets/0")), "nothing touched");
  }

  @Test
  void aCheckpointNotWrittenByRunQueryIsRefused() throws Exception {
    // e.g. left by the course's PySpark job: Spark's files, but no owner marker
    Path checkpoint = results.resolve("checkpoints/simple");
    Files.createDirectories(checkpoint);
    Files.writeString(
        checkpoint.resolve("metadata"), "{\"id\":\"4a1c2a34-0000-0000-0000-000000000000\"}");
    refused(
        "was not written by run-query simple; use --fresh",
        "run-query",
        "all",
        "--master",
        "local[1]",
        "--results",
        results.toString());
    assertTrue(Files.exists(checkpoint.resolve("metadata")));
    assertTrue(
        !Files.exists(results.resolve("checkpoints/windowed")),
        "refused before any checkpoint was made");
  }

  @Test
  void exitCode2MeansNothingWasChangedEvenWithFresh() throws Exception {
    // a foreign checkpoint that --fresh would replace, and an output it would delete
    Path checkpoint = results.resolve("checkpoints/windowed");
    Files.createDirectories(checkpoint);
    Files.writeString(checkpoint.resolve("_dsc650_query"), "joined\n");
    Path output = results.resolve("output/windowed/batch_id=0");
    Files.createDirectories(output);
    Files.writeString(output.resolve("part-0.parquet"), "earlier output");
    CommandRunner cli = new CommandRunner();
    // nothing to process: found before --fresh deletes anything
    assertEquals(
        2,
        cli.run(
            "run-query",
            "windowed",
            "simple",
            "--fresh",
            "--trigger",
            "available-now",
            "--master",
            "local[1]",
            "--results",
            results.toString()));
    assertTrue(cli.err.toString().contains("nothing to process"), cli.err.toString());
    assertEquals(
        "joined",
        Files.readString(checkpoint.resolve("_dsc650_query")).trim(),
        "checkpoint untouched");
    assertEquals(
        "earlier output", Files.readString(output.resolve("part-0.parquet")), "output untouched");
    assertTrue(!Files.exists(results.resolve("checkpoints/simple")), "no checkpoint marked");
  }

  @Test
  void aBadReaderSettingOrReplayJsonIsBadInput() throws Exception {
    System.setProperty("spark.dsc650.parquetReader", "fastest");
    try {
      refused(
          "spark.dsc650.parquetReader must be small-files or spark, not 'fastest'",
          "run-query",
          "simple",
          "--master",
          "local[1]",
          "--results",
          results.toString());
    } finally {
      System.clearProperty("spark.dsc650.parquetReader");
    }
    Files.writeString(results.resolve("replay.json"), "{ not json");
    refused(
        "is not a replay.json of stream-data",
        "run-query",
        "simple",
        "--master",
        "local[1]",
        "--results",
        results.toString());
    assertTrue(!Files.exists(results.resolve("checkpoints")), "nothing changed");
  }

  @Test
  void helpListsTheQueries() {
    CommandRunner cli = new CommandRunner();
    assertEquals(0, cli.run("run-query", "--help"));
    assertTrue(cli.out.toString().contains("simple, windowed, joined, all"), cli.out.toString());
    assertTrue(cli.out.toString().contains("--until-replay-complete"), cli.out.toString());
  }

  /**
   * Issue 21, item 13: stream-data replays any topic with an offset column; run-query says before
   * Spark starts which column a query needs is missing or of another type (exit 2, nothing
   * changed).
   */
  @Test
  void inputWithoutAColumnAQueryNeedsOrOfAnotherType() throws Exception {
    Path source = results.resolve("own-data");
    Path out = results.resolve("out");
    var noSpeed =
        org.apache.parquet.schema.MessageTypeParser.parseMessageType(
            "message m { optional binary uuid (STRING); optional double offset; optional double altitude; }");
    edu.dsc650.testing.TestData.write(
        source.resolve("locations/t=0/a.parquet"),
        noSpeed,
        org.apache.parquet.hadoop.metadata.CompressionCodecName.GZIP,
        false,
        org.apache.parquet.column.ParquetProperties.WriterVersion.PARQUET_1_0,
        w -> w.write(w.row().append("uuid", "a").append("offset", 0.5).append("altitude", 3.0)));
    CommandRunner replay = new CommandRunner();
    assertEquals(
        0,
        replay.run(
            "stream-data",
            "--max-speed",
            "--source",
            source.toString(),
            "--results",
            out.toString()),
        replay.err.toString());
    CommandRunner cli =
        refused(
            "has no column 'speed', which query windowed reads from locations",
            "run-query",
            "windowed",
            "--master",
            "local[1]",
            "--results",
            out.toString());
    assertEquals(1, cli.errors().lines().count(), cli.err.toString());
    assertTrue(!Files.exists(out.resolve("checkpoints")), "nothing changed");
    assertTrue(!cli.err.toString().contains("Spark 3"), "refused before Spark started: " + cli.err);

    var speedAsText =
        org.apache.parquet.schema.MessageTypeParser.parseMessageType(
            "message m { optional binary uuid (STRING); optional double offset; optional binary speed (STRING); }");
    Files.delete(source.resolve("locations/t=0/a.parquet"));
    edu.dsc650.testing.TestData.write(
        source.resolve("locations/t=0/a.parquet"),
        speedAsText,
        org.apache.parquet.hadoop.metadata.CompressionCodecName.GZIP,
        false,
        org.apache.parquet.column.ParquetProperties.WriterVersion.PARQUET_1_0,
        w -> w.write(w.row().append("uuid", "a").append("offset", 0.5).append("speed", "fast")));
    assertEquals(
        0,
        new CommandRunner()
            .run(
                "stream-data",
                "--max-speed",
                "--source",
                source.toString(),
                "--results",
                out.toString()));
    refused(
        "column 'speed' is BYTE_ARRAY (UTF8), but the queries read it from locations as double",
        "run-query",
        "windowed",
        "--master",
        "local[1]",
        "--results",
        out.toString());
  }
}
