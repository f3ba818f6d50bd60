package edu.dsc650.query;

import edu.dsc650.io.PublishLog;
import edu.dsc650.io.ReplayManifest;
import edu.dsc650.io.ResultsLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.SourceProgress;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryProgress;

/**
 * The parquet files stream-data publishes in {@code <results>/input/<topic>/}, read with the file
 * stream source.
 */
public record FileInput(ResultsLayout layout) implements QueryInput {

  @Override
  public Dataset<Row> stream(SparkSession spark, String topic) {
    return Sources.stream(spark, layout, topic);
  }

  @Override
  public List<String> missing(SparkSession spark, List<String> topics) {
    return topics.stream()
        .map(layout::input)
        .filter(p -> !SparkSessions.exists(spark, p))
        .map(Object::toString)
        .toList();
  }

  /**
   * Every published source of the queries must have read its topic's publish log to its last batch,
   * and that batch must be of the replay run. (With Spark's file source, nothing to compare: the
   * drain looks at the files its checkpoint read instead.)
   */
  @Override
  public String unconsumed(List<StreamingQuery> queries, ReplayManifest replay) {
    List<String> short_ = new ArrayList<>();
    for (StreamingQuery q : queries) {
      StreamingQueryProgress progress = q.lastProgress();
      for (SourceProgress source : progress == null ? new SourceProgress[0] : progress.sources()) {
        String description = source.description();
        if (!description.startsWith("PublishedSource[")) {
          continue;
        }
        Path topicInput =
            new Path(description.substring("PublishedSource[".length(), description.length() - 1));
        try {
          OptionalLong last =
              PublishLog.latest(
                  SparkSessions.fileSystem(SparkSession.active(), topicInput), topicInput);
          PublishedOffset read =
              source.endOffset() == null ? null : PublishedOffset.parse(source.endOffset());
          if (read != null && !read.run().equals(replay.runId())) {
            return q.name()
                + " read "
                + topicInput
                + " of replay run "
                + read.run()
                + ", not of run "
                + replay.runId();
          }
          long at = read == null ? -1 : read.batch();
          if (last.isPresent() && at < last.getAsLong()) {
            short_.add(
                q.name() + " at batch " + at + " of " + last.getAsLong() + " in " + topicInput);
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    return short_.isEmpty()
        ? null
        : "not read to the end of the publish log: " + String.join(", ", short_);
  }

  /**
   * Reading the file-sink log costs: several queries doing it every 10 ms starve the batches
   * (docs/performance.md).
   */
  @Override
  public String pollingDelay() {
    return SparkSessions.FILE_POLLING_DELAY;
  }

  @Override
  public String describe() {
    return layout.input().toString();
  }
}
