package edu.dsc650.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A topic's records read back with a plain Kafka consumer (no Spark, none of the replayer's code),
 * and the source rows they must be: the tests' independent view of a Kafka replay.
 */
public final class KafkaRecords {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One record: where it is, its key, its value parsed (columns in order), its timestamp. */
  public record Rec(
      int partition, long offset, String key, Map<String, Object> value, long timestampMillis) {}

  private KafkaRecords() {}

  /**
   * Every record of {@code topic} up to its end: with {@code committedOnly}, as a {@code
   * read_committed} consumer sees them (up to the last stable offset), else every record written,
   * aborted or open transactions included.
   */
  @SuppressWarnings("unchecked")
  public static List<Rec> read(String bootstrap, String topic, boolean committedOnly) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(
        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
        committedOnly ? "read_committed" : "read_uncommitted");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<Rec> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
        partitions.add(new TopicPartition(topic, info.partition()));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      // the isolation level decides the end: the last stable offset for read_committed
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        assertTrue(System.nanoTime() < deadline, "read " + topic + " to " + end + " within 60 s");
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          try {
            records.add(
                new Rec(
                    r.partition(),
                    r.offset(),
                    r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8),
                    JSON.readValue(r.value(), LinkedHashMap.class),
                    r.timestamp()));
          } catch (IOException e) {
            throw new AssertionError("record " + r.offset() + " of " + topic + " is not JSON", e);
          }
        }
      }
    }
    return records;
  }

  /**
   * A record's value as the source row it must be, for comparison with {@link #sourceRow}: columns
   * in order, the timestamp as microseconds since the epoch.
   */
  public static String canonical(Map<String, Object> value) {
    Map<String, Object> row = new LinkedHashMap<>(value);
    Object ts = row.get("timestamp");
    if (ts != null) {
      row.put("timestamp", ChronoUnit.MICROS.between(Instant.EPOCH, Instant.parse((String) ts)));
    }
    return row.toString();
  }

  /**
   * A source row (ParquetRows, timestamps set by {@link Replayed#withTimestamps}) in the same form.
   */
  public static String sourceRow(Map<String, Object> row) {
    return row.toString();
  }

  /** The rows the replay of {@code source} must publish to {@code topic}, as a multiset. */
  public static Map<String, Long> expected(Path source, String topic, long startMicros)
      throws IOException {
    Map<String, Long> rows = new HashMap<>();
    for (Path file : ParquetRows.files(source.resolve(topic))) {
      for (Map<String, Object> row : Replayed.withTimestamps(ParquetRows.read(file), startMicros)) {
        rows.merge(sourceRow(row), 1L, Long::sum);
      }
    }
    return rows;
  }

  /** Records as a multiset of canonical rows. */
  public static Map<String, Long> multiset(List<Rec> records) {
    return records.stream()
        .collect(Collectors.groupingBy(r -> canonical(r.value()), Collectors.counting()));
  }
}
