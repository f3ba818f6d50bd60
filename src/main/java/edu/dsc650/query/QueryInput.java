package edu.dsc650.query;

import edu.dsc650.io.ReplayManifest;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.types.StructType;

/**
 * Where the queries read the replay's topics: the files in {@code <results>/input} ({@link
 * FileInput}) or Kafka topics ({@link KafkaInput}). Either way a topic is a stream of rows with its
 * schema ({@link Topics}).
 */
public interface QueryInput extends AutoCloseable {

  /** A topic as a stream of rows of {@code schema}. */
  Dataset<Row> stream(SparkSession spark, String topic, StructType schema);

  /**
   * The topics a {@code --sql} query may read: the BDD topics, and those of a replay of your own
   * data that this input offers.
   */
  default Set<String> topicsOnOffer() {
    return new TreeSet<>(List.of(Topics.ACCELERATIONS, Topics.LOCATIONS));
  }

  /**
   * The schema of a topic of your own data, from what has been published of it.
   *
   * @throws edu.dsc650.BadInputException if it cannot be known (yet), saying why in one line
   */
  StructType publishedSchema(SparkSession spark, String topic);

  /**
   * Refuses (with a {@code BadInputException}) published input the queries could not read, found
   * before Spark starts and again while waiting for input: by default nothing to check.
   */
  default void checkPublished(List<StreamingQueryDef> queries) throws IOException {}

  /**
   * Refuses (with a {@code BadInputException}) a replay run that went elsewhere than this input
   * reads; by default any run.
   */
  default void checkReplayGoesHere(ReplayManifest replay) {}

  /**
   * Why a checkpoint cannot be of replay run {@code runId} by what it has read (a file of another
   * run), or null if nothing says so: by default null.
   */
  default String readOtherRun(SparkSession spark, List<Path> checkpoints, String runId) {
    return null;
  }

  /**
   * What of the topics is not there yet (a folder, a Kafka topic), for the message while waiting;
   * empty if all are.
   */
  List<String> missing(SparkSession spark, List<String> topics);

  /**
   * Once the replay it follows is complete and the queries have processed what is available: what
   * they have not read of it, or null if they have read everything. Files: null (the file-sink log
   * has no end to compare with; the queries have processed every file it names).
   */
  default String unconsumed(List<StreamingQuery> queries, ReplayManifest replay) {
    return null;
  }

  /** How often an idle query looks for new input (Spark's pollingDelay, unless set). */
  String pollingDelay();

  /** Where it reads, for messages. */
  String describe();

  @Override
  default void close() {}
}
