package edu.dsc650.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import edu.dsc650.io.NioLocalFileSystem;
import edu.dsc650.query.spark.LocalCheckpointFiles;
import edu.dsc650.testing.Replayed;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reads the queries' outputs back in batch mode (the file sink's outputs through their {@code
 * _spark_metadata} log, as any Spark reader would) and checks them against {@link ExpectedAnswers}.
 */
public final class QueryOutputs {
  private QueryOutputs() {}

  static long micros(Object timestamp) {
    Instant i = ((Timestamp) timestamp).toInstant();
    return i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
  }

  private static SparkSession shared;
  private static int holders;

  /**
   * A local session to read outputs with, shared by whoever holds it at the moment: the integration
   * suites that run side by side (KafkaIT and ClusterIT, pom.xml) read in one JVM, and stopping a
   * session stops it for everyone in it. Give it back with {@link #release}; the last holder stops
   * it, so that an in-process command can then make its own.
   */
  public static synchronized SparkSession batchSession() {
    if (holders++ == 0) {
      shared =
          SparkSession.builder()
              .master("local[2]")
              .appName("test-reader")
              .config("spark.sql.shuffle.partitions", "2")
              .config("spark.ui.enabled", "false")
              .config("spark.sql.session.timeZone", "UTC")
              // as run-query's sessions: Hadoop's local file system starts a process for each
              // file status of a rename and each permission it sets (the tests' own streams write
              // checkpoints; reading is the same either way)
              .config(LocalCheckpointFiles.SETTING, LocalCheckpointFiles.class.getName())
              .config(
                  "spark.hadoop." + NioLocalFileSystem.SETTING, NioLocalFileSystem.class.getName())
              .getOrCreate();
    }
    return shared;
  }

  /** Gives back a session of {@link #batchSession}; the last holder stops it. */
  public static synchronized void release(SparkSession spark) {
    if (spark != shared || holders == 0) {
      throw new IllegalStateException("not a session of batchSession() held now");
    }
    if (--holders == 0) {
      shared.stop();
      shared = null;
    }
  }

  /**
   * Checks every output under {@code results} against answers computed from {@code source}, after a
   * run that drained the queries (--until-replay-complete): each output is the whole answer, the
   * join's null-extended rows included.
   */
  public static void checkAll(Path source, Path results) throws IOException {
    SparkSession spark = batchSession();
    try {
      checkAll(spark, source, results);
    } finally {
      release(spark);
    }
  }

  /**
   * As {@link #checkAll(Path, Path)} for the named queries only (of simple, windowed, joined): the
   * run ran those.
   */
  public static void checkDrained(Path source, Path results, List<String> queries)
      throws IOException {
    SparkSession spark = batchSession();
    try {
      ExpectedAnswers expected = expectedFor(source, results);
      if (queries.contains("simple")) {
        checkSimple(spark, results, expected);
      }
      if (queries.contains("windowed")) {
        checkWindowed(spark, results, expected);
      }
      if (queries.contains("joined")) {
        checkJoined(spark, results, expected, true);
      }
    } finally {
      release(spark);
    }
  }

  /** As {@link #checkAll(Path, Path)}, in a session the caller keeps. */
  public static void checkAll(SparkSession spark, Path source, Path results) throws IOException {
    check(spark, source, results, true);
  }

  /**
   * As {@link #checkAll(Path, Path)} after a run that was not drained (available-now): the join's
   * null-extended rows need only be out once the final watermark has passed them.
   */
  public static void checkAllUpToWatermark(Path source, Path results) throws IOException {
    SparkSession spark = batchSession();
    try {
      check(spark, source, results, false);
    } finally {
      release(spark);
    }
  }

  private static void check(SparkSession spark, Path source, Path results, boolean drained)
      throws IOException {
    ExpectedAnswers expected = expectedFor(source, results);
    checkSimple(spark, results, expected);
    checkWindowed(spark, results, expected);
    checkJoined(spark, results, expected, drained);
  }

  /**
   * The answers for the replay in {@code results}: from the source, its start, and its laps as
   * replay.json says them; for copies of the rides, from what the replay published.
   */
  public static ExpectedAnswers expectedFor(Path source, Path results) throws IOException {
    var manifest = Replayed.manifest(results);
    if (manifest.scale() > 1) {
      return ExpectedAnswers.ofPublished(results.resolve("input"));
    }
    Map<String, Long> paused = Replayed.pausedMicros(results);
    return new ExpectedAnswers(
        source,
        Replayed.startMicros(results),
        Math.max(1, manifest.laps()),
        Math.round(manifest.lapSeconds() * 1e6),
        (topic, t) -> paused.getOrDefault(topic + "|" + t, 0L));
  }

