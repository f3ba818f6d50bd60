package edu.dsc650.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import edu.dsc650.testing.SinkLogs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file-sink log the replay writes for Spark's readers of {@code input/<topic>}. */
class FileSinkLogTest {
  @TempDir Path tmp;

  /**
   * A finite run of many laps keeps every file, but not every compaction: each holds every entry so
   * far, so keeping them all grows with the square of the laps. A reader needs the latest and (if
   * it listed the log just before it) the previous one, and the batches after them.
   */
  @Test
  void aLogWithoutRetentionKeepsTwoCompactionsAndNamesEveryFile() throws Exception {
    Path topic = tmp.resolve("input/locations");
    FileSinkLog log =
        FileSinkLog.create(new LocalStorage(), new org.apache.hadoop.fs.Path(topic.toUri()));
    List<Path> published = new ArrayList<>();
    for (int b = 0; b < 95; b++) {
      Path file = topic.resolve("t=" + b + "/ride.parquet");
      published.add(file);
      log.add(List.of(new FileSinkLog.File(new org.apache.hadoop.fs.Path(file.toUri()), 100, 7)));
    }
    assertEquals(published, SinkLogs.allFiles(topic), "a reader finds every file published");
    List<String> names;
    try (Stream<Path> files = Files.list(topic.resolve(FileSinkLog.FOLDER))) {
      names = files.map(f -> f.getFileName().toString()).sorted().toList();
    }
    assertEquals(
        List.of("79.compact", "89.compact"),
        names.stream().filter(n -> n.endsWith(".compact")).toList(),
        "the latest compaction and the one before: " + names);
    assertTrue(
        names.stream().filter(n -> !n.endsWith(".compact")).allMatch(n -> Long.parseLong(n) > 79),
        "and the batches after the previous compaction only: " + names);
  }
}
