package edu.dsc650.query;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.from_json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import edu.dsc650.io.ReplayManifest;
import edu.dsc650.io.kafka.KafkaAddress;
import edu.dsc650.io.kafka.KafkaTopics;
import edu.dsc650.parquet.JsonRows;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.SourceProgress;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.apache.spark.sql.types.StructType;

/**
 * The Kafka topics {@code <prefix><topic>} that {@code stream-data --to kafka://} fills, read with
 * Spark's Kafka source: committed records only ({@code read_committed}: a slice is all there or not
 * at all), from the earliest offset, each value parsed with the topic's explicit schema.
 */
public final class KafkaInput implements QueryInput {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final KafkaAddress address;
  private final String prefix;
  private final KafkaTopics topics;

  /**
   * Connects to the cluster.
   *
   * @throws edu.dsc650.BadInputException if it cannot be reached (nothing was changed)
   */
  public KafkaInput(KafkaAddress address, String prefix) {
    this.address = address;
    this.prefix = prefix;
    this.topics = KafkaTopics.connect(address);
  }

  String kafkaTopic(String topic) {
    return KafkaAddress.topic(prefix, topic);
  }

  @Override
  public Dataset<Row> stream(SparkSession spark, String topic, StructType schema) {
    return spark
        .readStream()
        .format("kafka")
        .option("kafka.bootstrap.servers", address.bootstrap())
        .option("subscribe", kafkaTopic(topic))
        .option("startingOffsets", "earliest")
        .option("kafka.isolation.level", "read_committed")
        // A batch ends at a transaction marker, which a read_committed fetch never returns: the
        // broker then holds the fetch for fetch.max.wait.ms (500 ms by default) waiting for data
        // that will not come before the next slice. Every micro-batch paid it.
        .option("kafka.fetch.max.wait.ms", "10")
        .load()
        .select(
            from_json(
                    col("value").cast("string"),
                    schema,
                    Map.of("timestampFormat", JsonRows.TIMESTAMP_PATTERN))
                .as("row"))
        .select("row.*");
  }

  /** The records are JSON of the BDD topics' columns: other topics cannot be read. */
  @Override
  public StructType publishedSchema(SparkSession spark, String topic) {
    throw new edu.dsc650.BadInputException(
        "reads '"
            + topic
            + "', which is not a BDD topic; with --from kafka:// the views are "
            + "accelerations and locations only");
  }

  @Override
  public List<String> missing(SparkSession spark, List<String> sourceTopics) {
    try {
      List<String> wanted = sourceTopics.stream().map(this::kafkaTopic).toList();
      Set<String> there = topics.existing(wanted);
      return wanted.stream()
          .filter(t -> !there.contains(t))
          .map(t -> "Kafka topic " + t + " at " + address)
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Compares each query's Kafka offsets (its last progress: the next offset to read, per partition)
   * with the end offsets replay.json records for the run.
   */
  @Override
  public String unconsumed(List<StreamingQuery> queries, ReplayManifest replay) {
    if (replay.kafka() == null || replay.kafka().endOffsets() == null) {
      return "replay run "
          + replay.runId()
          + " did not publish to Kafka (replay.json has no end offsets): "
          + "run stream-data with --to "
          + address;
    }
    Map<String, Map<Integer, Long>> ends = replay.kafka().endOffsets();
    List<String> short_ = new ArrayList<>();
    for (StreamingQuery q : queries) {
      Map<String, Map<Integer, Long>> read = offsetsRead(q.lastProgress());
      if (read.isEmpty()) {
        short_.add(q.name() + " has read nothing");
      }
      for (Map.Entry<String, Map<Integer, Long>> topic : read.entrySet()) {
        Map<Integer, Long> end = ends.get(topic.getKey());
        if (end == null) {
          return "replay run "
              + replay.runId()
              + " published to "
              + ends.keySet()
              + ", not to "
              + topic.getKey()
              + " (--topic-prefix)";
        }
        end.forEach(
            (partition, offset) -> {
              long at = topic.getValue().getOrDefault(partition, 0L);
              if (at < offset) {
                short_.add(
                    q.name()
                        + " at "
                        + topic.getKey()
                        + "/"
                        + partition
                        + ": "
                        + at
                        + " of "
                        + offset);
              }
            });
      }
    }
    return short_.isEmpty()
        ? null
        : "not read to the replay's end offsets: " + String.join(", ", short_);
  }

  /**
   * The Kafka offsets a query has read up to, from its progress: topic to partition to next offset.
   */
  static Map<String, Map<Integer, Long>> offsetsRead(StreamingQueryProgress progress) {
    Map<String, Map<Integer, Long>> read = new java.util.TreeMap<>();
    if (progress == null) {
      return read;
    }
    for (SourceProgress source : progress.sources()) {
      if (source.endOffset() == null) {
        continue;
      }
      try {
        JsonNode offsets = JSON.readTree(source.endOffset());
        if (!isKafkaOffset(offsets)) {
          continue; // another source of the query: the end-of-stream markers' folder
        }
        for (Iterator<Map.Entry<String, JsonNode>> t = offsets.fields(); t.hasNext(); ) {
          Map.Entry<String, JsonNode> topic = t.next();
          Map<Integer, Long> partitions =
              read.computeIfAbsent(topic.getKey(), k -> new java.util.TreeMap<>());
          topic
              .getValue()
              .fields()
              .forEachRemaining(
                  p ->
                      partitions.merge(
                          Integer.parseInt(p.getKey()), p.getValue().asLong(), Math::max));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return read;
  }

  /** Kafka's offsets are topic to partition to offset: {@code {"t": {"0": 42}}}. */
  private static boolean isKafkaOffset(JsonNode offsets) {
    if (offsets == null || !offsets.isObject() || offsets.isEmpty()) {
      return false;
    }
    for (Iterator<JsonNode> topics = offsets.elements(); topics.hasNext(); ) {
      JsonNode partitions = topics.next();
      if (!partitions.isObject()) {
        return false;
      }
    }
    return true;
  }

  /**
   * An idle look is one latest-offsets request to the broker: cheap, so sooner than with files
   * (simple alone, live at 1x: p50 0.40 s at 20 ms; docs/kafka.md).
   */
  @Override
  public String pollingDelay() {
    return "50ms";
  }

  @Override
  public String describe() {
    return "Kafka topics " + prefix + "<topic> at " + address;
  }

  @Override
  public void close() {
    topics.close();
  }
}
