package edu.dsc650.report.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import edu.dsc650.io.ResultsLayout;
import edu.dsc650.io.Storage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the live page is sent, from a results folder whose files this test writes line by line, as
 * stream-data and run-query would: every figure is the one written here, and each poll has only
 * what was added since the last.
 */
class LiveFeedTest {
  @TempDir Path tmp;

  static final String SLICE_0 =
      "{\"run_id\":\"r1\",\"topic\":\"locations\",\"slice\":\"t=0.0\",\"batch\":0,\"t\":0.0,"
          + "\"due\":\"2026-12-06T10:00:00Z\",\"published\":\"2026-12-06T10:00:00.002Z\","
          + "\"lag_ms\":2.5,\"files\":3,\"rows\":7}";
  static final String SLICE_1 =
      "{\"run_id\":\"r1\",\"topic\":\"accelerations\",\"slice\":\"t=1.5\",\"batch\":1,\"t\":1.5,"
          + "\"due\":\"2026-12-06T10:00:01.500Z\",\"published\":\"2026-12-06T10:00:01.501Z\","
          + "\"lag_ms\":1.0,\"files\":2,\"rows\":100}";

  /** A micro-batch of a stateful query: two state operators, rows dropped as late. */
  static String progress(
      String query, long batch, String started, String eventMax, String watermark) {
    return "{\"id\":\"i\",\"runId\":\"run-a\",\"name\":\""
        + query
        + "\",\"timestamp\":\""
        + started
        + "\",\"batchId\":"
        + batch
        + ",\"numInputRows\":120,\"durationMs\":{\"addBatch\":300,\"queryPlanning\":40,"
        + "\"triggerExecution\":400},\"eventTime\":{\"max\":\""
        + eventMax
        + "\",\"watermark\":\""
        + watermark
        + "\"},\"stateOperators\":[{\"numRowsTotal\":10,\"numRowsDroppedByWatermark\":2},"
        + "{\"numRowsTotal\":5,\"numRowsDroppedByWatermark\":1}],\"sources\":[],\"sink\":{}}";
  }

