package edu.dsc650.query;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;

import edu.dsc650.io.ResultsLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;

/**
 * (c) joined: full outer stream-stream join of locations and accelerations on the ride: each GPS
 * fix with the accelerometer samples its ride recorded within the join window after it ({@code
 * loc.ts <= acc.ts < loc.ts + window}, a band join). A sample within the windows of two fixes less
 * than a window apart goes with both; one exactly at {@code loc.ts + window} does not go with that
 * fix (StreamingTransformsTest works such cases out by hand). Both sides have a 30 s watermark and
 * the join has an event-time bound, so Spark can drop state; matched pairs come out as soon as both
 * sides are in, null-extended rows once the watermark passes them.
 */
public final class JoinedQuery implements StreamingQueryDef {
  public static final String NAME = "joined";
  public static final String OUTPUT = "stream-joined";
  public static final String WATERMARK = "30 seconds";

  private final Duration joinWindow;
  private final String watermark;
  private final WithoutNoDataBatches session = new WithoutNoDataBatches();

  /**
   * @param joinWindow how long after a fix its samples still belong to it
   */
  public JoinedQuery(Duration joinWindow) {
    this(joinWindow, WATERMARK);
  }

  /**
   * @param joinWindow how long after a fix its samples still belong to it
   * @param watermark the watermark delay on both sides ({@value #WATERMARK}, the assignment's, by
   *     default): how long the join keeps rows for late partners, and how late a row may be
   */
  public JoinedQuery(Duration joinWindow, String watermark) {
    this.joinWindow = joinWindow;
    this.watermark = watermark;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<String> topics() {
    return List.of(Topics.LOCATIONS, Topics.ACCELERATIONS);
  }

  @Override
  public List<Path> ownedPaths(ResultsLayout layout) {
    return List.of(
        layout.output(OUTPUT),
        layout.checkpoint(NAME),
        new Path(layout.control(), NAME),
        layout.progress(NAME));
  }

  @Override
  public List<String> drainedTopics() {
    return topics();
  }

  /**
   * The join of two streams of topic rows, with a watermark delay of {@code watermark} on both
   * sides. End-of-stream markers ({@link EndOfStream}) in either input move its watermark and are
   * dropped right after it.
   */
  public static Dataset<Row> join(
      Dataset<Row> locations, Dataset<Row> accelerations, Duration joinWindow, String watermark) {
    // a number of microseconds, not option text, goes into the expressions
    String interval =
        "interval " + TimeUnit.NANOSECONDS.toMicros(joinWindow.toNanos()) + " microseconds";
    Dataset<Row> fixes = fixes(locations, watermark, interval);
    Dataset<Row> samples = samples(accelerations, watermark);
    return fixes
        .join(
            samples,
            expr(
                "acc_uuid = loc_uuid"
                    + " AND acc_timestamp >= loc_timestamp"
                    + " AND acc_timestamp < loc_until"
                    // The same bound again, in the form Spark reads to drop old fixes from the
                    // join state; it is evaluated only for the pairs the cheap tests above let
                    // through.
                    + " AND acc_timestamp < loc_timestamp + "
                    + interval),
            "full_outer")
        .select(
            coalesce(col("loc_uuid"), col("acc_uuid")).as("uuid"),
            coalesce(col("loc_ride_id"), col("acc_ride_id")).as("ride_id"),
            col("loc_timestamp"),
            col("loc_offset"),
            col("latitude"),
            col("longitude"),
            col("speed"),
            col("course"),
            col("acc_timestamp"),
            col("acc_offset"),
            col("x"),
            col("y"),
            col("z"));
  }

  /** The fixes' columns, named apart, each fix with the end of its window. */
  private static Dataset<Row> fixes(Dataset<Row> locations, String watermark, String interval) {
    return locations
        .select(
            col("uuid").as("loc_uuid"),
            col("ride_id").as("loc_ride_id"),
            col("timestamp").as("loc_timestamp"),
            col("offset").as("loc_offset"),
            col("latitude"),
            col("longitude"),
            col("speed"),
            col("course"))
        .withWatermark("loc_timestamp", watermark)
        .where(EndOfStream.notAMarker("loc_timestamp"))
        // The end of each fix's window, computed once per fix: the join tests every sample of a
        // ride against every fix of that ride kept in state, and Spark adds an interval to a
        // timestamp through a time-zone calendar (ZonedDateTime), which costs more than the rest
        // of the test.
        .withColumn("loc_until", expr("loc_timestamp + " + interval));
  }

  /** The samples' columns, named apart. */
  private static Dataset<Row> samples(Dataset<Row> accelerations, String watermark) {
    return accelerations
        .select(
            col("uuid").as("acc_uuid"),
            col("ride_id").as("acc_ride_id"),
            col("timestamp").as("acc_timestamp"),
            col("offset").as("acc_offset"),
            col("x"),
            col("y"),
            col("z"))
        .withWatermark("acc_timestamp", watermark)
        .where(EndOfStream.notAMarker("acc_timestamp"));
  }

  /**
   * A session of its own without Spark's no-data micro-batches ({@link WithoutNoDataBatches}): the
   * fixes and samples that the watermark has passed without a partner come out null-extended in the
   * next batch with data rather than in a batch of their own; at the end of a replay, the drain's
   * second end-of-stream marker is that batch ({@link Drain}).
   */
  @Override
  public SparkSession session(SparkSession run) {
    return session.of(run);
  }

  @Override
  public List<StreamingQuery> start(
      SparkSession run, ResultsLayout layout, QueryInput input, Trigger trigger)
      throws TimeoutException {
    SparkSession spark = session(run);
    StreamingQuery query =
        join(
                EndOfStream.withMarkers(
                    spark, layout, input, NAME, Topics.LOCATIONS, Topics.LOCATIONS_SCHEMA),
                EndOfStream.withMarkers(
                    spark, layout, input, NAME, Topics.ACCELERATIONS, Topics.ACCELERATIONS_SCHEMA),
                joinWindow,
                watermark)
            .writeStream()
            .queryName(NAME)
            .format("parquet")
            .outputMode(OutputMode.Append())
            .option("path", layout.output(OUTPUT).toString())
            .option("checkpointLocation", layout.checkpoint(NAME).toString())
            .trigger(trigger)
            .start();
    return List.of(query);
  }

  /**
   * The outer join's rows by kind: pairs (a fix with a sample in its window), fixes without a
   * sample, samples without a fix.
   */
  public record Counts(long total, long matched, long fixesOnly, long samplesOnly) {}

  /** The rows of the join's output ({@link #OUTPUT}) by kind. */
  public static Counts counts(Dataset<Row> out) {
    Row r =
        out.selectExpr(
                "count(*)",
                "count_if(loc_timestamp IS NOT NULL AND acc_timestamp IS NOT NULL)",
                "count_if(acc_timestamp IS NULL)",
                "count_if(loc_timestamp IS NULL)")
            .first();
    return new Counts(r.getLong(0), r.getLong(1), r.getLong(2), r.getLong(3));
  }

  @Override
  public List<String> summarize(SparkSession spark, ResultsLayout layout) {
    Path out = layout.output(OUTPUT);
    List<String> lines = new ArrayList<>();
    if (!SparkSessions.exists(spark, out)) {
      lines.add("joined: no output yet in " + out);
      return lines;
    }
    Counts counts = counts(spark.read().parquet(out.toString()));
    lines.add(
        String.format(
            Locale.ROOT,
            "joined: %,d rows in %s: %,d matched pairs (%.1f%%), %,d fixes without samples, "
                + "%,d samples without a fix",
            counts.total(),
            out,
            counts.matched(),
            counts.total() == 0 ? 0.0 : 100.0 * counts.matched() / counts.total(),
            counts.fixesOnly(),
            counts.samplesOnly()));
    return lines;
  }
}
