package edu.dsc650.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.streaming.MemoryStream;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import scala.Option;
import scala.collection.JavaConverters;

/**
 * The queries' transforms on hand-fed streams, the watermark stepped by the data (as Spark's own
 * StreamingOuterJoinSuite does): one behaviour per test, the expected rows worked out by hand, the
 * watermark stated at each step. The watermark a batch runs with is min over the inputs of (newest
 * event time - 30 s), taken from the batch before; the join's window is 1 s.
 */
class StreamingTransformsTest {
  private static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");
  private static SparkSession spark;
  private static int streams;

  @BeforeAll
  static void start() {
    spark = QueryOutputs.batchSession();
    // rows by the handful: one state store per stateful operator, and no code to generate per batch
    spark.conf().set("spark.sql.shuffle.partitions", "1");
    spark.conf().set("spark.sql.codegen.wholeStage", "false");
  }

  @AfterAll
  static void stop() {
    QueryOutputs.release(spark);
  }

  private static Timestamp t(double seconds) {
    return Timestamp.from(T0.plusMillis(Math.round(seconds * 1000)));
  }

  private static MemoryStream<Row> stream(StructType schema) {
    return new MemoryStream<>(++streams, spark.sqlContext(), Option.empty(), Encoders.row(schema));
  }

  private static void add(MemoryStream<Row> stream, Row... rows) {
    stream.addData(JavaConverters.asScalaBuffer(new ArrayList<>(Arrays.asList(rows))).toSeq());
  }

  /** A GPS fix of ride {@code uuid} at S + {@code seconds}. */
  private static Row fix(String uuid, double seconds, double speed) {
    return RowFactory.create(
        "f-" + uuid + "-" + seconds,
        "r-" + uuid,
        uuid,
        t(seconds),
        seconds,
        90.0,
        40.0,
        -74.0,
        "dr5r",
        speed,
        5.0,
        false,
        "x.mov");
  }

  private static Row sample(String uuid, double seconds) {
    return RowFactory.create(
        "s-" + uuid + "-" + seconds,
        "r-" + uuid,
        uuid,
        t(seconds),
        seconds,
        0.1,
        0.2,
        9.8,
        false,
        "x.mov");
  }

  private static Row marker(StructType schema) {
    return EndOfStream.markerRow(schema);
  }

  /**
   * The join's output so far: M|uuid|fix s|sample s, L|uuid|fix s (no samples), A|uuid|sample s (no
   * fix).
   */
  private static Set<String> joined(String table) {
    Set<String> out = new TreeSet<>();
    for (Row r : spark.table(table).collectAsList()) {
      Timestamp loc = r.getAs("loc_timestamp");
      Timestamp acc = r.getAs("acc_timestamp");
      String uuid = r.getAs("uuid");
      out.add(
          loc != null && acc != null
              ? "M|" + uuid + "|" + s(loc) + "|" + s(acc)
              : loc != null ? "L|" + uuid + "|" + s(loc) : "A|" + uuid + "|" + s(acc));
    }
    return out;
  }

  private static String s(Timestamp ts) {
    return Double.toString(Duration.between(T0, ts.toInstant()).toMillis() / 1000.0);
  }

  @Test
  void joinEmitsNullExtendedRowsOnlyOnceTheWatermarkPassesThemAndAllAtTheEndOfStream()
      throws Exception {
    MemoryStream<Row> fixes = stream(Topics.LOCATIONS_SCHEMA);
    MemoryStream<Row> samples = stream(Topics.ACCELERATIONS_SCHEMA);
    StreamingQuery q =
        JoinedQuery.join(fixes.toDF(), samples.toDF(), Duration.ofSeconds(1), JoinedQuery.WATERMARK)
            .writeStream()
            .format("memory")
            .queryName("joined_steps")
            .outputMode("append")
            .start();
    try {
      // a@10 gets a sample; b@10 gets none; c's sample at 12 has no fix
      add(fixes, fix("a", 10, 3), fix("b", 10, 3));
      add(samples, sample("a", 10.5), sample("c", 12));
      q.processAllAvailable();
      assertEquals(
          Set.of("M|a|10.0|10.5"), joined("joined_steps"), "matched pairs at once; wm = -18");

      add(fixes, fix("a", 40, 3));
      add(samples, sample("a", 40.2));
      q.processAllAvailable();
      // wm = min(40, 40.2) - 30 = 10: b@10 can still get a sample until 11, so it is not out
      assertEquals(
          Set.of("M|a|10.0|10.5", "M|a|40.0|40.2"),
          joined("joined_steps"),
          "wm = 10: nothing null-extended");

      add(fixes, fix("a", 45, 3), fix("d", 44, 3));
      add(samples, sample("a", 45.1));
      q.processAllAvailable();
      // wm = 15: b@10 (window to 11) and c@12 are out; d@44 is not
      assertEquals(
          Set.of("M|a|10.0|10.5", "M|a|40.0|40.2", "M|a|45.0|45.1", "L|b|10.0", "A|c|12.0"),
          joined("joined_steps"),
          "wm = 15");

      // end of stream: a marker in each input moves the watermark past everything
      add(fixes, marker(Topics.LOCATIONS_SCHEMA));
      add(samples, marker(Topics.ACCELERATIONS_SCHEMA));
      q.processAllAvailable();
      assertEquals(
          Set.of(
              "M|a|10.0|10.5",
              "M|a|40.0|40.2",
              "M|a|45.0|45.1",
              "L|b|10.0",
              "A|c|12.0",
              "L|d|44.0"),
          joined("joined_steps"),
          "after the markers: d@44 is out too, and no marker row");
    } finally {
      q.stop();
    }
  }

