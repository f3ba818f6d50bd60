package edu.dsc650.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import edu.dsc650.io.SliceLatency;
import edu.dsc650.io.SliceRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which slices a micro-batch read, and their latencies, against figures worked out by hand. */
class BatchSlicesTest {
  static final Instant AT = Instant.parse("2026-03-01T10:00:00Z");

  static SliceRecord record(String topic, String slice, double t, long rows, Long batch) {
    return record(topic, slice, t, rows, batch, null);
  }

  static SliceRecord record(
      String topic, String slice, double t, long rows, Long batch, Map<Integer, Long> kafka) {
    String due = AT.plusMillis((long) (t * 1000)).toString();
    return new SliceRecord("run", topic, slice, t, due, due, 0.0, 1, rows, kafka, batch);
  }

  static String published(long batch) {
    return "{\"run\":\"run\",\"topic\":\"locations\",\"batch\":" + batch + "}";
  }

  static List<String[]> offsets(String start, String end) {
    List<String[]> offsets = new ArrayList<>();
    offsets.add(new String[] {start, end});
    return offsets;
  }

  /** "topic/slice latency rows" per line, in order. */
  static List<String> lines(List<SliceLatency> lines) {
    return lines.stream()
        .map(
            l ->
                l.batch()
                    + " "
                    + l.topic()
                    + "/"
                    + l.slice()
                    + " "
                    + l.latencyMs()
                    + " "
                    + l.rows())
        .toList();
  }

  /**
   * run-query's published source: an offset names the last publish-log batch read, and batch n of a
   * topic is the slice whose record says batch n. By hand: batch 0 read publish-log batches 0 and 1
   * (t=0, t=1.5), batch 1 nothing new, batch 2 batch 2 (t=3).
   */
  @Test
  void aPublishedSourceReadsTheSlicesOfItsPublishLogBatches() {
    // records in another order than their batches, and one of accelerations in between
    List<SliceRecord> records =
        List.of(
            record("locations", "t=1.5", 1.5, 7, 1L),
            record("accelerations", "t=0", -3600, 99, 0L),
            record("locations", "t=0", 0, 5, 0L),
            record("locations", "t=3", 3, 2, 2L));
    BatchSlices slices = new BatchSlices(() -> records, Map::of);
    assertEquals(
        List.of("0 locations/t=0 2500 5", "0 locations/t=1.5 1000 7"),
        lines(slices.of("simple", 0, AT.plusMillis(2_500), offsets(null, published(1)))));
    assertEquals(
        List.of(),
        lines(slices.of("simple", 1, AT.plusMillis(3_100), offsets(published(1), published(1)))));
    assertEquals(
        List.of("2 locations/t=3 1250 2"),
        lines(slices.of("simple", 2, AT.plusMillis(4_250), offsets(published(1), published(2)))));
  }

  /**
   * A query that starts late in an endless run reads from the oldest publish-log batch the log
   * still held ({@code first} in its first offset), not from batch 0 whose records are gone.
   */
  @Test
  void aFirstBatchReadsFromTheOldestBatchTheLogHeld() {
    List<SliceRecord> records =
        List.of(record("locations", "t=3", 3, 2, 2L), record("locations", "t=4.5", 4.5, 4, 3L));
    BatchSlices slices = new BatchSlices(() -> records, Map::of);
    String firstOffset = "{\"run\":\"run\",\"topic\":\"locations\",\"batch\":3,\"first\":2}";
    assertEquals(
        List.of("0 locations/t=3 2000 2", "0 locations/t=4.5 500 4"),
        lines(slices.of("simple", 0, AT.plusMillis(5_000), offsets(null, firstOffset))));
    assertEquals(List.of(), lines(slices.rest()), "nothing waits for batches 0 and 1");
  }

  /**
   * A Kafka source: a batch read the slices whose end offsets lie in (its start, its end]. By hand:
   * t=0 ends at offset 6 (5 rows and a marker), t=1.5 at 14, t=3 at 17.
   */
  @Test
  void kafkaBatchesReadTheSlicesWhoseEndOffsetsTheyReached() {
    List<SliceRecord> records =
        List.of(
            record("locations", "t=0", 0, 5, null, Map.of(0, 6L)),
            record("locations", "t=1.5", 1.5, 7, null, Map.of(0, 14L)),
            record("locations", "t=3", 3, 2, null, Map.of(0, 17L)));
    BatchSlices slices = new BatchSlices(() -> records, () -> Map.of("p-locations", "locations"));
    assertEquals(
        List.of("0 locations/t=0 2500 5", "0 locations/t=1.5 1000 7"),
        lines(
            slices.of(
                "simple", 0, AT.plusMillis(2_500), offsets(null, "{\"p-locations\":{\"0\":14}}"))));
    assertEquals(
        List.of("1 locations/t=3 1250 2"),
        lines(
            slices.of(
                "simple",
                1,
                AT.plusMillis(4_250),
                offsets("{\"p-locations\":{\"0\":14}}", "{\"p-locations\":{\"0\":17}}"))));
    assertEquals(
        List.of(),
        lines(
            slices.of(
                "simple",
                2,
                AT.plusMillis(5_100),
                offsets("{\"p-locations\":{\"0\":17}}", "{\"p-locations\":{\"0\":17}}"))));
  }

  /**
   * stream-data records a slice just after publishing it: a batch that read it first waits for its
   * record, and comes out with a later batch's lines, under its own query's name; one whose record
   * never comes, after the patience with what is known.
   */
  @Test
  void aSliceRecordedAfterItsBatchWasReadComesOutOnceItsRecordIs() {
    List<SliceRecord> records = new ArrayList<>(List.of(record("locations", "t=0", 0, 5, 0L)));
    BatchSlices slices = new BatchSlices(() -> List.copyOf(records), Map::of);
    assertEquals(
        List.of(),
        named(slices.of("windowed", 0, AT.plusMillis(2_000), offsets(null, published(1)))));
    records.add(record("locations", "t=1.5", 1.5, 7, 1L));
    records.add(record("locations", "t=3", 3, 2, 2L));
    assertEquals(
        List.of(
            "windowed 0 locations/t=0 2000 5",
            "windowed 0 locations/t=1.5 500 7",
            "simple 5 locations/t=3 500 2"),
        named(slices.of("simple", 5, AT.plusMillis(3_500), offsets(published(1), published(2)))));
    // t=4.5 (publish-log batch 3) is never recorded; t=6 (batch 4) is
    records.add(record("locations", "t=6", 6, 3, 4L));
    Instant end = AT.plusMillis(7_000);
    assertEquals(
        List.of(), named(slices.of("simple", 6, end, offsets(published(2), published(4)))));
    Instant later = end.plus(BatchSlices.PATIENCE).plusMillis(1);
    assertEquals(
        List.of("simple 6 locations/t=6 1000 3"),
        named(slices.of("simple", 7, later, offsets(published(4), published(4)))));
    assertEquals(List.of(), named(slices.rest()));
  }

  /** As {@link #lines}, each with its query's name first. */
  static List<String> named(List<SliceLatency> lines) {
    return lines.stream().map(l -> l.query() + " " + lines(List.of(l)).get(0)).toList();
  }
}
