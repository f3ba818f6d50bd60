package edu.dsc650.query;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.window;

import edu.dsc650.io.HadoopFiles;
import edu.dsc650.io.ResultsLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;

/**
 * (b) windowed: mean GPS speed per ride in 15-second tumbling event-time windows, watermark 30 s,
 * output mode update. The file sink cannot write update mode, so each micro-batch's updated windows
 * go to {@code output/windowed/batch_id=<n>/} through {@code foreachBatch}; a batch that Spark runs
 * again after a restart replaces its own partition, so a restart never duplicates. A window's
 * current value is its row with the highest {@code batch_id}.
 */
public final class WindowedQuery implements StreamingQueryDef {
  public static final String NAME = "windowed";
  public static final String WATERMARK = "30 seconds";
  public static final String WINDOW = "15 seconds";

  /** Prefix of the hidden folder a micro-batch is written to before its rename to batch_id=n. */
  static final String UNFINISHED = "_unfinished-batch-";

  @Override
  public String name() {
    return NAME;
  }

  private final WithoutNoDataBatches session = new WithoutNoDataBatches();

  @Override
  public List<String> topics() {
    return List.of(Topics.LOCATIONS);
  }

  /**
   * A session of its own without Spark's no-data micro-batches ({@link WithoutNoDataBatches}): in
   * update mode such a batch writes nothing, it only drops the windows the watermark has passed
   * from the state. Left on, they were 82 of this query's 188 micro-batches over the bundled replay
   * at 1x, each costing ~2/3 of a batch with data.
   */
  @Override
  public SparkSession session(SparkSession run) {
    return session.of(run);
  }

  @Override
  public List<Path> ownedPaths(ResultsLayout layout) {
    return List.of(layout.output(NAME), layout.checkpoint(NAME), layout.progress(NAME));
  }

  @Override
  public Map<String, List<String>> requiredColumns() {
    return Map.of(Topics.LOCATIONS, List.of("uuid", "timestamp", "speed"));
  }

  /**
   * Mean speed and number of fixes per window and ride. Speed -1 is the iOS "no valid speed"
   * sentinel, so only fixes with speed >= 0 count; a window without a valid fix has no row.
   *
   * <p>A ride is its {@code uuid} and its {@code ride_id} (one each per ride in the BDD data and in
   * stream-data's copies), both grouped on: a string in the aggregation's buffer ({@code
   * first("ride_id")}) would make Spark sort each batch's rows and aggregate them without generated
   * code, and generate the aggregation's projections again in each task, a sixth of the query's CPU
   * per micro-batch (docs/performance.md).
   */
  public static Dataset<Row> meanSpeed(Dataset<Row> locations) {
    Dataset<Row> validFixes =
        locations.withWatermark("timestamp", WATERMARK).where(col("speed").geq(0));
    return validFixes
        .groupBy(window(col("timestamp"), WINDOW), col("uuid"), col("ride_id"))
        .agg(avg("speed").as("mean_speed"), count("speed").as("fixes"))
        .select(
            col("window.start").as("window_start"),
            col("window.end").as("window_end"),
            col("uuid"),
            col("ride_id"),
            col("mean_speed"),
            col("fixes"));
  }

  @Override
  public List<StreamingQuery> start(
      SparkSession spark, ResultsLayout layout, QueryInput input, Trigger trigger)
      throws TimeoutException {
    Path out = layout.output(NAME);
    removeUnfinishedBatches(SparkSessions.fileSystem(spark, out), out);
    StreamingQuery query =
        meanSpeed(input.stream(session(spark), Topics.LOCATIONS, Topics.schema(Topics.LOCATIONS)))
            .writeStream()
            .queryName(NAME)
            .outputMode(OutputMode.Update())
            .foreachBatch(
                (VoidFunction2<Dataset<Row>, Long>)
                    (batch, batchId) -> writeBatch(batch, batchId, out))
            .option("checkpointLocation", layout.checkpoint(NAME).toString())
            .trigger(trigger)
            .start();
    return List.of(query);
  }