  @Test
  void eachPollHasWhatWasAddedSinceTheLast() throws Exception {
    Path root = tmp.resolve("results");
    LiveFeed feed =
        new LiveFeed(
            Storage.forLocation(root.toString()),
            new ResultsLayout(new org.apache.hadoop.fs.Path(root.toUri())));
    assertTrue(feed.poll().isEmpty(), "no results folder yet: nothing, and no error");

    Files.createDirectories(root);
    Files.writeString(root.resolve("replay.json"), "{\"status\":\"running\",\"speedup\":2.0}");
    append(root.resolve("replay-slices.jsonl"), SLICE_0 + "\n" + SLICE_1 + "\n");
    Path windowed = root.resolve("progress/windowed/windowed-20261206T100000Z.jsonl");
    append(
        windowed,
        progress(
                "windowed",
                0,
                "2026-12-06T10:00:02Z",
                "2026-12-06T10:00:01.900Z",
                "2026-12-06T09:59:31.900Z")
            + "\n");
    append(
        root.resolve("progress/windowed/latency/windowed-20261206T100000Z.jsonl"),
        "{\"query\":\"windowed\",\"batch\":0,\"topic\":\"locations\",\"slice\":\"t=0.0\","
            + "\"due\":\"2026-12-06T10:00:00Z\",\"end\":\"2026-12-06T10:00:02.400Z\","
            + "\"latency_ms\":2400,\"rows\":7}\n");

    LiveUpdate first = feed.poll();
    assertEquals("running", first.replay().path("status").asText());
    assertEquals(2, first.slices().size());
    LiveUpdate.Slice s = first.slices().get(1);
    assertEquals(
        new LiveUpdate.Slice(
            "r1",
            "accelerations",
            "t=1.5",
            1.5,
            Instant.parse("2026-12-06T10:00:01.500Z").toEpochMilli(),
            Instant.parse("2026-12-06T10:00:01.501Z").toEpochMilli(),
            1.0,
            100),
        s);
    LiveUpdate.Batch b = first.batches().get(0);
    long started = Instant.parse("2026-12-06T10:00:02Z").toEpochMilli();
    assertEquals(
        new LiveUpdate.Batch(
            "windowed",
            "run-a",
            0,
            started,
            started + 400, // Spark's timestamp is the batch's start; it took 400 ms in all
            120,
            Map.of("addBatch", 300L, "queryPlanning", 40L, "triggerExecution", 400L),
            Instant.parse("2026-12-06T10:00:01.900Z").toEpochMilli(),
            Instant.parse("2026-12-06T09:59:31.900Z").toEpochMilli(),
            15L, // 10 + 5 rows in the two operators' state
            3L, // 2 + 1 dropped as late
            null),
        b);
    assertEquals(
        List.of(
            new LiveUpdate.Latency(
                "windowed",
                0,
                "locations",
                "t=0.0",
                Instant.parse("2026-12-06T10:00:00Z").toEpochMilli(),
                Instant.parse("2026-12-06T10:00:02.400Z").toEpochMilli(),
                2400)),
        first.latencies());

    assertTrue(feed.poll().isEmpty(), "nothing was added");

    // a batch of end-of-stream markers: their far-future event time is not data
    append(
        windowed,
        progress(
                "windowed",
                1,
                "2026-12-06T10:00:03Z",
                "9000-01-01T00:00:00Z",
                "8999-12-31T23:59:30Z")
            + "\n");
    // a second query's log appears
    append(
        root.resolve("progress/simple/simple-20261206T100001Z.jsonl"),
        progress(
                    "simple",
                    0,
                    "2026-12-06T10:00:03Z",
                    "2026-12-06T10:00:02Z",
                    "1970-01-01T00:00:00Z")
                .replace(",\"watermark\":\"1970-01-01T00:00:00Z\"", "")
            + "\n");
    LiveUpdate second = feed.poll();
    assertNull(second.replay(), "replay.json did not change");
    assertEquals(List.of(), second.slices());
    assertEquals(2, second.batches().size(), second.batches().toString());
    LiveUpdate.Batch marker =
        second.batches().stream().filter(x -> x.query().equals("windowed")).findFirst().get();
    assertEquals(1, marker.id());
    assertNull(marker.eventMax());
    assertNull(marker.watermark());
    assertEquals(Boolean.TRUE, marker.endOfStream());
    LiveUpdate.Batch simple =
        second.batches().stream().filter(x -> x.query().equals("simple")).findFirst().get();
    assertNull(simple.watermark(), "no watermark: none shown");
    assertNotNull(simple.eventMax());

    Files.writeString(root.resolve("replay.json"), "{\"status\":\"completed\",\"speedup\":2.0}");
    assertEquals("completed", feed.poll().replay().path("status").asText());
  }

