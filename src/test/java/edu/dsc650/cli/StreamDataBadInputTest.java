package edu.dsc650.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import edu.dsc650.testing.Datasets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input: one clear line naming the problem, exit code 2, and nothing touched. */
class StreamDataBadInputTest {
  @TempDir
  Path tmp;

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
  }

  private void assertRefused(String expectedInMessage, String... extraArgs) throws IOException {
    CommandRunner cli = new CommandRunner();
    String[] args = {"stream-data", "--max-speed", "--source", source.toString(), "--results", results.toString()};
    String[] all = Arrays.copyOf(args, args.length + extraArgs.length);
    System.arraycopy(extraArgs, 0, all, args.length, extraArgs.length);
    int rc = cli.run(all);
    assertEquals(2, rc, cli.err.toString());
    String errors = cli.errors();
    assertEquals(1, errors.lines().count(), "one error line: " + cli.err);
    assertTrue(errors.contains(expectedInMessage), errors);
    assertEquals("earlier", Files.readString(results.resolve("input/locations/t=1/earlier.parquet")));
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
    assertRefused("--scale must be a number of copies of each ride (1 or more), not 0", "--scale", "0");
    assertRefused("--scale must be a number of copies of each ride (1 or more), not -3", "--scale", "-3");
  }

  @Test
  void aScaleWithoutRidesToTellApart() throws IOException {
    Files.delete(someSourceFile());
    edu.dsc650.testing.TestData.write(someSourceFile(),
        MessageTypeParser.parseMessageType("message m { optional double offset; optional double speed; }"),
        CompressionCodecName.GZIP, false, org.apache.parquet.column.ParquetProperties.WriterVersion.PARQUET_1_0,
        w -> w.write(w.row().append("offset", 9.6).append("speed", 1.0)));
    assertRefused("t=9.5/ride-a.parquet: has no 'uuid' column, so the copies", "--scale", "2");
    Files.delete(someSourceFile());
    edu.dsc650.testing.TestData.write(someSourceFile(),
        MessageTypeParser.parseMessageType("message m { optional int64 uuid; optional double offset; }"),
        CompressionCodecName.GZIP, false, org.apache.parquet.column.ParquetProperties.WriterVersion.PARQUET_1_0,
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

  @Test
  void fileWithoutOffset() throws IOException {
    var schema = MessageTypeParser.parseMessageType("message m { optional binary uuid (STRING); optional double speed; }");
    Files.delete(someSourceFile());
    edu.dsc650.testing.TestData.write(someSourceFile(), schema, CompressionCodecName.GZIP, false,
        org.apache.parquet.column.ParquetProperties.WriterVersion.PARQUET_1_0,
        w -> w.write(w.row().append("uuid", "x").append("speed", 1.0)));
    assertRefused("has no 'offset' column");
  }

  @Test
  void offsetThatIsNotANumber() throws IOException {
    var schema = MessageTypeParser.parseMessageType("message m { optional binary uuid (STRING); optional binary offset (STRING); }");
    Files.delete(someSourceFile());
    edu.dsc650.testing.TestData.write(someSourceFile(), schema, CompressionCodecName.GZIP, false,
        org.apache.parquet.column.ParquetProperties.WriterVersion.PARQUET_1_0,
        w -> w.write(w.row().append("uuid", "x").append("offset", "1.5")));
    assertRefused("'offset' column of type BYTE_ARRAY");
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
    assertEquals(2, cli.run("stream-data", "--source", source.toString(), "--results", source.toString()));
    assertTrue(cli.errors().contains("is the source folder"), cli.errors());
    cli = new CommandRunner();
    assertEquals(2, cli.run("stream-data", "--source", source.toString(), "--results", tmp.toString()));
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
    assertEquals(2, cli.run("stream-data", "--source", source.toString(), "--results", file.toString()));
    assertTrue(cli.errors().contains("is a file"), cli.errors());
    assertEquals("x", Files.readString(file));
  }

  @Test
  void aSecondRunOnTheSameResultsFolderRefuses() throws IOException {
    // what a live run leaves: its process id (this JVM, alive) and host
    Files.writeString(results.resolve(".replay.lock"),
        ProcessHandle.current().pid() + " " + java.net.InetAddress.getLocalHost().getHostName() + "\n");
    assertRefused("another stream-data run (process " + ProcessHandle.current().pid() + ")");
    assertTrue(Files.exists(results.resolve(".replay.lock")), "the live run's lock stays");
  }

  @Test
  void aLockLeftByAKilledRunIsTakenOver() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Files.writeString(results.resolve(".replay.lock"),
        gone.pid() + " " + java.net.InetAddress.getLocalHost().getHostName() + "\n");
    CommandRunner cli = new CommandRunner();
    int rc = cli.run("stream-data", "--max-speed", "--source", source.toString(), "--results", results.toString());
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
}
