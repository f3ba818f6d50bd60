package edu.dsc650.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import edu.dsc650.io.SliceLatency;
import edu.dsc650.io.SliceRecord;
import edu.dsc650.io.Storage;
import edu.dsc650.query.spark.PublishedOffset;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.streaming.SourceProgress;
import org.apache.spark.sql.streaming.StreamingQueryProgress;

/**
 * Which slices a micro-batch read, from the offsets in its progress, and each one's latency ({@link
 * SliceLatency}). A published source's offsets are publish-log batches, batch n of a topic being
 * the topic's slice n; a Kafka source's offsets are per partition, and a slice is in a batch if the
 * offset after its last record ({@code kafka_offsets} of its slice record) lies in (start, end].
 * The slice records are the replay's ({@code replay-slices.jsonl}), read again when a batch reads a
 * slice not yet known.
 */
final class BatchSlices {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Supplier<List<SliceRecord>> readRecords;
  private final Supplier<Map<String, String>> readKafkaTopics;
  private Map<String, String> kafkaTopics = Map.of();
  private Map<String, SliceRecord> byBatch = Map.of();
  private List<SliceRecord> records = List.of();

  /**
   * @param readRecords the replay's slice records as they are now
   * @param readKafkaTopics each Kafka topic's source topic (replay.json's {@code kafka.topics},
   *     inverted) as they are now; empty for files
   */
  BatchSlices(
      Supplier<List<SliceRecord>> readRecords, Supplier<Map<String, String>> readKafkaTopics) {
    this.readRecords = readRecords;
    this.readKafkaTopics = readKafkaTopics;
  }

  /** Reads {@code replay-slices.jsonl} and its rotated part; none if there are none. */
  static Supplier<List<SliceRecord>> recordsIn(Storage storage, Path file) {
    return () -> {
      List<SliceRecord> all = new ArrayList<>();
      try {
        for (Path f : List.of(SliceRecord.Writer.older(file), file)) {
          if (storage.exists(f)) {
            all.addAll(SliceRecord.readAll(storage, f));
          }
        }
      } catch (IOException e) {
        // a slice whose record cannot be read has no latency; the batch goes on
      }
      return all;
    };
  }

  /**
   * The slices of a batch, from Spark's progress: those of its slices whose records are known, and
   * of earlier batches those whose records were not known then.
   */
  synchronized List<SliceLatency> of(StreamingQueryProgress p) {
    List<String[]> offsets = new ArrayList<>();
    for (SourceProgress source : p.sources()) {
      offsets.add(new String[] {source.startOffset(), source.endOffset()});
    }
    Long duration = p.durationMs().get("triggerExecution");
    Instant end = Instant.parse(p.timestamp()).plusMillis(duration == null ? 0 : duration);
    return of(p.name(), p.batchId(), end, offsets);
  }

  /**
   * As {@link #of(StreamingQueryProgress)}: batch {@code batch} of {@code query} ended at {@code
   * end}, its sources having gone from {start, end} offsets (Spark's JSON, null before a first
   * batch). A batch's lines wait while one of its slices has no record yet (stream-data records a
   * slice just after publishing it), up to {@link #PATIENCE}.
   */
  synchronized List<SliceLatency> of(
      String query, long batch, Instant end, List<String[]> sourceOffsets) {
    pending.add(new Batch(query, batch, end, sourceOffsets));
    return resolve(end, false);
  }

  /** The lines of the batches still waiting, with the slices whose records are known now. */
  synchronized List<SliceLatency> rest() {
    reload();
    return resolve(null, true);
  }

  /** How long a batch's lines wait for a slice record that is not there yet. */
  static final java.time.Duration PATIENCE = java.time.Duration.ofSeconds(30);

  private record Batch(String query, long batch, Instant end, List<String[]> sourceOffsets) {}

  private final List<Batch> pending = new ArrayList<>();

  private List<SliceLatency> resolve(Instant now, boolean last) {
    List<SliceLatency> lines = new ArrayList<>();
    boolean reloaded = false;
    for (java.util.Iterator<Batch> it = pending.iterator(); it.hasNext(); ) {
      Batch b = it.next();
      List<SliceRecord> read = read(b.sourceOffsets());
      if (read.contains(null) && !reloaded && !last) {
        reload(); // a slice published after the records were last read
        reloaded = true;
        read = read(b.sourceOffsets());
      }
      boolean waitedEnough = last || b.end().plus(PATIENCE).isBefore(now);
      if (!read.contains(null) || waitedEnough) {
        it.remove();
        lines.addAll(latencies(b, read));
      }
    }
    return lines;
  }