  @Test
  void aShorterJoinWatermarkEmitsUnmatchedRowsSoonerAndDropsRowsLaterThanIt() throws Exception {
    MemoryStream<Row> fixes = stream(Topics.LOCATIONS_SCHEMA);
    MemoryStream<Row> samples = stream(Topics.ACCELERATIONS_SCHEMA);
    StreamingQuery q =
        JoinedQuery.join(fixes.toDF(), samples.toDF(), Duration.ofSeconds(1), "5 seconds")
            .writeStream()
            .format("memory")
            .queryName("joined_short_watermark")
            .outputMode("append")
            .start();
    try {
      add(fixes, fix("a", 10, 3), fix("b", 10, 3));
      add(samples, sample("a", 10.5));
      q.processAllAvailable();
      add(fixes, fix("a", 20, 3));
      add(samples, sample("a", 20.2));
      q.processAllAvailable();
      // wm = min(20, 20.2) - 5 = 15: b@10 (window to 11) is out, where 30 s would keep it to 41
      assertEquals(
          Set.of("M|a|10.0|10.5", "M|a|20.0|20.2", "L|b|10.0"),
          joined("joined_short_watermark"),
          "wm = 15");
      // a sample for a@10 arriving now is behind the watermark: dropped, not paired, not output
      add(fixes, fix("a", 21, 3));
      add(samples, sample("a", 10.7), sample("a", 21.3));
      q.processAllAvailable();
      assertEquals(
          Set.of("M|a|10.0|10.5", "M|a|20.0|20.2", "L|b|10.0", "M|a|21.0|21.3"),
          joined("joined_short_watermark"),
          "the late sample is dropped");
    } finally {
      q.stop();
    }
  }

  /**
   * Runs the join over hand-fed fixes and samples; each step adds rows to both, then processes
   * them.
   */
  private static final class JoinSteps implements AutoCloseable {
    final MemoryStream<Row> fixes = stream(Topics.LOCATIONS_SCHEMA);
    final MemoryStream<Row> samples = stream(Topics.ACCELERATIONS_SCHEMA);
    final String table = "joined_" + streams;
    final StreamingQuery q;

    JoinSteps() throws java.util.concurrent.TimeoutException {
      q =
          JoinedQuery.join(
                  fixes.toDF(), samples.toDF(), Duration.ofSeconds(1), JoinedQuery.WATERMARK)
              .writeStream()
              .format("memory")
              .queryName(table)
              .outputMode("append")
              .start();
    }

    Set<String> step(List<Row> newFixes, List<Row> newSamples) {
      add(fixes, newFixes.toArray(Row[]::new));
      add(samples, newSamples.toArray(Row[]::new));
      q.processAllAvailable();
      return joined(table);
    }

    /** The end of stream: a marker in each input moves the watermark past everything. */
    Set<String> end() {
      return step(
          List.of(marker(Topics.LOCATIONS_SCHEMA)), List.of(marker(Topics.ACCELERATIONS_SCHEMA)));
    }

    @Override
    public void close() throws Exception {
      q.stop();
    }
  }

  @Test
  void aSampleExactlyOneWindowAfterAFixIsNotItsSample() throws Exception {
    try (JoinSteps join = new JoinSteps()) {
      // the window is [fix, fix + 1 s): 11.0 is past the fix at 10.0
      assertEquals(
          Set.of(),
          join.step(List.of(fix("a", 10, 3)), List.of(sample("a", 11.0))),
          "wm -20: no match");
      assertEquals(
          Set.of("L|a|10.0", "A|a|11.0"), join.end(), "after the markers: both null-extended");
    }
  }

  @Test
  void aSampleWithinTheWindowsOfTwoFixesGoesWithBoth() throws Exception {
    try (JoinSteps join = new JoinSteps()) {
      // fixes 0.6 s apart: 20.8 is within [20.0, 21.0) and [20.6, 21.6); 20.3 only within the first
      Set<String> out =
          join.step(
              List.of(fix("a", 20.0, 3), fix("a", 20.6, 3)),
              List.of(sample("a", 20.3), sample("a", 20.8)));
      assertEquals(
          Set.of("M|a|20.0|20.3", "M|a|20.0|20.8", "M|a|20.6|20.8"),
          out,
          "matched at once, wm -10");
      assertEquals(out, join.end(), "nothing null-extended: every row found a match");
    }
  }

