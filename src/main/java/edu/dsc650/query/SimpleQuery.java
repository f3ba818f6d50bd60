package edu.dsc650.query;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;

import edu.dsc650.BadInputException;
import edu.dsc650.io.ResultsLayout;
import edu.dsc650.query.spark.ParquetFileSink;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.storage.StorageLevel;

/**
 * (a) simple: each stream copied unchanged to {@code output/simple/<topic>} with Spark's parquet
 * file sink, whose {@code _spark_metadata} log makes the output exactly-once across restarts.
 *
 * <p>One streaming query reads both topics (a micro-batch has a fixed cost per query: planning, the
 * offset and commit logs, progress; on two cores, the queries' batches wait for each other). Each
 * row travels in a column named after its topic, a struct of its columns, null in the other
 * topic's; each micro-batch hands each topic's rows to a file sink of its own ({@link
 * ParquetFileSink}, Spark's, for its folder), the two side by side. A file sink skips a batch id it
 * has committed, so a batch that Spark runs again after a restart writes only the outputs it had
 * not committed.
 */
public final class SimpleQuery implements StreamingQueryDef {
  public static final String NAME = "simple";
  private static final List<String> TOPICS = List.of(Topics.ACCELERATIONS, Topics.LOCATIONS);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<String> topics() {
    return TOPICS;
  }

  @Override
  public List<Path> ownedPaths(ResultsLayout layout) {
    return List.of(layout.output(NAME), layout.checkpoint(NAME), layout.progress(NAME));
  }

  static Path output(ResultsLayout layout, String topic) {
    return new Path(layout.output(NAME), topic);
  }

  /**
   * Checkpoints of the earlier layout (one query per topic, {@code checkpoints/simple/<topic>}) are
   * refused: this query would take them for no checkpoint and start over into outputs whose logs
   * already hold its batch ids.
   */
  @Override
  public void checkStoredState(SparkSession spark, ResultsLayout layout) {
    for (String topic : TOPICS) {
      Path old = new Path(new Path(layout.checkpoint(NAME), topic), "offsets");
      if (SparkSessions.exists(spark, old)) {
        throw new BadInputException(
            layout.checkpoint(NAME)
                + " holds a checkpoint per topic, made by an earlier version of run-query; "
                + "start simple over with --fresh");
      }
    }
  }

  @Override
  public List<StreamingQuery> start(
      SparkSession spark, ResultsLayout layout, QueryInput input, Trigger trigger)
      throws TimeoutException {
    Dataset<Row> both = null;
    for (String topic : TOPICS) {
      Dataset<Row> tagged = input.stream(spark, topic, Topics.schema(topic)).select(tagged(topic));
      both = both == null ? tagged : both.union(tagged);
    }
    Map<String, String> outputs = new LinkedHashMap<>();
    TOPICS.forEach(t -> outputs.put(t, output(layout, t).toString()));
    return List.of(
        both.writeStream()
            .queryName(NAME)
            .foreachBatch(new CopyToFileSinks(outputs))
            .option("checkpointLocation", layout.checkpoint(NAME).toString())
            .trigger(trigger)
            .start());
  }

  /** A topic's rows as one column per topic: its own a struct of its columns, the others null. */
  static Column[] tagged(String topic) {
    Column[] columns = new Column[TOPICS.size()];
    for (int i = 0; i < columns.length; i++) {
      String t = TOPICS.get(i);
      Column value =
          t.equals(topic)
              ? struct(
                  java.util.Arrays.stream(Topics.schema(t).fieldNames())
                      .map(c -> col("`" + c + "`"))
                      .toArray(Column[]::new))
              : lit(null).cast(Topics.schema(t));
      columns[i] = value.as(t);
    }
    return columns;
  }

  /**
   * Each micro-batch: each topic's rows into its file sink. Runs in the driver; the sinks are made
   * once, with the session of the first batch (the query's).
   */
  static final class CopyToFileSinks implements VoidFunction2<Dataset<Row>, Long> {
    private final Map<String, String> outputs;
    private transient Map<String, ParquetFileSink> sinks;

    CopyToFileSinks(Map<String, String> outputs) {
      this.outputs = outputs;
    }

    @Override
    public void call(Dataset<Row> batch, Long batchId) {
      if (sinks == null) {
        sinks = new LinkedHashMap<>();
        outputs.forEach(
            (topic, path) -> sinks.put(topic, new ParquetFileSink(batch.sparkSession(), path)));
      }
      // The batch comes planned (Spark 3.5 hands foreachBatch a LogicalRDD), so a filter on it
      // cannot prune the other topic's half of the union: without the cache, each topic's write
      // would read every input file of the batch again. With it, the first task to compute a
      // partition stores it, and the other write reads it from memory.
      batch.persist(StorageLevel.MEMORY_AND_DISK());
      try {
        writeSideBySide(batch, batchId);
      } finally {
        batch.unpersist(false);
      }
    }

    /**
     * The topics' writes run side by side, as the two queries of one topic each did: each in a
     * thread of its own, which inherits this thread's Spark properties (the query's pool, job group
     * and SQL execution).
     */
    private void writeSideBySide(Dataset<Row> batch, Long batchId) {
      List<Thread> writers = new ArrayList<>();
      java.util.concurrent.ConcurrentLinkedQueue<Throwable> failures =
          new java.util.concurrent.ConcurrentLinkedQueue<>();
      int partitions = writePartitions(batch.queryExecution().toRdd().getNumPartitions());
      for (Map.Entry<String, ParquetFileSink> sink : sinks.entrySet()) {
        Dataset<Row> rows =
            batch
                .where(col(sink.getKey()).isNotNull())
                .select(sink.getKey() + ".*")
                .coalesce(partitions);
        Thread writer =
            new Thread(
                () -> {
                  try {
                    sink.getValue().addBatch(batchId, rows);
                  } catch (Throwable t) { // a failed write fails the batch, in the query's thread
                    failures.add(t);
                  }
                },
                "simple-" + sink.getKey() + "-batch-" + batchId);
        writer.start();
        writers.add(writer);
      }
      for (Thread writer : writers) {
        try {
          writer.join();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt(); // the query is stopping: Spark interrupts its thread
          throw new IllegalStateException("stopped while writing batch " + batchId, e);
        }
      }
      Throwable failure = failures.peek();
      if (failure != null) {
        throw failure instanceof RuntimeException r ? r : new IllegalStateException(failure);
      }
    }
  }

  /**
   * Tasks per topic's write, for a batch of {@code batchPartitions}: the partitions hold both
   * topics' rows, and a write task runs on every one of them, whether it holds the topic's rows or
   * not (the first always writes a file, empty or not). A small batch is a partition per topic
   * (SparkSessions), so one task and one file each; a bigger one keeps half its partitions per
   * write, the two writes side by side.
   */
  static int writePartitions(int batchPartitions) {
    return Math.max(1, batchPartitions / TOPICS.size());
  }

  @Override
  public List<String> summarize(SparkSession spark, ResultsLayout layout) {
    List<String> lines = new ArrayList<>();
    for (String topic : TOPICS) {
      Path out = output(layout, topic);
      // with the schema given: a run stopped before its first batch has an output with no file yet
      long rows =
          SparkSessions.exists(spark, out)
              ? spark.read().schema(Topics.schema(topic)).parquet(out.toString()).count()
              : 0;
      lines.add(String.format(Locale.ROOT, "simple/%s: %,d rows in %s", topic, rows, out));
    }
    return lines;
  }
}
