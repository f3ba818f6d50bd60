package edu.dsc650.query.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.execution.streaming.CheckpointFileManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract Spark's metadata logs and state stores rely on, on a local disk. */
class LocalCheckpointFilesTest {
  @TempDir java.nio.file.Path dir;

  private CheckpointFileManager manager() throws IOException {
    return new LocalCheckpointFiles(new Path(dir.toUri()), new Configuration());
  }

  private Path path(String name) {
    return new Path(dir.resolve(name).toUri());
  }

  private static void write(CheckpointFileManager m, Path p, boolean overwrite, String text)
      throws IOException {
    try (var out = m.createAtomic(p, overwrite)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  private String read(String name) throws IOException {
    return Files.readString(dir.resolve(name));
  }

  /** Only the final name is left, whatever happened: no temporary file. */
  private List<String> names() throws IOException {
    try (var files = Files.list(dir)) {
      return files.map(f -> f.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void aFileAppearsWhenClosedAndNotBefore() throws IOException {
    CheckpointFileManager m = manager();
    var out = m.createAtomic(path("sub/0"), false);
    out.write("v1".getBytes(StandardCharsets.UTF_8));
    assertFalse(m.exists(path("sub/0")));
    out.close();
    assertTrue(m.exists(path("sub/0")));
    assertEquals("v1", read("sub/0"));
    try (var in = m.open(path("sub/0"))) {
      assertEquals("v1", new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void withoutOverwriteATakenNameFailsAsSparkExpectsAndKeepsTheFirst() throws IOException {
    CheckpointFileManager m = manager();
    write(m, path("1"), false, "first");
    assertThrows(FileAlreadyExistsException.class, () -> write(m, path("1"), false, "second"));
    assertEquals("first", read("1"));
    assertEquals(List.of("1"), names());
  }

  @Test
  void withOverwriteTheLastWins() throws IOException {
    CheckpointFileManager m = manager();
    write(m, path("1.delta"), true, "first");
    write(m, path("1.delta"), true, "second");
    assertEquals("second", read("1.delta"));
    assertEquals(List.of("1.delta"), names());
  }

  @Test
  void aCancelledWriteLeavesNothing() throws IOException {
    CheckpointFileManager m = manager();
    var out = m.createAtomic(path("2"), false);
    out.write("half".getBytes(StandardCharsets.UTF_8));
    out.cancel();
    out.close(); // Spark may close after cancel: still nothing
    assertEquals(List.of(), names());
  }

  @Test
  void listsQualifiedPathsThroughTheFilterAndDeletesTrees() throws IOException {
    CheckpointFileManager m = manager();
    write(m, path("0"), false, "a");
    write(m, path("10"), false, "bb");
    write(m, path(".0.crc"), false, "x");
    FileStatus[] listed = m.list(new Path(dir.toUri()), p -> !p.getName().startsWith("."));
    Arrays.sort(listed);
    assertArrayEquals(
        new String[] {"0", "10"}, Arrays.stream(listed).map(s -> s.getPath().getName()).toArray());
    assertEquals("file", listed[1].getPath().toUri().getScheme());
    assertEquals(2, listed[1].getLen());
    assertThrows(FileNotFoundException.class, () -> m.list(path("missing"), p -> true));

    write(m, path("state/0/1.delta"), false, "d");
    m.delete(path("state"));
    m.delete(path("state")); // gone already: no error
    assertFalse(Files.exists(dir.resolve("state")));
  }

  @Test
  void sparkPicksItBySetting() throws IOException {
    Configuration conf = new Configuration();
    conf.set(LocalCheckpointFiles.SETTING, LocalCheckpointFiles.class.getName());
    // Spark picks the manager by the setting, as it does for a checkpoint
    CheckpointFileManager m = CheckpointFileManager.create(new Path(dir.toUri()), conf);
    assertTrue(m instanceof LocalCheckpointFiles);
    Path qualified = m.createCheckpointDirectory();
    assertEquals(new Path(dir.toUri()).toUri().getPath(), qualified.toUri().getPath());
    assertTrue(m.isLocal());
  }
}
