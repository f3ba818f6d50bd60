package edu.dsc650.query;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import edu.dsc650.io.HadoopFiles;
import edu.dsc650.io.ResultsLayout;
import edu.dsc650.parquet.spark.RowsFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The end of a bounded stream, as a final watermark past everything (what a bounded source gives in
 * Flink). A stateful query holds rows until the watermark passes them; after the last slice nothing
 * would move it again. So when a replay is complete, run-query writes one marker row per topic,
 * with event time {@link #TIME}, into {@code <results>/control/<query>/<topic>/}; the query reads
 * that folder beside its input (a union with a file source) and drops the marker right after its
 * watermark operator, so it moves the watermark and reaches no output. {@code input} stays exactly
 * what stream-data published.
 *
 * <p>A drained checkpoint's watermark is then past any later data, so run-query marks it ({@link
 * QueryCheckpoint}) and refuses to continue it on another run.
 */
public final class EndOfStream {
  /** The markers' event time; rows at or after it are taken for markers and dropped. */
  public static final Instant TIME = Instant.parse("9000-01-01T00:00:00Z");

  static final String ID = "dsc650:end-of-stream";
  private static final String PREFIX = "end-of-stream-";
  private static final String WRITING = "_writing-";

  private EndOfStream() {}

  /**
   * A topic's rows as the query reads them: everything published (files or Kafka), and the markers.
   */
  static Dataset<Row> withMarkers(
      SparkSession spark,
      ResultsLayout layout,
      QueryInput input,
      String query,
      String topic,
      StructType schema) {
    return input.stream(spark, topic, schema)
        .union(Sources.stream(spark, controlFolder(layout, query, topic), schema));
  }

  /**
   * The filter that drops markers. Apply it right after {@code withWatermark(eventTime, ...)}: it
   * references the event-time column, so Spark's optimizer keeps it above the watermark operator
   * (it pushes filters that do not below it, where the marker would never move the watermark).
   */
  static Column notAMarker(String eventTime) {
    return col(eventTime).lt(lit(Timestamp.from(TIME)));
  }

  static Path controlFolder(ResultsLayout layout, String query, String topic) {
    return new Path(new Path(layout.control(), query), topic);
  }

  /** Makes the control folders (the file source needs its folder to exist). */
  static void prepare(
      SparkSession spark, ResultsLayout layout, String query, List<String> topics, String runId) {
    try {
      FileSystem control = SparkSessions.fileSystem(spark, layout.control());
      if (control.exists(layout.control())) {
        // what a run of this query killed while writing a marker left (this run holds the query's
        // lock; another query's marker may be being written right now)
        FileStatus[] unfinished = control.globStatus(writing(layout, query, "*"));
        for (FileStatus s : unfinished == null ? new FileStatus[0] : unfinished) {
          HadoopFiles.delete(control, s.getPath());
        }
      }
      for (String topic : topics) {
        Path dir = controlFolder(layout, query, topic);
        FileSystem fs = SparkSessions.fileSystem(spark, dir);
        HadoopFiles.mkdirs(fs, dir);
        // markers of another replay run (a drain killed before it was done, then a new replay)
        // would end this run's stream at once
        for (FileStatus marker : markers(fs, dir)) {
          if (runId == null || !marker.getPath().getName().startsWith(PREFIX + runId + "-")) {
            HadoopFiles.delete(fs, marker.getPath());
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes one more marker per topic for {@code runId} (markers are files: a file source reads each
   * once, so a new attempt needs a new file). Written hidden, then renamed, as any file source
   * input.
   */
  static void write(SparkSession spark, ResultsLayout layout, StreamingQueryDef def, String runId) {
    String query = def.name();
    try {
      for (String topic : def.drainedTopics()) {
        StructType schema = def.schema(topic);
        Path dir = controlFolder(layout, query, topic);
        FileSystem fs = SparkSessions.fileSystem(spark, dir);
        int attempt = markers(fs, dir).size();
        Path temp = writing(layout, query, UUID.randomUUID().toString());
        RowsFile.write(fs.getConf(), temp, schema, List.of(markerRow(schema)));
        HadoopFiles.rename(fs, temp, new Path(dir, PREFIX + runId + "-" + attempt + ".parquet"));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Where a query's marker is written before it is renamed: "_writing-<query>.<id>". */
  static Path writing(ResultsLayout layout, String query, String id) {
    // a query's name has no '.', so one query's names never match another's pattern
    return new Path(layout.control(), WRITING + query + "." + id);
  }

  private static List<FileStatus> markers(FileSystem fs, Path dir) throws IOException {
    List<FileStatus> found = new ArrayList<>();
    if (fs.exists(dir)) {
      for (FileStatus s : fs.listStatus(dir)) {
        if (s.getPath().getName().startsWith(PREFIX)) {
          found.add(s);
        }
      }
    }
    return found;
  }

  /** A marker row of a topic: its id, event time {@link #TIME}, nothing else. */
  static Row markerRow(StructType schema) {
    Object[] values = new Object[schema.size()];
    for (int i = 0; i < values.length; i++) {
      StructField f = schema.fields()[i];
      values[i] =
          switch (f.name()) {
            case "id" ->
                f.dataType().equals(org.apache.spark.sql.types.DataTypes.StringType) ? ID : null;
            case "timestamp" -> Timestamp.from(TIME);
            default -> null;
          };
    }
    return RowFactory.create(values);
  }
}
