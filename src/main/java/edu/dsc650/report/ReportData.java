package edu.dsc650.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count_distinct;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.row_number;

import edu.dsc650.io.ReplayManifest;
import edu.dsc650.io.ResultsLayout;
import edu.dsc650.io.SliceRecord;
import edu.dsc650.io.Storage;
import edu.dsc650.query.JoinedQuery;
import edu.dsc650.query.SimpleQuery;
import edu.dsc650.query.Sources;
import edu.dsc650.query.Topics;
import edu.dsc650.query.WindowedQuery;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;

/**
 * Everything the report page shows, read from a results folder with Spark's batch reader (so each
 * file-sink log is honoured as Spark honours it) and cut down to what a page can hold: at most
 * {@link #TRACK_POINTS} fixes per ride track, the accelerometer magnitude as the largest value per
 * {@link #MAGNITUDE_BUCKET_S} s. The result is a tree of maps and lists, written into the page as
 * JSON.
 */
public final class ReportData {
  static final int TRACK_POINTS = 300;

  /**
   * The page stays readable and small at any scale or length of run: at most this many rides (the
   * first by uuid), and each ride's latest windows and samples only; the page says what it left
   * out.
   */
  static final int MAX_RIDES = 100;

  static final int MAX_POINTS_PER_RIDE = 2_000;
  static final double MAGNITUDE_BUCKET_S = 0.5;

  private final SparkSession spark;
  private final Storage storage;
  private final ResultsLayout layout;
  private final List<String> missing = new ArrayList<>();
  private final List<String> leftOut = new ArrayList<>();

  /** The rides the page shows (null: no ride is known, none is left out). */
  private List<String> shown;

  private final java.util.function.Consumer<String> progress;

  /**
   * @param progress told what was read, and how long it took (one line each)
   */
  public ReportData(
      SparkSession spark,
      Storage storage,
      ResultsLayout layout,
      java.util.function.Consumer<String> progress) {
    this.spark = spark;
    this.storage = storage;
    this.layout = layout;
    this.progress = progress;
  }

  public Map<String, Object> collect() throws IOException {
    Map<String, Object> page = new LinkedHashMap<>();
    page.put("results", layout.root().toString());
    page.put("generated", Instant.now().toString());
    Map<String, Object> headline = new LinkedHashMap<>();
    page.put("headline", headline);

    // read once: the replay chart, the rows per topic and each batch's slices all come from them
    boolean hasRecords = storage.exists(layout.sliceRecords());
    List<SliceRecord> records = new java.util.ArrayList<>();
    org.apache.hadoop.fs.Path older =
        SliceRecord.Writer.older(layout.sliceRecords()); // an endless run's earlier part
    if (hasRecords && storage.exists(older)) {
      records.addAll(SliceRecord.readAll(storage, older));
    }
    if (hasRecords) {
      records.addAll(SliceRecord.readAll(storage, layout.sliceRecords()));
    }
    if (!hasRecords) {
      missing.add("replay-slices.jsonl (each slice's publish lag)");
    }
    page.put("replay", timed("replay.json and the slice records", () -> replay(headline, records)));
    // read once: the rides, the three kinds of rows, the rates and the magnitudes all come from it
    Dataset<Row> joinOutput =
        read(layout.output(JoinedQuery.OUTPUT), "output/stream-joined (the join)");
    Dataset<Row> joinedRows = joinOutput == null ? null : joinOutput.cache();
    page.put(
        "input", timed("input (rides and tracks)", () -> input(headline, joinedRows, records)));
    page.put("windowed", timed("output/windowed", () -> windowed(headline)));
    page.put("joined", timed("output/stream-joined", () -> joined(headline, joinedRows)));
    List<String> own = ownQueryNames(); // listed once: their batches and their outputs
    page.put("queries", timed("progress and checkpoints (micro-batches)", () -> queries(own)));
    page.put("own", timed("the outputs of --sql queries", () -> ownQueries(own)));
    page.put("missing", missing);
    page.put("left_out", leftOut);
    return page;
  }

