package edu.dsc650.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import edu.dsc650.io.LocalStorage;
import edu.dsc650.io.SliceRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A query's batches from its progress lines and its checkpoint's source log, against figures worked
 * out by hand.
 */
class BatchHistoryTest {
  @TempDir Path tmp;

  private static String progress(
      long batch, String at, long durationMs, long rows, String start, String end) {
    return "{\"name\":\"joined\",\"batchId\":"
        + batch
        + ",\"timestamp\":\""
        + at
        + "\",\"numInputRows\":"
        + rows
        + ",\"durationMs\":{\"triggerExecution\":"
        + durationMs
        + "},\"sources\":[{\"startOffset\":"
        + start
        + ",\"endOffset\":"
        + end
        + "}]}";
  }

  private static String entry(String path, long batch) {
    return "{\"path\":\"file://" + path + "\",\"timestamp\":1,\"batchId\":" + batch + "}";
  }

  @Test
  void latencyIsBatchEndMinusTheOldestDueSliceItReadAndRowsComeFromTheSlicesWhenSparkCountsNone()
      throws Exception {
    Path progress = tmp.resolve("progress/joined");
    Files.createDirectories(progress);
    Files.writeString(
        progress.resolve("joined-20260301T100000Z.jsonl"),
        String.join(
                "\n",
                progress(0, "2026-03-01T10:00:02Z", 500, 0, "null", "{\"logOffset\":1}"),
                progress(
                    1, "2026-03-01T10:00:03Z", 100, 0, "{\"logOffset\":1}", "{\"logOffset\":1}"),
                progress(
                    2, "2026-03-01T10:00:04Z", 250, 3, "{\"logOffset\":1}", "{\"logOffset\":2}"),
                "{\"name\":\"joined\",\"batchId\":3,\"timest")
            + "\n"); // the last line of a killed session

    Path log = tmp.resolve("checkpoints/joined/sources/0");
    Files.createDirectories(log);
    String in = "/r/input/locations/";
    Files.writeString(
        log.resolve("0"),
        "v1\n" + entry(in + "t=0/a.parquet", 0) + "\n" + entry(in + "t=0/b.parquet", 0));
    Files.writeString(log.resolve("1"), "v1\n" + entry(in + "t=1.5/a.parquet", 1));
    // a compact file repeats what came before; an end-of-stream marker is not a slice
    Files.writeString(
        log.resolve("2.compact"),
        "v1\n"
            + entry(in + "t=0/a.parquet", 0)
            + "\n"
            + entry(in + "t=1.5/a.parquet", 1)
            + "\n"
            + entry(in + "t=3/a.parquet", 2)
            + "\n"
            + entry("/r/control/joined/locations/end-of-stream-x-1.parquet", 2));

    List<SliceRecord> records =
        List.of(
            new SliceRecord(
                "run",
                "locations",
                "t=0",
                0,
                "2026-03-01T10:00:00Z",
                "2026-03-01T10:00:00Z",
                0.0,
                2,
                5,
                null,
                null),
            new SliceRecord(
                "run",
                "locations",
                "t=1.5",
                1.5,
                "2026-03-01T10:00:01.500Z",
                "2026-03-01T10:00:01.5Z",
                0.0,
                1,
                7,
                null,
                null),
            new SliceRecord(
                "run",
                "locations",
                "t=3",
                3,
                "2026-03-01T10:00:03Z",
                "2026-03-01T10:00:03Z",
                0.0,
                1,
                2,
                null,
                null));

    List<BatchHistory.Batch> batches =
        BatchHistory.read(
            new LocalStorage(),
            new org.apache.hadoop.fs.Path(progress.toUri()),
            "joined",
            new org.apache.hadoop.fs.Path(tmp.resolve("checkpoints/joined").toUri()),
            records);

    long at = Instant.parse("2026-03-01T10:00:00Z").toEpochMilli();
    assertEquals(
        List.of(
            // read t=0 and t=1.5 (log batches 0 and 1), ended at 2.5 s: t=0 waited 2.5 s; Spark
            // said 0 rows, the slices 5 + 7
            new BatchHistory.Batch(0, at + 2_500, 12, 500, 2_500.0),
            // no new log batch: no slice, no latency
            new BatchHistory.Batch(1, at + 3_100, 0, 100, null),
            // log batch 2: t=3 (due at 3 s) and a marker, ended at 4.25 s; Spark's own count is
            // kept
            new BatchHistory.Batch(2, at + 4_250, 3, 250, 1_250.0)),
        batches);
  }

