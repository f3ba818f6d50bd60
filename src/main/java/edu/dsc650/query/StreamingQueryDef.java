package edu.dsc650.query;

import edu.dsc650.io.ResultsLayout;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.StructType;

/** One of the named queries of {@code run-query}: what it reads, where it writes, how it starts. */
public interface StreamingQueryDef {

  /** The name on the command line and of its output and checkpoint folders. */
  String name();

  /** The topics it reads. */
  List<String> topics();

  /** The schema it reads {@code topic} with: by default the BDD topic's ({@link Topics}). */
  default StructType schema(String topic) {
    return Topics.schema(topic);
  }

  /**
   * The query as it will run, checked in the session before anything changes (a {@code
   * BadInputException} says what is wrong). A query that Spark must analyse first (your own SQL)
   * returns an analysed copy; by default the query itself.
   */
  default StreamingQueryDef prepare(SparkSession spark, QueryInput input) {
    return this;
  }

  /**
   * The session it runs in, whose listeners hear of its batches: by default the run's; a query that
   * needs settings of its own has a session of its own.
   */
  default SparkSession session(SparkSession run) {
    return run;
  }

  /** The folders {@code --fresh} deletes: its outputs and checkpoints. */
  List<Path> ownedPaths(ResultsLayout layout);

  /**
   * Refuses (with a {@code BadInputException}) stored checkpoints or outputs it cannot go on with;
   * called before anything changes, unless {@code --fresh} deletes them.
   */
  default void checkStoredState(SparkSession spark, ResultsLayout layout) {}

  /**
   * The topics whose end-of-stream markers it reads ({@link EndOfStream}): a query that holds rows
   * back until the watermark passes them. Empty for queries that hold nothing back.
   */
  default List<String> drainedTopics() {
    return List.of();
  }

  /**
   * The columns it needs in each topic it reads: checked in the published files before Spark starts
   * ({@link InputColumns}). By default the ride key and the event time of each topic.
   */
  default Map<String, List<String>> requiredColumns() {
    Map<String, List<String>> columns = new java.util.LinkedHashMap<>();
    topics().forEach(t -> columns.put(t, List.of("uuid", "timestamp")));
    return columns;
  }

  /**
   * Starts the query (one Spark streaming query per output), reading its topics from {@code input}.
   */
  List<StreamingQuery> start(
      SparkSession spark, ResultsLayout layout, QueryInput input, Trigger trigger)
      throws TimeoutException;

  /** A few lines about its output, read back in batch mode, for the end of a run. */
  List<String> summarize(SparkSession spark, ResultsLayout layout);
}