  @Test
  void aSampleOfAnotherRideIsNeverJoined() throws Exception {
    try (JoinSteps join = new JoinSteps()) {
      assertEquals(
          Set.of(),
          join.step(List.of(fix("a", 5, 3)), List.of(sample("b", 5.5))),
          "the key is the ride");
      assertEquals(Set.of("L|a|5.0", "A|b|5.5"), join.end());
    }
  }

  @Test
  void rowsBehindTheWatermarkAreDroppedFromBothSides() throws Exception {
    try (JoinSteps join = new JoinSteps()) {
      join.step(
          List.of(fix("a", 50, 3)), List.of(sample("a", 50.1))); // the next batch runs with wm 20
      Set<String> out = join.step(List.of(fix("b", 5, 3)), List.of(sample("b", 5.5)));
      assertEquals(
          Set.of("M|a|50.0|50.1"), out, "b's fix and sample at 5 s are 15 s behind wm 20: dropped");
      assertEquals(
          Set.of("M|a|50.0|50.1"), join.end(), "and never come out, not even null-extended");
    }
  }

  @Test
  void noMarkerRowReachesTheJoinsOutput() throws Exception {
    try (JoinSteps join = new JoinSteps()) {
      assertEquals(Set.of(), join.end(), "markers alone: no row at all");
      assertEquals(
          0,
          spark
              .table(join.table)
              .where("uuid IS NULL OR year(coalesce(loc_timestamp, acc_timestamp)) " + ">= 9000")
              .count());
    }
  }

  @Test
  void aFixExactlyAtAWindowBoundaryStartsTheNextWindow() throws Exception {
    MemoryStream<Row> fixes = stream(Topics.LOCATIONS_SCHEMA);
    String table = "windows_boundary_" + streams;
    StreamingQuery q =
        WindowedQuery.meanSpeed(fixes.toDF())
            .writeStream()
            .format("memory")
            .queryName(table)
            .outputMode("update")
            .start();
    try {
      // tumbling 15 s windows from the epoch: [0, 15) and [15, 30) of T0 (T0 is on a whole minute)
      add(fixes, fix("a", 14.999, 2), fix("a", 15.0, 4));
      q.processAllAvailable();
      assertEquals(
          List.of("a|0.0|2.0|1", "a|15.0|4.0|1"), windowRows(table), "15.0 belongs to [15, 30)");
    } finally {
      q.stop();
    }
  }

  @Test
  void aRerunBatchReplacesItsPartitionInsteadOfAddingToIt(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
    org.apache.hadoop.fs.Path out = new org.apache.hadoop.fs.Path(tmp.resolve("windowed").toUri());
    StructType schema = new StructType().add("uuid", "string").add("fixes", "long");
    // a restart re-runs batch 3: Spark hands the sink the same batch id again
    WindowedQuery.writeBatch(
        spark.createDataFrame(List.of(RowFactory.create("a", 1L)), schema), 3, out);
    WindowedQuery.writeBatch(
        spark.createDataFrame(List.of(RowFactory.create("a", 2L)), schema), 3, out);
    List<Row> rows = spark.read().parquet(out.toString()).collectAsList();
    assertEquals(List.of(RowFactory.create("a", 2L, 3)), rows, "the second attempt's rows only");
  }

  @Test
  void meanSpeedUpdatesWindowsAndDropsFixesBehindTheWatermark() throws Exception {
    MemoryStream<Row> fixes = stream(Topics.LOCATIONS_SCHEMA);
    Dataset<Row> windows = WindowedQuery.meanSpeed(fixes.toDF());
    StreamingQuery q =
        windows
            .writeStream()
            .format("memory")
            .queryName("windows_steps")
            .outputMode("update")
            .start();
    try {
      add(fixes, fix("a", 1, 2), fix("a", 2, 4), fix("a", 3, -1)); // -1: no valid speed
      q.processAllAvailable();
      assertEquals(
          List.of("a|0.0|3.0|2"), windowRows("windows_steps"), "window [0, 15): mean of 2 and 4");

      add(fixes, fix("a", 50, 10));
      q.processAllAvailable(); // wm = 20
      add(fixes, fix("a", 4, 100), fix("a", 51, 20)); // the fix at 4 s is behind the watermark
      q.processAllAvailable();
      assertEquals(
          List.of("a|0.0|3.0|2", "a|45.0|10.0|1", "a|45.0|15.0|2"),
          windowRows("windows_steps"),
          "late fix dropped; window [45, 60) updated");
    } finally {
      q.stop();
    }
  }

  private static List<String> windowRows(String table) {
    List<String> rows = new ArrayList<>();
    for (Row r : spark.table(table).collectAsList()) {
      rows.add(
          r.getAs("uuid")
              + "|"
              + s(r.getAs("window_start"))
              + "|"
              + r.getAs("mean_speed")
              + "|"
              + r.getAs("fixes"));
    }
    rows.sort(null);
    return rows;
  }
}