  /**
   * What a killed run may leave, as Spark reads it: a part of the final answer. Every row is
   * expected and none is there twice; no windowed batch is there twice. Returns the rows found.
   */
  public static long checkNothingDuplicated(SparkSession spark, Path source, Path results)
      throws IOException {
    ExpectedAnswers expected = expectedFor(source, results);
    long found = 0;
    for (String topic : List.of(Topics.ACCELERATIONS, Topics.LOCATIONS)) {
      Path out = results.resolve("output/simple").resolve(topic);
      if (!Files.exists(out.resolve("_spark_metadata"))) {
        continue; // no batch committed yet: Spark would list the folder, the contract starts at the
        // log
      }
      Map<String, Long> actual = simpleRows(spark, out, topic);
      assertSubMultiset(expected.simple(topic), actual, "simple/" + topic);
      found += actual.values().stream().mapToLong(Long::longValue).sum();
    }
    Path windowed = results.resolve("output/windowed");
    if (windowedBatches(windowed) > 0) {
      Map<String, Long> perBatch = new TreeMap<>();
      Map<String, ExpectedAnswers.Window> want = expected.windows();
      for (Row r : spark.read().parquet(windowed.toString()).collectAsList()) {
        String k = micros(r.getAs("window_start")) + "|" + r.getAs("uuid");
        perBatch.merge(r.getAs("batch_id") + "|" + k, 1L, Long::sum);
        assertTrue(want.containsKey(k), "windowed: unexpected window " + k);
        assertTrue(
            (Long) r.getAs("fixes") <= want.get(k).fixes(),
            "windowed: more fixes than exist in " + k);
        found++;
      }
      perBatch.forEach(
          (k, n) ->
              assertEquals(1L, n, "windowed: batch|window|ride " + k + " written more than once"));
    }
    Path joined = results.resolve("output/stream-joined");
    if (hasCommittedFiles(joined)) {
      Map<String, Long> matched = new TreeMap<>();
      Map<String, Long> unmatched = new TreeMap<>();
      readJoined(spark, joined, matched, unmatched);
      assertSubMultiset(expected.matchedPairs(), matched, "joined: matched pairs");
      assertSubMultiset(expected.unmatched(), unmatched, "joined: null-extended rows");
      found += matched.values().stream().mapToLong(Long::longValue).sum();
      found += unmatched.values().stream().mapToLong(Long::longValue).sum();
    }
    return found;
  }

  /** The rows of a simple output as multiset keys, like {@link ExpectedAnswers#simple}'s. */
  static Map<String, Long> simpleRows(SparkSession spark, Path out, String topic) {
    Map<String, Long> rows = new TreeMap<>();
    for (Row r :
        spark.read().schema(Topics.schema(topic)).parquet(out.toString()).collectAsList()) {
      Map<String, Object> row = new HashMap<>();
      for (String field : Topics.schema(topic).fieldNames()) {
        Object v = r.get(r.fieldIndex(field));
        row.put(field, v instanceof Timestamp ? (Object) micros(v) : v);
      }
      rows.merge(ExpectedAnswers.key(row, Topics.schema(topic)), 1L, Long::sum);
    }
    return rows;
  }

  /**
   * The number of batch_id=<n> partitions in windowed's output folder; 0 if it does not exist yet.
   */
  public static long windowedBatches(Path windowed) throws IOException {
    if (!Files.isDirectory(windowed)) {
      return 0;
    }
    try (Stream<Path> s = Files.list(windowed)) {
      return s.filter(p -> p.getFileName().toString().startsWith("batch_id=")).count();
    }
  }

  /** Whether a file sink's folder has its log and a data file in it. */
  public static boolean hasCommittedFiles(Path dir) throws IOException {
    if (!Files.exists(dir.resolve("_spark_metadata"))) {
      return false;
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.anyMatch(p -> p.getFileName().toString().endsWith(".parquet"));
    }
  }

  public static void assertSubMultiset(
      Map<String, Long> expected, Map<String, Long> actual, String what) {
    for (Map.Entry<String, Long> e : actual.entrySet()) {
      Long want = expected.get(e.getKey());
      assertTrue(want != null, what + ": unexpected row " + e.getKey());
      assertTrue(
          e.getValue() <= want,
          what + ": " + e.getValue() + " x " + e.getKey() + ", expected " + want);
    }
  }