  private interface Part<T> {
    T read() throws IOException;
  }

  private <T> T timed(String what, Part<T> part) throws IOException {
    long start = System.nanoTime();
    T result = part.read();
    progress.accept(
        String.format(
            java.util.Locale.ROOT, "read %s in %.1f s", what, (System.nanoTime() - start) / 1e9));
    return result;
  }

  /**
   * A replay into Kafka: each Kafka topic's source topic (for the batches' slices); empty for
   * files.
   */
  private final Map<String, String> kafkaTopics = new LinkedHashMap<>();

  private Map<String, Object> replay(Map<String, Object> headline, List<SliceRecord> records)
      throws IOException {
    Map<String, Object> replay = new LinkedHashMap<>();
    ReplayManifest manifest =
        storage.exists(layout.replayManifest())
            ? ReplayManifest.read(storage, layout.replayManifest())
            : null;
    if (manifest == null) {
      missing.add("replay.json (the replay's summary)");
    } else {
      replay.put("manifest", manifest);
      if (manifest.kafka() != null) {
        manifest.kafka().topics().forEach((source, kafka) -> kafkaTopics.put(kafka, source));
      }
      if (manifest.lagMs() != null) {
        headline.put("lag_p50_ms", manifest.lagMs().p50());
        headline.put("lag_p99_ms", manifest.lagMs().p99());
      }
    }
    List<List<Object>> slices = new ArrayList<>();
    for (SliceRecord r : records) {
      if (manifest == null || r.runId().equals(manifest.runId())) {
        slices.add(
            List.of(
                r.topic(),
                r.t(),
                Instant.parse(r.published()).toEpochMilli(),
                r.lagMs() == null ? -1 : r.lagMs(),
                r.files(),
                r.rows()));
      }
    }
    replay.put("slices", slices); // [topic, t, published ms, lag ms (-1 at max speed), files, rows]
    return replay;
  }

  /**
   * Rows per topic, rides, and each ride's track, from what the replay published. The rows per
   * topic come from the slice records when there are some (reading thousands of small files only to
   * count them costs seconds); the rides are the uuids of the replayed locations and of the join's
   * rows. A replay into Kafka has no input: its locations are simple's copy of the stream, if it
   * ran.
   */
  private Map<String, Object> input(
      Map<String, Object> headline, Dataset<Row> joined, List<SliceRecord> records)
      throws IOException {
    Map<String, Object> input = new LinkedHashMap<>();
    Map<String, Long> rows = new TreeMap<>();
    Dataset<Row> locations = null;
    Dataset<Row> uuids = null;
    for (String topic : List.of(Topics.ACCELERATIONS, Topics.LOCATIONS)) {
      Path copy = new Path(layout.output(SimpleQuery.NAME), topic);
      boolean fromKafka = !kafkaTopics.isEmpty() && storage.isDirectory(copy);
      if (!storage.isDirectory(layout.input(topic)) && !fromKafka) {
        missing.add(
            (kafkaTopics.isEmpty() ? "input/" : "output/simple/")
                + topic
                + " (the replayed "
                + topic
                + ")");
        continue;
      }
      Dataset<Row> published =
          fromKafka
              ? spark.read().parquet(copy.toString())
              : Sources.published(spark, layout, topic);
      if (topic.equals(Topics.LOCATIONS)) {
        locations =
            published
                .select("uuid", "offset", "longitude", "latitude", "speed")
                .cache(); // counted, then the tracks
        uuids = locations.select("uuid");
      }
      if (!records.isEmpty()) {
        rows.put(
            topic,
            records.stream()
                .filter(r -> r.topic().equals(topic))
                .mapToLong(SliceRecord::rows)
                .sum());
      } else {
        rows.put(topic, topic.equals(Topics.LOCATIONS) ? locations.count() : published.count());
      }
    }
    headline.put("rows", rows);
    if (joined != null) {
      uuids = uuids == null ? joined.select("uuid") : uuids.union(joined.select("uuid"));
    }
    if (uuids != null) {
      chooseRides(headline, uuids);
    }
    input.put("tracks", locations == null ? Map.of() : tracks(locations));
    return input;
  }