  /**
   * A Kafka source: a batch read the slices whose end offsets lie in (its start, its end]. By hand:
   * t=0 ends at offset 6 (5 rows and a marker), t=1.5 at 14, t=3 at 17.
   */
  @Test
  void kafkaBatchesReadTheSlicesWhoseEndOffsetsTheyReached() throws Exception {
    Path progress = tmp.resolve("progress/simple");
    Files.createDirectories(progress);
    String source = "\"description\":\"KafkaV2[Subscribe[p-locations]]\"";
    Files.writeString(
        progress.resolve("simple-locations-s1.jsonl"),
        String.join(
            "\n",
            "{\"name\":\"simple-locations\",\"batchId\":0,\"timestamp\":\"2026-03-01T10:00:02Z\",\"numInputRows\":12,"
                + "\"durationMs\":{\"triggerExecution\":500},\"sources\":[{"
                + source
                + ",\"startOffset\":null,\"endOffset\":{\"p-locations\":{\"0\":14}}}]}",
            "{\"name\":\"simple-locations\",\"batchId\":1,\"timestamp\":\"2026-03-01T10:00:04Z\",\"numInputRows\":2,"
                + "\"durationMs\":{\"triggerExecution\":250},\"sources\":[{"
                + source
                + ",\"startOffset\":{\"p-locations\":{\"0\":14}},\"endOffset\":{\"p-locations\":{\"0\":17}}}]}",
            "{\"name\":\"simple-locations\",\"batchId\":2,\"timestamp\":\"2026-03-01T10:00:05Z\",\"numInputRows\":0,"
                + "\"durationMs\":{\"triggerExecution\":100},\"sources\":[{"
                + source
                + ",\"startOffset\":{\"p-locations\":{\"0\":17}},\"endOffset\":{\"p-locations\":{\"0\":17}}}]}",
            ""));
    List<SliceRecord> records =
        List.of(
            new SliceRecord(
                "run",
                "locations",
                "t=0",
                0,
                "2026-03-01T10:00:00Z",
                "2026-03-01T10:00:00Z",
                0.0,
                2,
                5,
                Map.of(0, 6L),
                null),
            new SliceRecord(
                "run",
                "locations",
                "t=1.5",
                1.5,
                "2026-03-01T10:00:01.500Z",
                "2026-03-01T10:00:01.5Z",
                0.0,
                1,
                7,
                Map.of(0, 14L),
                null),
            new SliceRecord(
                "run",
                "locations",
                "t=3",
                3,
                "2026-03-01T10:00:03Z",
                "2026-03-01T10:00:03Z",
                0.0,
                1,
                2,
                Map.of(0, 17L),
                null));

    List<BatchHistory.Batch> batches =
        BatchHistory.read(
            new LocalStorage(),
            new org.apache.hadoop.fs.Path(progress.toUri()),
            "simple-locations",
            new org.apache.hadoop.fs.Path(tmp.resolve("checkpoints/simple/locations").toUri()),
            records,
            Map.of("p-locations", "locations"));

    long at = Instant.parse("2026-03-01T10:00:00Z").toEpochMilli();
    assertEquals(
        List.of(
            // t=0 and t=1.5, ended at 2.5 s: t=0 waited 2.5 s
            new BatchHistory.Batch(0, at + 2_500, 12, 500, 2_500.0),
            // t=3, ended at 4.25 s: waited 1.25 s
            new BatchHistory.Batch(1, at + 4_250, 2, 250, 1_250.0),
            // nothing new
            new BatchHistory.Batch(2, at + 5_100, 0, 100, null)),
        batches);
  }