  static void checkSimple(SparkSession spark, Path results, ExpectedAnswers expected) {
    for (String topic : List.of(Topics.ACCELERATIONS, Topics.LOCATIONS)) {
      Map<String, Long> actual =
          simpleRows(spark, results.resolve("output/simple").resolve(topic), topic);
      assertMultisetEquals(expected.simple(topic), actual, "simple/" + topic);
    }
  }

  static void checkWindowed(SparkSession spark, Path results, ExpectedAnswers expected) {
    List<Row> latest =
        WindowedQuery.latest(
                spark, new org.apache.hadoop.fs.Path(results.resolve("output/windowed").toUri()))
            .collectAsList();
    Map<String, ExpectedAnswers.Window> want = expected.windows();
    Map<String, Row> got = new TreeMap<>();
    for (Row r : latest) {
      String k = micros(r.getAs("window_start")) + "|" + r.getAs("uuid");
      if (got.put(k, r) != null) {
        fail("two latest rows for window " + k);
      }
    }
    assertEquals(want.keySet(), got.keySet(), "windowed: the (window, ride) keys");
    for (Map.Entry<String, ExpectedAnswers.Window> e : want.entrySet()) {
      Row r = got.get(e.getKey());
      ExpectedAnswers.Window w = e.getValue();
      assertEquals(
          w.meanSpeed(), (Double) r.getAs("mean_speed"), 1e-9, "mean_speed of " + e.getKey());
      assertEquals(w.fixes(), (Long) r.getAs("fixes"), "fixes of " + e.getKey());
      assertEquals(w.rideId(), r.getAs("ride_id"), "ride_id of " + e.getKey());
      assertEquals(
          w.startMicros() + ExpectedAnswers.WINDOW_MICROS,
          micros(r.getAs("window_end")),
          e.getKey());
    }
  }

  static void checkJoined(
      SparkSession spark, Path results, ExpectedAnswers expected, boolean drained)
      throws IOException {
    Map<String, Long> matched = new TreeMap<>();
    Map<String, Long> unmatched = new TreeMap<>();
    readJoined(spark, results.resolve("output/stream-joined"), matched, unmatched);
    assertMultisetEquals(expected.matchedPairs(), matched, "joined: matched pairs");

    Map<String, Long> want = expected.unmatched();
    if (drained) {
      assertMultisetEquals(
          want, unmatched, "joined: null-extended rows (all of them, after the drain)");
      System.out.printf(
          "joined: %d matched, all %d null-extended rows out%n", matched.size(), unmatched.size());
      return;
    }
    for (Map.Entry<String, Long> e : unmatched.entrySet()) {
      assertEquals(
          want.get(e.getKey()),
          e.getValue(),
          "joined: null-extended row " + e.getKey() + " is expected exactly once");
    }
    long watermark = finalWatermarkMicros(results.resolve("checkpoints/joined"));
    long due = 0;
    for (String k : want.keySet()) {
      long ts = Long.parseLong(k.substring(k.lastIndexOf('|') + 1));
      if (ts < watermark - ExpectedAnswers.JOIN_MICROS) {
        due++;
        assertTrue(
            unmatched.containsKey(k),
            "joined: "
                + k
                + " is older than the watermark minus the join bound,"
                + " so its null-extended row must be out");
      }
    }
    System.out.printf(
        "joined: %d matched, %d null-extended out of %d expected (%d due by watermark %s)%n",
        matched.size(),
        unmatched.size(),
        want.size(),
        due,
        Instant.EPOCH.plus(watermark, ChronoUnit.MICROS));
  }

  /**
   * Two runs over the same input wrote the same outputs: the same rows (all columns) for simple and
   * joined, the same latest windows (means to 1e-9: the order of the additions may differ).
   */
  public static void assertSameOutputs(SparkSession spark, Path a, Path b) {
    for (String output :
        List.of("simple/" + Topics.ACCELERATIONS, "simple/" + Topics.LOCATIONS, "stream-joined")) {
      assertMultisetEquals(
          allRows(spark, a.resolve("output").resolve(output)),
          allRows(spark, b.resolve("output").resolve(output)),
          output + " of " + b + " vs " + a);
    }
    Map<String, Row> left = latestWindows(spark, a);
    Map<String, Row> right = latestWindows(spark, b);
    assertEquals(left.keySet(), right.keySet(), "windowed: the (window, ride) keys");
    for (String k : left.keySet()) {
      assertEquals(
          (Double) left.get(k).getAs("mean_speed"),
          (Double) right.get(k).getAs("mean_speed"),
          1e-9,
          k);
      assertEquals((Long) left.get(k).getAs("fixes"), (Long) right.get(k).getAs("fixes"), k);
    }
    System.out.printf("same outputs in %s and %s (%d latest windows)%n", a, b, left.size());
  }

