package edu.dsc650.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import edu.dsc650.io.LocalStorage;
import edu.dsc650.io.ResultsLayout;
import edu.dsc650.io.SliceRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.spark.sql.streaming.SinkProgress;
import org.apache.spark.sql.streaming.SourceProgress;
import org.apache.spark.sql.streaming.StateOperatorProgress;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 21, item 10: the histories an endless run keeps are bounded: progress files and slice
 * records rotate.
 */
class RotationTest {
  @TempDir Path tmp;

  private static StreamingQueryProgress batch(long id) {
    SourceProgress source =
        new SourceProgress("PublishedSource[input]", null, "{}", "{}", 1, 0, 0, Map.of());
    return new StreamingQueryProgress(
        UUID.randomUUID(),
        UUID.randomUUID(),
        "simple",
        "2026-03-01T10:00:00.000Z",
        id,
        10,
        Map.of(),
        Map.of(),
        new StateOperatorProgress[0],
        new SourceProgress[] {source},
        new SinkProgress("sink"),
        Map.of());
  }

  @Test
  void progressFilesRotateAndKeepTheLastThreeParts() throws Exception {
    ResultsLayout layout = new ResultsLayout(new org.apache.hadoop.fs.Path(tmp.toUri()));
    long lineBytes = (batch(0).json() + "\n").length();
    try (ProgressLog log =
        new ProgressLog(
            new LocalStorage(),
            layout,
            Instant.parse("2026-03-01T10:00:00Z"),
            Map::of,
            10 * lineBytes)) {
      for (long b = 0; b < 55; b++) {
        log.onQueryProgress(new StreamingQueryListener.QueryProgressEvent(batch(b)));
      }
    }
    Path folder = tmp.resolve("progress/simple");
    List<String> names;
    try (Stream<Path> files = Files.list(folder)) {
      names = files.map(p -> p.getFileName().toString()).sorted().toList();
    }
    // 55 lines, ~10 a part: parts 0..5; the last three kept
    assertEquals(
        List.of(
            "simple-20260301T100000Z-3.jsonl",
            "simple-20260301T100000Z-4.jsonl",
            "simple-20260301T100000Z-5.jsonl"),
        names);
    long lines = 0;
    for (String n : names) {
      lines += Files.readAllLines(folder.resolve(n)).size();
    }
    assertTrue(lines >= 25 && lines <= 30, "the newest batches are kept: " + lines);
    assertTrue(
        Files.readString(folder.resolve(names.get(2))).contains("\"batchId\":54"),
        "the last batch is there");
  }

  @Test
  void sliceRecordsRotateIntoOneOlderFile() throws Exception {
    LocalStorage storage = new LocalStorage();
    org.apache.hadoop.fs.Path file =
        new org.apache.hadoop.fs.Path(tmp.resolve("replay-slices.jsonl").toUri());
    try (SliceRecord.Writer writer = new SliceRecord.Writer(storage, file, 4)) {
      for (long b = 0; b < 11; b++) {
        writer.append(
            List.of(
                new SliceRecord(
                    "run",
                    "locations",
                    "t=" + b,
                    b,
                    null,
                    "2026-03-01T10:00:00Z",
                    null,
                    1,
                    1,
                    null,
                    b)));
      }
    }
    List<Long> current = new ArrayList<>();
    SliceRecord.readAll(storage, file).forEach(r -> current.add(r.batch()));
    List<Long> older = new ArrayList<>();
    SliceRecord.readAll(storage, SliceRecord.Writer.older(file)).forEach(r -> older.add(r.batch()));
    assertEquals(List.of(8L, 9L, 10L), current);
    assertEquals(List.of(4L, 5L, 6L, 7L), older);
    // a new run starts both anew
    try (SliceRecord.Writer writer = new SliceRecord.Writer(storage, file, 4)) {
      writer.append(List.of());
    }
    assertTrue(!storage.exists(SliceRecord.Writer.older(file)));
  }
}
