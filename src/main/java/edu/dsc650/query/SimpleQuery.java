package edu.dsc650.query;

import edu.dsc650.io.ResultsLayout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;

/**
 * (a) simple: each stream copied unchanged to {@code output/simple/<topic>} with the parquet file
 * sink. The sink's {@code _spark_metadata} log makes the output exactly-once across restarts.
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

  @Override
  public Map<Path, String> checkpoints(ResultsLayout layout) {
    Map<Path, String> checkpoints = new LinkedHashMap<>();
    for (String topic : TOPICS) {
      checkpoints.put(new Path(layout.checkpoint(NAME), topic), NAME + "/" + topic);
    }
    return checkpoints;
  }

  static Path output(ResultsLayout layout, String topic) {
    return new Path(layout.output(NAME), topic);
  }

  @Override
  public List<StreamingQuery> start(
      SparkSession spark, ResultsLayout layout, QueryInput input, Trigger trigger)
      throws TimeoutException {
    List<StreamingQuery> queries = new ArrayList<>();
    for (String topic : TOPICS) {
      queries.add(
          input.stream(spark, topic)
              .writeStream()
              .queryName(NAME + "-" + topic)
              .format("parquet")
              .outputMode(OutputMode.Append())
              .option("path", output(layout, topic).toString())
              .option("checkpointLocation", new Path(layout.checkpoint(NAME), topic).toString())
              .trigger(trigger)
              .start());
    }
    return queries;
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
