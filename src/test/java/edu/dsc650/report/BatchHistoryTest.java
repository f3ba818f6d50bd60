package edu.dsc650.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import edu.dsc650.io.LocalStorage;
import edu.dsc650.io.ResultsLayout;
import edu.dsc650.io.SliceLatency;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A query's batches from its progress lines and run-query's slice latencies, against figures worked
 * out by hand.
 */
class BatchHistoryTest {
  @TempDir Path tmp;

  private static String progress(long batch, String at, long durationMs, long rows) {
    return "{\"name\":\"joined\",\"batchId\":"
        + batch
        + ",\"timestamp\":\""
        + at
        + "\",\"numInputRows\":"
        + rows
        + ",\"durationMs\":{\"triggerExecution\":"
        + durationMs
        + "}}";
  }

  private static String slice(long batch, String slice, long latencyMs, long rows) {
    return new SliceLatency("joined", batch, "locations", slice, null, null, latencyMs, rows)
        .json();
  }

  @Test
  void latencyIsThatOfTheOldestSliceTheBatchReadAndRowsComeFromTheSlicesWhenSparkCountsNone()
      throws Exception {
    Path progress = tmp.resolve("progress/joined");
    Files.createDirectories(progress.resolve("latency"));
    Files.writeString(
        progress.resolve("joined-20260301T100000Z.jsonl"),
        String.join(
                "\n",
                progress(0, "2026-03-01T10:00:02Z", 500, 0),
                progress(1, "2026-03-01T10:00:03Z", 100, 0),
                progress(2, "2026-03-01T10:00:04Z", 250, 3),
                "{\"name\":\"joined\",\"batchId\":3,\"timest")
            + "\n"); // the last line of a killed session
    Files.writeString(
        progress.resolve("latency/joined-20260301T100000Z.jsonl"),
        String.join(
            "\n",
            slice(0, "t=0", 2_500, 5),
            slice(0, "t=1.5", 1_000, 7),
            slice(2, "t=3", 1_250, 2),
            slice(2, "t=3", 1_250, 2), // a batch re-run after a restart: its slice once
            ""));

    List<BatchHistory.Batch> batches =
        BatchHistory.read(
            new LocalStorage(),
            new ResultsLayout(new org.apache.hadoop.fs.Path(tmp.toUri())),
            "joined");

    long at = Instant.parse("2026-03-01T10:00:00Z").toEpochMilli();
    assertEquals(
        List.of(
            // read t=0 and t=1.5, ended at 2.5 s: t=0 waited 2.5 s; Spark said 0 rows, the slices
            // 5 + 7
            new BatchHistory.Batch(0, at + 2_500, 12, 500, 2_500.0),
            // no slice, no latency
            new BatchHistory.Batch(1, at + 3_100, 0, 100, null),
            // t=3 (due at 3 s), ended at 4.25 s; Spark's own count is kept
            new BatchHistory.Batch(2, at + 4_250, 3, 250, 1_250.0)),
        batches);
  }
}
