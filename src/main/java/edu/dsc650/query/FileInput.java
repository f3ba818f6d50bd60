package edu.dsc650.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import edu.dsc650.BadInputException;
import edu.dsc650.io.PublishLog;
import edu.dsc650.io.ReplayManifest;
import edu.dsc650.io.ResultsLayout;
import edu.dsc650.io.Storage;
import edu.dsc650.query.spark.PublishedOffset;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.SourceProgress;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.apache.spark.sql.types.StructType;

/**
 * The parquet files stream-data publishes in {@code <results>/input/<topic>/}, read with the file
 * stream source.
 */
public record FileInput(ResultsLayout layout) implements QueryInput {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public Dataset<Row> stream(SparkSession spark, String topic, StructType schema) {
    return Sources.stream(spark, layout, topic, schema);
  }

  /** The BDD topics and every topic the replay has published (a replay of your own data). */
  @Override
  public Set<String> topicsOnOffer() {
    Set<String> topics = QueryInput.super.topicsOnOffer();
    try {
      List<String> published = InputColumns.publishedTopics(storage(), layout);
      if (published != null) {
        topics.addAll(published);
      }
    } catch (IOException e) {
      // the results folder cannot be read: the run's own checks say so
    }
    return topics;
  }

  /** The schema of the topic's first published file. */
  @Override
  public StructType publishedSchema(SparkSession spark, String topic) {
    Path first;
    try {
      first = InputColumns.firstPublished(storage(), layout.input(topic));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (first == null) {
      throw new BadInputException(
          "topic '"
              + topic
              + "' has no published file yet, so its columns are not known; "
              + "start run-query once the replay has published one");
    }
    return spark.read().parquet(first.toString()).schema();
  }

  /** Every published file has the columns the queries read, of types they can read. */
  @Override
  public void checkPublished(List<StreamingQueryDef> queries) throws IOException {
    InputColumns.check(layout, queries);
  }

  /** A replay to Kafka publishes nothing here. */
  @Override
  public void checkReplayGoesHere(ReplayManifest replay) {
    if (replay.kafka() == null) {
      return;
    }
    String topic =
        replay.kafka().topics() == null ? null : replay.kafka().topics().get(Topics.ACCELERATIONS);
    String prefix =
        topic == null || !topic.endsWith(Topics.ACCELERATIONS)
            ? ""
            : topic.substring(0, topic.length() - Topics.ACCELERATIONS.length());
    throw new BadInputException(
        "replay run "
            + replay.runId()
            + " went to Kafka, not to "
            + layout.input()
            + ": read it with --from kafka://"
            + replay.kafka().bootstrap()
            + (prefix.isEmpty() ? "" : " --topic-prefix " + prefix));
  }

  /**
   * With Spark's file source ({@link Sources#SOURCE_KEY}), a file of another run in what a
   * checkpoint read (stream-data names every file {@code <name>-<run>.parquet}); the publish-log
   * source checks each batch's run itself.
   */
  @Override
  public String readOtherRun(SparkSession spark, List<Path> checkpoints, String runId) {
    if (!Sources.usesFileSource(spark)) {
      return null;
    }
    try {
      for (Path checkpoint : checkpoints) {
        List<String> foreign =
            foreignInputFiles(
                SparkSessions.fileSystem(spark, checkpoint), checkpoint, layout.input(), runId, 1);
        if (!foreign.isEmpty()) {
          return "checkpoint "
              + checkpoint
              + " read "
              + foreign.get(0)
              + ", which is not of replay run "
              + runId;
        }
      }
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Storage storage() throws IOException {
    return Storage.forLocation(layout.root().toString());
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
        // the publish-log sources' offsets name their topic (the control folders' do not)
        PublishedOffset read = PublishedOffset.ofTopicOrNull(source.endOffset());
        if (read == null) {
          continue;
        }
        Path topicInput = layout.input(read.topic());
        if (!read.run().equals(replay.runId())) {
          return q.name()
              + " read "
              + topicInput
              + " of replay run "
              + read.run()
              + ", not of run "
              + replay.runId();
        }
        OptionalLong last;
        try {
          last =
              PublishLog.latest(
                  SparkSessions.fileSystem(SparkSession.active(), topicInput), topicInput);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        if (last.isPresent() && read.batch() < last.getAsLong()) {
          short_.add(
              q.name()
                  + " at batch "
                  + read.batch()
                  + " of "
                  + last.getAsLong()
                  + " in "
                  + topicInput);
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

  /**
   * The files under {@code input} that the file sources of the checkpoint tree have read and that
   * are not of run {@code runId} (stream-data names every file {@code <name>-<run>.parquet}): at
   * most {@code limit} of them. Read from Spark's file-source logs ({@code sources/<n>/<batch>}, a
   * {@code v1} line, then one JSON object per file).
   */
  private static List<String> foreignInputFiles(
      FileSystem fs, Path checkpoint, Path input, String runId, int limit) throws IOException {
    List<String> foreign = new ArrayList<>();
    if (!fs.exists(checkpoint)) {
      return foreign;
    }
    String inputPath = fs.makeQualified(input).toUri().getPath();
    String suffix = "-" + runId + ".parquet";
    List<Path> logs = new ArrayList<>();
    sourceLogs(fs, checkpoint, logs);
    for (Path log : logs) {
      for (FileStatus batch : fs.listStatus(log)) {
        if (batch.getPath().getName().startsWith(".") || batch.isDirectory()) {
          continue;
        }
        try (BufferedReader in =
            new BufferedReader(
                new InputStreamReader(fs.open(batch.getPath()), StandardCharsets.UTF_8))) {
          for (String line = in.readLine();
              line != null && foreign.size() < limit;
              line = in.readLine()) {
            if (!line.startsWith("{")) {
              continue; // the version line
            }
            JsonNode path = JSON.readTree(line).get("path");
            String file = path == null ? "" : new Path(path.asText()).toUri().getPath();
            if (file.startsWith(inputPath + "/") && !file.endsWith(suffix)) {
              foreign.add(file);
            }
          }
        }
      }
    }
    return foreign;
  }

  /** Every {@code sources/<n>} folder below {@code dir}. */
  private static void sourceLogs(FileSystem fs, Path dir, List<Path> found) throws IOException {
    for (FileStatus s : fs.listStatus(dir)) {
      if (!s.isDirectory()) {
        continue;
      }
      if (s.getPath().getName().equals("sources")) {
        for (FileStatus source : fs.listStatus(s.getPath())) {
          if (source.isDirectory()) {
            found.add(source.getPath());
          }
        }
      } else if (!s.getPath().getName().equals("state")) {
        sourceLogs(fs, s.getPath(), found);
      }
    }
  }
}
