package edu.dsc650.query;

import edu.dsc650.io.HadoopFiles;
import edu.dsc650.io.HadoopStorage;
import edu.dsc650.io.PublishLog;
import edu.dsc650.io.ResultsLayout;
import edu.dsc650.parquet.spark.RowsFile;
import java.io.IOException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Runs every query once, to its end, on a tiny generated slice in a scratch folder, and throws what
 * it wrote away. A cold JVM's first micro-batches take seconds (class loading, code generation, the
 * JIT, the state stores' first versions); run before the replay's first slice is due, they are paid
 * here and not by the first slices. The scratch folder is under {@code <results>/control}, on the
 * results' file system, so a cluster's executors reach it too.
 */
final class WarmUp {
  /** The generated rows' ride: one ride, so the join has pairs to match. */
  static final String RIDE = "dsc650-warm-up";

  /** How long the warm-up may take before the real queries start anyway. */
  private static final long PATIENCE_MS = 120_000;

  private static final int ROWS = 8;

  private WarmUp() {}

  /**
   * Warms up the queries (each with the schemas it was prepared with). A failure here is a warning:
   * the real run will say what fails.
   *
   * @return a line for the console, or null if nothing was warmed up or a stop came first
   */
  static String run(
      SparkSession spark,
      ResultsLayout layout,
      List<StreamingQueryDef> queries,
      java.util.function.BooleanSupplier stop)
      throws IOException {
    long started = System.nanoTime();
    List<StreamingQueryDef> warmed = queries;
    if (warmed.isEmpty()) {
      return null;
    }
    // named after a query whose lock this run holds: no other run-query uses it, and what a killed
    // one left there is removed first
    ResultsLayout scratch =
        new ResultsLayout(new Path(layout.control(), "_warm-up-" + queries.get(0).name()));
    FileSystem fs = SparkSessions.fileSystem(spark, scratch.root());
    List<StreamingQuery> running = new ArrayList<>();
    try {
      HadoopFiles.delete(fs, scratch.root());
      writeInput(spark, fs, scratch, warmed);
      for (StreamingQueryDef def : warmed) {
        spark.sparkContext().setLocalProperty("spark.scheduler.pool", def.name());
        running.addAll(def.start(spark, scratch, new FileInput(scratch), Trigger.AvailableNow()));
      }
      spark.sparkContext().setLocalProperty("spark.scheduler.pool", null);
      long deadline = System.currentTimeMillis() + PATIENCE_MS;
      for (StreamingQuery q : running) {
        // in steps: a stop request (Ctrl-C) ends the warm-up at once
        while (!q.awaitTermination(100)
            && !stop.getAsBoolean()
            && System.currentTimeMillis() < deadline) {}
      }
      if (stop.getAsBoolean()) {
        return null;
      }
      return String.format(
          java.util.Locale.ROOT,
          "queries warmed up in %.1f s on a generated slice",
          (System.nanoTime() - started) / 1e9);
    } catch (TimeoutException
        | org.apache.spark.sql.streaming.StreamingQueryException
        | RuntimeException e) {
      return "warning: the warm-up failed, the queries start cold: " + edu.dsc650.FirstLine.of(e);
    } finally {
      spark.sparkContext().setLocalProperty("spark.scheduler.pool", null);
      for (StreamingQuery q : running) {
        try {
          q.stop();
        } catch (TimeoutException e) {
          // stopped or not, its folder goes next
        }
      }
      HadoopFiles.delete(fs, scratch.root());
    }
  }

  /** A slice of every topic the queries read, and the end of stream for those that hold rows. */
  private static void writeInput(
      SparkSession spark, FileSystem fs, ResultsLayout scratch, List<StreamingQueryDef> queries)
      throws IOException {
    Instant base = Instant.now();
    Map<String, StructType> schemas = new LinkedHashMap<>();
    queries.forEach(d -> d.topics().forEach(t -> schemas.putIfAbsent(t, d.schema(t))));
    for (Map.Entry<String, StructType> topic : schemas.entrySet()) {
      writeSlice(fs, scratch, topic.getKey(), topic.getValue(), base);
    }
    for (StreamingQueryDef def : queries) {
      if (!def.drainedTopics().isEmpty()) {
        // the end of stream too: windows and null-extended rows come out, as in a drain
        EndOfStream.prepare(spark, scratch, def.name(), def.drainedTopics(), RIDE);
        EndOfStream.write(spark, scratch, def, RIDE);
      }
    }
  }

  /** One published slice of {@code topic}, as stream-data publishes it (file and publish log). */
  private static void writeSlice(
      FileSystem fs, ResultsLayout scratch, String topic, StructType schema, Instant base)
      throws IOException {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < ROWS; i++) {
      rows.add(row(schema, i, base.plusMillis(250L * i)));
    }
    Path file = new Path(new Path(scratch.input(topic), "t=0.0"), RIDE + ".parquet");
    RowsFile.write(fs.getConf(), file, schema, rows);
    PublishLog.create(new HadoopStorage(fs), scratch.input(topic), RIDE).append(List.of(file));
  }

  /** Row {@code i} of a generated slice: the ride {@link #RIDE}, times 250 ms apart. */
  static Row row(StructType schema, int i, Instant time) {
    Object[] values = new Object[schema.size()];
    for (int c = 0; c < values.length; c++) {
      StructField f = schema.fields()[c];
      values[c] = value(f.name(), f.dataType(), i, time);
    }
    return RowFactory.create(values);
  }

  private static Object value(String name, DataType type, int i, Instant time) {
    if (type.equals(DataTypes.StringType)) {
      return name.equals("id") ? RIDE + "-" + i : RIDE;
    } else if (type.equals(DataTypes.TimestampType)) {
      return Timestamp.from(time);
    } else if (type.equals(DataTypes.DoubleType)) {
      return (double) i;
    } else if (type.equals(DataTypes.FloatType)) {
      return (float) i;
    } else if (type.equals(DataTypes.LongType)) {
      return (long) i;
    } else if (type.equals(DataTypes.IntegerType)) {
      return i;
    } else if (type.equals(DataTypes.BooleanType)) {
      return false;
    }
    return null;
  }
}