  private static List<SliceLatency> latencies(Batch b, List<SliceRecord> read) {
    List<SliceLatency> lines = new ArrayList<>();
    for (SliceRecord r : read) {
      if (r != null) {
        Long latency =
            r.due() == null ? null : b.end().toEpochMilli() - Instant.parse(r.due()).toEpochMilli();
        lines.add(
            new SliceLatency(
                b.query(),
                b.batch(),
                r.topic(),
                r.slice(),
                r.due(),
                b.end().toString(),
                latency,
                r.rows()));
      }
    }
    return lines;
  }

  private List<SliceRecord> read(List<String[]> sourceOffsets) {
    List<SliceRecord> read = new ArrayList<>();
    for (String[] offsets : sourceOffsets) {
      PublishedOffset to = PublishedOffset.ofTopicOrNull(offsets[1]);
      if (to != null) {
        PublishedOffset from = PublishedOffset.ofTopicOrNull(offsets[0]);
        // a first batch reads from the oldest batch the log held (an endless run keeps the last)
        long first = from != null ? from.batch() + 1 : to.first().orElse(0);
        for (long b = first; b <= to.batch(); b++) {
          read.add(byBatch.get(key(to.run(), to.topic(), b)));
        }
      } else {
        read.addAll(kafkaSlices(asJson(offsets[0]), asJson(offsets[1])));
      }
    }
    return read;
  }

  private void reload() {
    kafkaTopics = readKafkaTopics.get();
    records = readRecords.get();
    Map<String, SliceRecord> index = new HashMap<>();
    Map<String, Long> counts = new HashMap<>();
    for (SliceRecord r : records) {
      // records of earlier versions have no batch: a topic's n-th record is its batch n
      long n = counts.merge(r.runId() + "/" + r.topic(), 1L, Long::sum) - 1;
      index.put(key(r.runId(), r.topic(), r.batch() != null ? r.batch() : n), r);
    }
    byBatch = index;
  }

  private static String key(String run, String topic, long batch) {
    return run + "/" + topic + "/" + batch;
  }

  /**
   * A Kafka source's slices: those whose end offset lies in (start, end] on a partition; a null for
   * each partition read past the last known slice (a record not read yet).
   */
  private List<SliceRecord> kafkaSlices(JsonNode start, JsonNode end) {
    List<SliceRecord> read = new ArrayList<>();
    if (end == null || !isKafkaOffsets(end)) {
      return read; // not a Kafka source (an end-of-stream marker's file source), or nothing read
    }
    end.fields()
        .forEachRemaining(
            topic -> {
              String sourceTopic = kafkaTopics.get(topic.getKey());
              if (sourceTopic == null) {
                read.add(null); // replay.json not read yet, or not this replay's topic
                return;
              }
              JsonNode from = start == null ? null : start.get(topic.getKey());
              long known = 0;
              for (SliceRecord r : records) {
                if (!r.topic().equals(sourceTopic) || r.kafkaOffsets() == null) {
                  continue;
                }
                boolean in = false;
                for (Map.Entry<Integer, Long> o : r.kafkaOffsets().entrySet()) {
                  long after = from == null ? 0 : from.path("" + o.getKey()).asLong(0);
                  long to = topic.getValue().path("" + o.getKey()).asLong(0);
                  in |= o.getValue() > after && o.getValue() <= to;
                  known = Math.max(known, o.getValue());
                }
                if (in) {
                  read.add(r);
                }
              }
              if (readPast(topic.getValue(), known)) {
                read.add(null);
              }
            });
    return read;
  }

  /** True if a partition's offset is past every slice known: a slice whose record is not read. */
  private static boolean readPast(JsonNode partitions, long known) {
    for (JsonNode offset : partitions) {
      if (offset.asLong() > known) {
        return true;
      }
    }
    return false;
  }

  private static boolean isKafkaOffsets(JsonNode node) {
    if (!node.isObject() || node.size() == 0) {
      return false;
    }
    for (JsonNode partitions : node) {
      if (!partitions.isObject()) {
        return false;
      }
    }
    return true;
  }

  /** An offset's JSON; null if there is none. */
  private static JsonNode asJson(String offset) {
    if (offset == null) {
      return null;
    }
    try {
      return JSON.readTree(offset);
    } catch (IOException e) {
      return null;
    }
  }
}