  /**
   * Writes one micro-batch to {@code batch_id=<n>} idempotently: into a hidden folder first
   * (readers skip {@code _} names), then renamed to {@code batch_id=<n>}. Hadoop's rename does not
   * replace a folder, so when Spark re-runs a batch after a restart, what the earlier attempt left
   * is deleted first: between that delete and the rename a reader misses that one batch's rows
   * (only then; a first attempt is a single rename).
   */
  static void writeBatch(Dataset<Row> batch, long batchId, Path out) {
    SparkSession spark = batch.sparkSession();
    FileSystem fs = SparkSessions.fileSystem(spark, out);
    Path target = new Path(out, "batch_id=" + batchId);
    // No '=' in the name: Spark skips '_' names only without one, and would take it for a
    // partition.
    Path temp = new Path(out, UNFINISHED + batchId + "-" + UUID.randomUUID());
    // One job: the rows are written as the aggregation computes them. A batch that updated no
    // window (the drain's end-of-stream markers) leaves a file without rows, which goes; asking
    // first would run the aggregation twice, or once more over a cached copy (a second job).
    batch.coalesce(1).write().mode(SaveMode.ErrorIfExists).parquet(temp.toString());
    try {
      if (rowsIn(fs, temp) == 0) {
        HadoopFiles.delete(fs, temp);
        return;
      }
      if (fs.exists(target)) {
        HadoopFiles.delete(fs, target);
      }
      HadoopFiles.rename(fs, temp, target);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The rows of the parquet files in {@code folder}, from their footers. */
  static long rowsIn(FileSystem fs, Path folder) throws IOException {
    long rows = 0;
    for (FileStatus file : fs.listStatus(folder, p -> p.getName().endsWith(".parquet"))) {
      try (ParquetFileReader reader =
          ParquetFileReader.open(HadoopInputFile.fromStatus(file, fs.getConf()))) {
        rows += reader.getRecordCount();
      }
    }
    return rows;
  }

  /**
   * Removes the hidden folders of batches a killed run was writing: Spark re-runs those batches
   * (they are not in the commit log), and readers skip the folders anyway, but they take space.
   */
  static void removeUnfinishedBatches(FileSystem fs, Path out) {
    try {
      FileStatus[] leftovers = fs.globStatus(new Path(out, UNFINISHED + "*"));
      for (FileStatus leftover : leftovers == null ? new FileStatus[0] : leftovers) {
        HadoopFiles.delete(fs, leftover.getPath());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The current value of every window: its row with the highest batch_id. */
  public static Dataset<Row> latest(SparkSession spark, Path out) {
    return latest(spark.read().parquet(out.toString()));
  }

  /** As above, of the output's rows as read. */
  public static Dataset<Row> latest(Dataset<Row> out) {
    WindowSpec newestFirst =
        Window.partitionBy("window_start", "uuid").orderBy(col("batch_id").desc());
    return out.withColumn("rank", row_number().over(newestFirst))
        .where(col("rank").equalTo(1))
        .drop("rank");
  }

  @Override
  public List<String> summarize(SparkSession spark, ResultsLayout layout) {
    Path out = layout.output(NAME);
    List<String> lines = new ArrayList<>();
    if (!SparkSessions.exists(spark, out)) {
      lines.add("windowed: no output yet in " + out);
      return lines;
    }
    Dataset<Row> latest = latest(spark, out).cache();
    lines.add(
        String.format(
            Locale.ROOT,
            "windowed: %,d windows (ride x 15 s) in %s; latest windows:",
            latest.count(),
            out));
    List<Row> rows =
        latest
            .orderBy(col("window_start").desc(), col("uuid"))
            .select("window_start", "uuid", "mean_speed", "fixes", "batch_id")
            .limit(5)
            .collectAsList();
    lines.add(
        String.format(
            Locale.ROOT,
            "  %-26s %-34s %10s %5s %8s",
            "window_start",
            "uuid",
            "mean m/s",
            "fixes",
            "batch_id"));
    for (Row r : rows) {
      lines.add(
          String.format(
              Locale.ROOT,
              "  %-26s %-34s %10.3f %5d %8d",
              r.get(0),
              r.getString(1),
              r.getDouble(2),
              r.getLong(3),
              r.getInt(4)));
    }
    latest.unpersist();
    return lines;
  }
}
