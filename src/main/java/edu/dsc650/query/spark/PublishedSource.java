package edu.dsc650.query.spark;

import edu.dsc650.io.PublishLog;
import edu.dsc650.parquet.spark.SmallFileParquetFormat;
import edu.dsc650.query.SparkSessions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.execution.datasources.DataSource;
import org.apache.spark.sql.execution.datasources.HadoopFsRelation;
import org.apache.spark.sql.execution.datasources.LogicalRelation$;
import org.apache.spark.sql.execution.streaming.Offset;
import org.apache.spark.sql.execution.streaming.Source;
import org.apache.spark.sql.sources.BaseRelation;
import org.apache.spark.sql.types.StructType;
import scala.Option;
import scala.collection.JavaConverters;
import scala.reflect.ClassTag$;

/**
 * A topic of the replay as a stream, read through its {@link PublishLog}: an offset is the last
 * publish-log batch read, a trigger lists the log's folder, and a micro-batch reads only the
 * batches since the last one, and their files. Spark's file source instead rebuilds its view of
 * every file so far on each trigger, and its checkpoint log names every file ever read: both grow
 * without end in an endless replay. The rows are read with the same file format ({@link
 * SmallFileParquetFormat}), as Spark's file source does it: a batch relation marked as streaming.
 *
 * <p>Its checkpoint is Spark's offset log (one small JSON per batch, which Spark keeps bounded), so
 * restarts and kill -9 are exactly once: batch files never change, so re-planning a batch reads the
 * same files. A batch that is gone (an endless run's retention) fails the query, naming it.
 */
final class PublishedSource implements Source {
  private final SparkSession spark;
  private final Path topicInput;
  private final StructType schema;
  private final String format;
  private final FileSystem fs;
  private PublishedOffset latest;

  PublishedSource(SparkSession spark, Path topicInput, StructType schema, String format) {
    this.spark = spark;
    this.topicInput = topicInput;
    this.schema = schema;
    this.format = format;
    this.fs = SparkSessions.fileSystem(spark, topicInput);
  }

  @Override
  public StructType schema() {
    return schema;
  }

  @Override
  public Option<Offset> getOffset() {
    try {
      PublishLog.Range range = PublishLog.range(fs, topicInput);
      if (range == null) {
        return Option.empty();
      }
      if (latest == null || latest.batch() != range.newest()) {
        latest =
            new PublishedOffset(
                PublishLog.read(fs, topicInput, range.newest()).run(),
                topicInput.getName(),
                range.newest(),
                range.oldest());
      }
      return Option.apply(latest);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The files of the publish-log batches after {@code start} up to {@code end}, all of {@code
   * end}'s run. A query's first batch starts where its offset says the log began when it was
   * planned (an endless run deletes older batches), so that a re-run after a restart reads the same
   * batches or fails naming the one that is gone.
   *
   * @throws IllegalStateException before anything is read, if a batch is of another run than the
   *     offsets': a new replay replaced input under the query
   */
  @Override
  public Dataset<Row> getBatch(Option<Offset> start, Offset end) {
    PublishedOffset to = PublishedOffset.of(end);
    List<String> files = new ArrayList<>();
    try {
      long from;
      if (start.isDefined()) {
        PublishedOffset after = PublishedOffset.of(start.get());
        if (!after.run().equals(to.run())) {
          throw otherRun(after.run(), to.run(), "its next offset");
        }
        from = after.batch();
      } else {
        from =
            (to.first().isPresent() ? to.first() : PublishLog.oldest(fs, topicInput)).orElse(0) - 1;
      }
      for (long b = from + 1; b <= to.batch(); b++) {
        PublishLog.Batch batch = PublishLog.read(fs, topicInput, b);
        if (!batch.run().equals(to.run())) {
          throw otherRun(to.run(), batch.run(), "batch " + b + " of " + topicInput);
        }
        files.addAll(batch.files());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (files.isEmpty()) {
      return spark.internalCreateDataFrame(
          spark.sparkContext().emptyRDD(ClassTag$.MODULE$.apply(InternalRow.class)), schema, true);
    }
    // what Spark's FileStreamSource does with a batch's files: a relation over them, as a stream,
    // without checking that each exists (they are in the publish log) and without planning the
    // plain batch read first, as spark.read().load(...) does
    DataSource source =
        new DataSource(
            spark,
            format,
            JavaConverters.asScalaBuffer(files).toList(),
            Option.apply(schema),
            JavaConverters.asScalaBuffer(List.<String>of()).toList(),
            Option.empty(),
            new scala.collection.immutable.Map.Map1<>("recursiveFileLookup", "true"),
            Option.empty());
    BaseRelation relation = source.resolveRelation(false);
    // Spark's listing skips a named file that is gone with a warning: fail instead of reading less
    if (relation instanceof HadoopFsRelation read) {
      int gone = files.size() - read.location().inputFiles().length;
      if (gone > 0) {
        throw new IllegalStateException(
            gone
                + " of the "
                + files.size()
                + " files published in "
                + topicInput
                + " up to batch "
                + to.batch()
                + " are gone; nothing of them was read");
      }
    }
    return Dataset.ofRows(spark, LogicalRelation$.MODULE$.apply(relation, true));
  }

  private static IllegalStateException otherRun(String run, String other, String what) {
    return new IllegalStateException(
        "the query reads replay run "
            + run
            + ", but "
            + what
            + " is of run "
            + other
            + ": a new stream-data run replaced the input, and nothing of it was read;"
            + " run the command again with --fresh");
  }

  @Override
  public void stop() {}

  @Override
  public String toString() {
    return "PublishedSource[" + topicInput + "]";
  }
}
