package edu.dsc650.query;

import edu.dsc650.io.ResultsLayout;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** The parquet files stream-data publishes in {@code <results>/input/<topic>/}, read with the file stream source. */
public record FileInput(ResultsLayout layout) implements QueryInput {

  @Override
  public Dataset<Row> stream(SparkSession spark, String topic) {
    return Sources.stream(spark, layout, topic);
  }

  @Override
  public List<String> missing(SparkSession spark, List<String> topics) {
    return topics.stream().map(layout::input).filter(p -> !OutputReader.exists(spark, p)).map(Object::toString)
        .toList();
  }

  /** Reading the file-sink log costs: four queries doing it every 10 ms starve the batches (README, Performance). */
  @Override
  public String pollingDelay() {
    return SparkSessions.FILE_POLLING_DELAY;
  }

  @Override
  public String describe() {
    return layout.input().toString();
  }
}