  /** The rides the charts show: the first {@link #MAX_RIDES} by uuid. */
  private void chooseRides(Map<String, Object> headline, Dataset<Row> uuids) {
    long rides = uuids.distinct().count();
    headline.put("rides", rides);
    shown =
        uuids.distinct().orderBy("uuid").limit(MAX_RIDES).collectAsList().stream()
            .map(r -> r.getString(0))
            .toList();
    if (rides > MAX_RIDES) {
      leftOut.add(
          String.format(
              java.util.Locale.ROOT,
              "the charts per ride show %d of %,d rides (the first by uuid)",
              MAX_RIDES,
              rides));
    }
  }

  /** Each shown ride's track: uuid to [[longitude, latitude, speed m/s]], thinned out. */
  private Map<String, List<List<Object>>> tracks(Dataset<Row> locations) {
    Map<String, List<List<Object>>> tracks = new TreeMap<>();
    Dataset<Row> numbered =
        shownOnly(locations)
            .withColumn("n", row_number().over(Window.partitionBy("uuid").orderBy("offset")))
            .withColumn("of", expr("count(*) OVER (PARTITION BY uuid)"));
    // every k-th fix, k chosen per ride so that at most TRACK_POINTS remain
    for (Row r :
        numbered
            .where(expr("(n - 1) % ceil(of / " + TRACK_POINTS + ") = 0"))
            .orderBy("uuid", "offset")
            .select("uuid", "longitude", "latitude", "speed")
            .collectAsList()) {
      tracks
          .computeIfAbsent(r.getString(0), k -> new ArrayList<>())
          .add(List.of(r.getDouble(1), r.getDouble(2), r.getDouble(3)));
    }
    locations.unpersist();
    return tracks;
  }

  /** Mean speed per window and ride: the latest batch's value of each window (update mode). */
  private Map<String, Object> windowed(Map<String, Object> headline) {
    Map<String, Object> windowed = new LinkedHashMap<>();
    Dataset<Row> out =
        read(layout.output(WindowedQuery.NAME), "output/windowed (mean speed per window)");
    Map<String, List<List<Object>>> speed = new TreeMap<>();
    if (out != null) {
      Dataset<Row> latest =
          out.withColumn("latest", max("batch_id").over(Window.partitionBy("window_start", "uuid")))
              .where(col("batch_id").equalTo(col("latest")));
      headline.put("windows", latest.count());
      List<Row> rows =
          shownOnly(latest)
              .orderBy("uuid", "window_start")
              .selectExpr("uuid", "unix_millis(window_start)", "mean_speed", "fixes")
              .collectAsList();
      for (Row r : rows) {
        speed
            .computeIfAbsent(r.getString(0), k -> new ArrayList<>())
            .add(List.of(r.getLong(1), r.getDouble(2), r.getLong(3)));
      }
      speed.replaceAll((uuid, points) -> latestPoints(points, "windows"));
    }
    windowed.put("speed", speed); // uuid -> [[window start ms, mean speed m/s, fixes]]
    return windowed;
  }

