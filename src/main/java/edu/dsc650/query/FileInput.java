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

  @Override
  public String describe() {
    return layout.input().toString();
  }
}
