package edu.dsc650.query;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** The file stream sources over what {@code stream-data} publishes. */
public final class Sources {
  private Sources() {}

  /** A topic as a stream: every parquet file that appears under {@code <results>/input/<topic>/}. */
  public static Dataset<Row> stream(SparkSession spark, ResultsLayout layout, String topic) {
    return spark.readStream()
        .schema(Topics.schema(topic))
        .option("recursiveFileLookup", "true")
        .parquet(layout.input(topic).toString());
  }
}