  /**
   * The outer join's three kinds of rows, the match rate per ride, and each ride's accelerometer.
   */
  private Map<String, Object> joined(Map<String, Object> headline, Dataset<Row> out) {
    Map<String, Object> joined = new LinkedHashMap<>();
    if (out == null) {
      return joined;
    }
    Row kinds =
        out.selectExpr(
                "count_if(loc_timestamp IS NOT NULL AND acc_timestamp IS NOT NULL)",
                "count_if(acc_timestamp IS NULL)",
                "count_if(loc_timestamp IS NULL)")
            .first();
    joined.put("matched", kinds.getLong(0));
    joined.put("fixes_only", kinds.getLong(1));
    joined.put("samples_only", kinds.getLong(2));
    headline.put("matched", kinds.getLong(0));

    // share of each ride's fixes that have at least one sample in their window
    Map<String, Double> rate = new TreeMap<>();
    for (Row r :
        shownOnly(out)
            .where(col("loc_timestamp").isNotNull())
            .groupBy("uuid")
            .agg(
                count_distinct(col("loc_timestamp")).as("fixes"),
                expr("count(DISTINCT CASE WHEN acc_timestamp IS NOT NULL THEN loc_timestamp END)")
                    .as("matched"))
            .collectAsList()) {
      rate.put(r.getString(0), (double) r.getLong(2) / r.getLong(1));
    }
    joined.put("match_rate", rate);

    joined.put("rides", rides(out)); // uuid -> {samples: [[ms, max |a|]], fixes: [ms]}
    return joined;
  }

  /** Each shown ride's matched samples (the largest |a| per bucket) and its fixes. */
  private Map<String, Map<String, List<Object>>> rides(Dataset<Row> out) {
    Map<String, Map<String, List<Object>>> rides = new TreeMap<>();
    for (Row r :
        shownOnly(out)
            .where(col("loc_timestamp").isNotNull().and(col("acc_timestamp").isNotNull()))
            .dropDuplicates("uuid", "acc_timestamp")
            .groupBy(
                col("uuid"), expr("floor(acc_offset / " + MAGNITUDE_BUCKET_S + ")").as("bucket"))
            .agg(
                expr("min(unix_millis(acc_timestamp))").as("at"),
                expr("max(sqrt(x * x + y * y + z * z))").as("g"))
            .orderBy("uuid", "at")
            .collectAsList()) {
      rides
          .computeIfAbsent(r.getString(0), k -> newRide())
          .get("samples")
          .add(List.of(r.getLong(2), r.getDouble(3)));
    }
    for (Row r :
        shownOnly(out)
            .where(col("loc_timestamp").isNotNull())
            .selectExpr("uuid", "unix_millis(loc_timestamp)")
            .distinct()
            .orderBy("uuid", "unix_millis(loc_timestamp)")
            .collectAsList()) {
      rides.computeIfAbsent(r.getString(0), k -> newRide()).get("fixes").add(r.getLong(1));
    }
    rides
        .values()
        .forEach(
            ride -> ride.replaceAll((kind, points) -> latestPoints(points, "samples and fixes")));
    return rides;
  }

  /** The rows of the rides the page shows. */
  private Dataset<Row> shownOnly(Dataset<Row> rows) {
    return shown == null ? rows : rows.where(col("uuid").isin(shown.toArray()));
  }

  /**
   * A ride's latest {@link #MAX_POINTS_PER_RIDE} points (in time order); said once per kind if cut.
   */
  private <T> List<T> latestPoints(List<T> points, String what) {
    if (points.size() <= MAX_POINTS_PER_RIDE) {
      return points;
    }
    String note = "each ride's latest " + MAX_POINTS_PER_RIDE + " " + what + " only";
    if (!leftOut.contains(note)) {
      leftOut.add(note);
    }
    return new ArrayList<>(points.subList(points.size() - MAX_POINTS_PER_RIDE, points.size()));
  }

  private static Map<String, List<Object>> newRide() {
    Map<String, List<Object>> ride = new LinkedHashMap<>();
    ride.put("samples", new ArrayList<>());
    ride.put("fixes", new ArrayList<>());
    return ride;
  }