  /**
   * run-query's published source: an offset names the last publish-log batch read, and batch n of a
   * topic is the slice whose record says batch n. By hand: batch 0 read publish-log batches 0 and 1
   * (t=0, t=1.5), batch 1 nothing new, batch 2 batch 2 (t=3).
   */
  @Test
  void aPublishedSourceReadsTheSlicesOfItsPublishLogBatches() throws Exception {
    Path progress = tmp.resolve("progress/simple");
    Files.createDirectories(progress);
    String source = "\"description\":\"PublishedSource[file:/r/input/locations]\"";
    Files.writeString(
        progress.resolve("simple-locations-20260301T100000Z.jsonl"),
        String.join(
            "\n",
            "{\"name\":\"simple-locations\",\"batchId\":0,\"timestamp\":\"2026-03-01T10:00:02.000Z\",\"numInputRows\":12,"
                + "\"durationMs\":{\"triggerExecution\":500},\"sources\":[{"
                + source
                + ",\"startOffset\":null,\"endOffset\":{\"run\":\"run\",\"topic\":\"locations\",\"batch\":1}}]}",
            "{\"name\":\"simple-locations\",\"batchId\":1,\"timestamp\":\"2026-03-01T10:00:03.000Z\",\"numInputRows\":0,"
                + "\"durationMs\":{\"triggerExecution\":100},\"sources\":[{"
                + source
                + ",\"startOffset\":{\"run\":\"run\",\"topic\":\"locations\",\"batch\":1},"
                + "\"endOffset\":{\"run\":\"run\",\"topic\":\"locations\",\"batch\":1}}]}",
            "{\"name\":\"simple-locations\",\"batchId\":2,\"timestamp\":\"2026-03-01T10:00:04.000Z\",\"numInputRows\":2,"
                + "\"durationMs\":{\"triggerExecution\":250},\"sources\":[{"
                + source
                + ",\"startOffset\":\"{\\\"run\\\":\\\"run\\\",\\\"topic\\\":\\\"locations\\\",\\\"batch\\\":1}\","
                + "\"endOffset\":{\"run\":\"run\",\"topic\":\"locations\",\"batch\":2}}]}",
            ""));
    // records in another order than their batches, and one of accelerations in between
    List<SliceRecord> records =
        List.of(
            new SliceRecord(
                "run",
                "locations",
                "t=1.5",
                1.5,
                "2026-03-01T10:00:01.500Z",
                "2026-03-01T10:00:01.5Z",
                0.0,
                1,
                7,
                null,
                1L),
            new SliceRecord(
                "run",
                "accelerations",
                "t=0",
                0,
                "2026-03-01T09:00:00Z",
                "2026-03-01T09:00:00Z",
                0.0,
                1,
                99,
                null,
                0L),
            new SliceRecord(
                "run",
                "locations",
                "t=0",
                0,
                "2026-03-01T10:00:00Z",
                "2026-03-01T10:00:00Z",
                0.0,
                2,
                5,
                null,
                0L),
            new SliceRecord(
                "run",
                "locations",
                "t=3",
                3,
                "2026-03-01T10:00:03Z",
                "2026-03-01T10:00:03Z",
                0.0,
                1,
                2,
                null,
                2L));

    List<BatchHistory.Batch> batches =
        BatchHistory.read(
            new LocalStorage(),
            new org.apache.hadoop.fs.Path(progress.toUri()),
            "simple-locations",
            new org.apache.hadoop.fs.Path(tmp.resolve("checkpoints/simple/locations").toUri()),
            records);

    long at = Instant.parse("2026-03-01T10:00:00Z").toEpochMilli();
    assertEquals(
        List.of(
            new BatchHistory.Batch(
                0, at + 2_500, 12, 500, 2_500.0), // t=0 due at 0 s, ended at 2.5 s
            new BatchHistory.Batch(1, at + 3_100, 0, 100, null),
            new BatchHistory.Batch(2, at + 4_250, 2, 250, 1_250.0)),
        batches); // t=3 due at 3 s
  }
}
