package edu.dsc650.query;

import edu.dsc650.io.ReplayManifest;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;

/**
 * Where the queries read the replay's topics: the files in {@code <results>/input} ({@link
 * FileInput}) or Kafka topics ({@link KafkaInput}). Either way a topic is a stream of rows with its
 * schema ({@link Topics}).
 */
public interface QueryInput extends AutoCloseable {

  /** A topic as a stream with its schema. */
  Dataset<Row> stream(SparkSession spark, String topic);

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