  /** Each streaming query's batches: [end ms, input rows, duration ms, latency ms or null]. */
  private Map<String, List<List<Object>>> queries(List<String> own) throws IOException {
    Map<String, List<List<Object>>> queries = new LinkedHashMap<>();
    List<String> names =
        new ArrayList<>(List.of(SimpleQuery.NAME, WindowedQuery.NAME, JoinedQuery.NAME));
    names.addAll(own); // run-query --sql: one streaming query named as its file
    for (String name : names) {
      List<List<Object>> points = new ArrayList<>();
      for (BatchHistory.Batch b : BatchHistory.read(storage, layout, name)) {
        List<Object> point = new ArrayList<>(List.of(b.endMillis(), b.inputRows(), b.durationMs()));
        point.add(b.latencyMs());
        points.add(point);
      }
      if (!points.isEmpty()) {
        queries.put(name, points);
      }
    }
    if (queries.isEmpty()) {
      missing.add("progress/ (the queries' micro-batches; run-query keeps them)");
    }
    return queries;
  }

  /** Rows of each --sql query's output shown on the page, at most. */
  static final int OWN_ROWS = 20;

  private static final java.util.Set<String> BUILT_IN =
      java.util.Set.of(SimpleQuery.NAME, WindowedQuery.NAME, JoinedQuery.NAME, JoinedQuery.OUTPUT);

  /**
   * The queries of run-query --sql that kept progress here: a folder in progress/ and in output/.
   */
  private List<String> ownQueryNames() throws IOException {
    List<String> names = new ArrayList<>();
    if (!storage.isDirectory(layout.progress())) {
      return names;
    }
    for (Storage.Entry e : storage.list(layout.progress())) {
      if (e.directory()
          && !BUILT_IN.contains(e.name())
          && storage.isDirectory(layout.output(e.name()))) {
        names.add(e.name());
      }
    }
    return names;
  }

  /**
   * Each --sql query's output: its columns, how many rows it holds, and its latest rows (of the
   * highest batch_id, for update and complete), at most {@link #OWN_ROWS}.
   */
  private Map<String, Object> ownQueries(List<String> names) throws IOException {
    Map<String, Object> own = new LinkedHashMap<>();
    for (String name : names) {
      Dataset<Row> rows = read(layout.output(name), "output/" + name + " (run-query --sql)");
      if (rows == null) {
        continue;
      }
      boolean batches = java.util.Arrays.asList(rows.columns()).contains("batch_id");
      Dataset<Row> latest =
          batches
              ? rows.where(
                  org.apache
                      .spark
                      .sql
                      .functions
                      .col("batch_id")
                      .equalTo(
                          rows.agg(org.apache.spark.sql.functions.max("batch_id")).first().get(0)))
              : rows;
      Map<String, Object> table = new LinkedHashMap<>();
      table.put("columns", List.of(latest.columns()));
      table.put("total", rows.count());
      table.put("latest_batch", batches);
      List<List<String>> shown = new ArrayList<>();
      for (Row r : latest.limit(OWN_ROWS).collectAsList()) {
        List<String> cells = new ArrayList<>();
        for (int i = 0; i < r.size(); i++) {
          cells.add(r.isNullAt(i) ? null : String.valueOf(r.get(i)));
        }
        shown.add(cells);
      }
      table.put("rows", shown);
      own.put(name, table);
    }
    return own;
  }

  /** The folder as Spark reads it, or null (and noted as missing when {@code what} is given). */
  private Dataset<Row> read(Path folder, String what) {
    try {
      if (storage.isDirectory(folder)) {
        Dataset<Row> rows = spark.read().parquet(folder.toString());
        if (!rows.isEmpty()) {
          return rows;
        }
      }
    } catch (Exception e) {
      // AnalysisException too (Scala: undeclared), e.g. a sink log that names no file yet: an
      // unreadable folder is reported as missing, with the reason
      if (what != null) {
        missing.add(what + ": " + e.getMessage().lines().findFirst().orElse(""));
      }
      return null;
    }
    if (what != null) {
      missing.add(what);
    }
    return null;
  }
}