  @Test
  void aLineThatIsNotJsonIsToldAndSkippedAndTheRestArrives() throws Exception {
    Path root = tmp.resolve("results");
    List<String> warnings = new java.util.ArrayList<>();
    LiveFeed feed =
        new LiveFeed(
            Storage.forLocation(root.toString()),
            new ResultsLayout(new org.apache.hadoop.fs.Path(root.toUri())),
            warnings::add);
    append(root.resolve("replay-slices.jsonl"), SLICE_0 + "\n");
    append(
        root.resolve("progress/simple/simple-1.jsonl"),
        "not json\n"
            + progress(
                "simple", 4, "2026-12-06T10:00:03Z", "2026-12-06T10:00:02Z", "1970-01-01T00:00:00Z")
            + "\n");
    LiveUpdate update = feed.poll();
    assertEquals(1, update.slices().size(), "read before the bad line: kept");
    assertEquals(1, update.batches().size(), "after it: read");
    assertEquals(4, update.batches().get(0).id());
    assertNull(update.batches().get(0).watermark(), "Spark's epoch watermark is none yet");
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).contains("simple-1.jsonl") && warnings.get(0).contains("not json"));
  }

  /**
   * A --sql query's micro-batches: in update mode from {@code batch_id=<n>}, in append mode from
   * its sink's log; the first rows, all columns in order, timestamps in milliseconds, and the
   * count.
   */
  @Test
  void aQueryOfYourOwnShowsTheRowsEachBatchWrote() throws Exception {
    Path root = tmp.resolve("results");
    LiveFeed feed =
        new LiveFeed(
            Storage.forLocation(root.toString()),
            new ResultsLayout(new org.apache.hadoop.fs.Path(root.toUri())));
    org.apache.parquet.schema.MessageType schema =
        org.apache.parquet.schema.MessageTypeParser.parseMessageType(
            "message spark_schema { optional binary uuid (STRING);"
                + " optional int64 at (TIMESTAMP(MICROS,true)); optional int64 n; }");
    // update mode: batch 3 wrote 25 rows in two files
    writeRows(root.resolve("output/braking/batch_id=3/part-0.parquet"), schema, 0, 15);
    writeRows(root.resolve("output/braking/batch_id=3/part-1.parquet"), schema, 15, 10);
    // append mode: batch 0's file named in the sink's log, and a file no log names
    Path sink = root.resolve("output/mine");
    writeRows(sink.resolve("part-a.parquet"), schema, 100, 2);
    writeRows(sink.resolve("part-uncommitted.parquet"), schema, 200, 5);
    Files.createDirectories(sink.resolve("_spark_metadata"));
    Files.writeString(
        sink.resolve("_spark_metadata/0"),
        "v1\n{\"path\":\""
            + sink.resolve("part-a.parquet").toUri()
            + "\",\"size\":1,\"isDir\":false,\"modificationTime\":1,\"blockReplication\":1,"
            + "\"blockSize\":1,\"action\":\"add\"}");
    append(
        root.resolve("progress/braking/braking-1.jsonl"),
        progress(
                "braking",
                3,
                "2026-12-06T10:00:03Z",
                "2026-12-06T10:00:02Z",
                "2026-12-06T09:59:32Z")
            + "\n");
    append(
        root.resolve("progress/mine/mine-1.jsonl"),
        progress("mine", 0, "2026-12-06T10:00:03Z", "2026-12-06T10:00:02Z", "1970-01-01T00:00:00Z")
            + "\n");

    java.util.Map<String, LiveUpdate.QueryRows> rows = new java.util.TreeMap<>();
    feed.poll().rows().forEach(r -> rows.put(r.query(), r));
    assertEquals(java.util.Set.of("braking", "mine"), rows.keySet());
    LiveUpdate.QueryRows braking = rows.get("braking");
    assertEquals(3, braking.batch());
    assertEquals(List.of("uuid", "at", "n"), braking.columns());
    assertEquals(List.of("at"), braking.timestamps());
    assertEquals(25, braking.total(), "every row of the batch counted");
    assertEquals(LiveUpdate.QueryRows.SHOWN, braking.rows().size(), "the first 20 shown");
    assertEquals(List.of("ride-0", 1L, 0L), braking.rows().get(0));
    assertEquals(List.of("ride-19", 20L, 19L), braking.rows().get(19), "into the second file");
    LiveUpdate.QueryRows mine = rows.get("mine");
    assertEquals(2, mine.total(), "only the file its log names");
    assertEquals(List.of("ride-100", 101L, 100L), mine.rows().get(0));
  }

  /**
   * Rows {@code from}, {@code from + 1}, ...: uuid ride-i, at (i + 1) ms (in microseconds), n = i.
   */
  private static void writeRows(
      Path file, org.apache.parquet.schema.MessageType schema, int from, int count)
      throws Exception {
    edu.dsc650.testing.TestData.write(
        file,
        schema,
        org.apache.parquet.hadoop.metadata.CompressionCodecName.SNAPPY,
        false,
        org.apache.parquet.column.ParquetProperties.WriterVersion.PARQUET_1_0,
        w -> {
          for (int i = from; i < from + count; i++) {
            w.write(
                w.row()
                    .append("uuid", "ride-" + i)
                    .append("at", (i + 1) * 1000L)
                    .append("n", (long) i));
          }
        });
  }

  static void append(Path file, String text) throws Exception {
    Files.createDirectories(file.getParent());
    Files.write(
        file,
        text.getBytes(StandardCharsets.UTF_8),
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }
}