  private static Map<String, Long> allRows(SparkSession spark, Path dir) {
    Map<String, Long> rows = new TreeMap<>();
    for (Row r : spark.read().parquet(dir.toString()).collectAsList()) {
      rows.merge(r.toString(), 1L, Long::sum);
    }
    return rows;
  }

  private static Map<String, Row> latestWindows(SparkSession spark, Path results) {
    Map<String, Row> windows = new TreeMap<>();
    for (Row r :
        WindowedQuery.latest(
                spark, new org.apache.hadoop.fs.Path(results.resolve("output/windowed").toUri()))
            .collectAsList()) {
      windows.put(micros(r.getAs("window_start")) + "|" + r.getAs("uuid"), r);
    }
    return windows;
  }

  /**
   * Joined rows as multisets: matched pairs (uuid|loc|acc) and null-extended rows (L|.. or A|..).
   */
  public static void readJoined(
      SparkSession spark, Path joined, Map<String, Long> matched, Map<String, Long> unmatched) {
    // the schema given: the sink's log may name no file yet (committed batches without rows), and
    // Spark cannot infer a schema from no file
    for (Row r :
        spark.read().schema(joinedSchema(spark)).parquet(joined.toString()).collectAsList()) {
      Object loc = r.getAs("loc_timestamp");
      Object acc = r.getAs("acc_timestamp");
      String uuid = r.getAs("uuid");
      if (loc != null && acc != null) {
        matched.merge(uuid + "|" + micros(loc) + "|" + micros(acc), 1L, Long::sum);
      } else if (loc != null) {
        unmatched.merge("L|" + uuid + "|" + micros(loc), 1L, Long::sum);
      } else {
        unmatched.merge("A|" + uuid + "|" + micros(acc), 1L, Long::sum);
      }
    }
  }

  /** The columns of joined's output, as the query defines them. */
  private static org.apache.spark.sql.types.StructType joinedSchema(SparkSession spark) {
    return JoinedQuery.join(
            spark.createDataFrame(List.of(), Topics.LOCATIONS_SCHEMA),
            spark.createDataFrame(List.of(), Topics.ACCELERATIONS_SCHEMA),
            java.time.Duration.ofSeconds(1),
            JoinedQuery.WATERMARK)
        .schema();
  }

  /**
   * The highest batch id in a checkpoint's offsets/ or commits/ log; -1 if none (or no log yet).
   */
  public static long lastBatch(Path log) throws IOException {
    if (!Files.isDirectory(log)) {
      return -1;
    }
    try (Stream<Path> files = Files.list(log)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.matches("\\d+"))
          .mapToLong(Long::parseLong)
          .max()
          .orElse(-1);
    }
  }

  /** The watermark of the last committed batch, from the checkpoint's offset log. */
  static long finalWatermarkMicros(Path checkpoint) throws IOException {
    long last = lastBatch(checkpoint.resolve("commits"));
    if (last < 0) {
      return 0;
    }
    Matcher m =
        Pattern.compile("\"batchWatermarkMs\":(\\d+)")
            .matcher(Files.readString(checkpoint.resolve("offsets").resolve(Long.toString(last))));
    assertTrue(m.find());
    return Long.parseLong(m.group(1)) * 1000;
  }

  static void assertMultisetEquals(
      Map<String, Long> expected, Map<String, Long> actual, String what) {
    if (expected.equals(actual)) {
      return;
    }
    StringBuilder diff = new StringBuilder();
    int shown = 0;
    for (String k : expected.keySet()) {
      if (!expected.get(k).equals(actual.get(k)) && shown++ < 5) {
        diff.append("\n expected ")
            .append(expected.get(k))
            .append(" x ")
            .append(k)
            .append(", got ")
            .append(actual.get(k));
      }
    }
    for (String k : actual.keySet()) {
      if (!expected.containsKey(k) && shown++ < 10) {
        diff.append("\n unexpected ").append(actual.get(k)).append(" x ").append(k);
      }
    }
    fail(
        what
            + ": "
            + expected.values().stream().mapToLong(Long::longValue).sum()
            + " rows expected, "
            + actual.values().stream().mapToLong(Long::longValue).sum()
            + " found"
            + diff);
  }
}
