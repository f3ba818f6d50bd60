package edu.dsc650.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import edu.dsc650.io.JsonLines;
import edu.dsc650.io.SliceRecord;
import edu.dsc650.io.Storage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.Path;

/**
 * Every micro-batch of one streaming query, from the progress run-query kept: when it ended, its
 * input rows, its duration, and its latency. A batch's latency is its end minus the due instant of
 * the oldest slice it read (the slice that waited longest). Which slices a batch read: a published
 * source's offsets are publish-log batches, one per slice of its topic in publishing order; a file
 * source's checkpoint log names the files of each of its batches. A Kafka source's progress gives
 * the offsets a batch read from; a slice is in it if the offset after its last record ({@code
 * kafka_offsets} of its slice record) lies in that range.
 */
public final class BatchHistory {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One micro-batch; {@code latencyMs} is null when it read no slice (an idle or marker batch). */
  public record Batch(
      long batchId, long endMillis, long inputRows, long durationMs, Double latencyMs) {}

  private BatchHistory() {}

  /**
   * @param progressFolder {@code progress/<query>}: the JSON lines of each session of this query
   * @param streamingQuery the streaming query's name ({@code simple})
   * @param checkpoint its checkpoint folder
   * @param records the replay's slice records: each slice's due instant and rows
   */
  public static List<Batch> read(
      Storage storage,
      Path progressFolder,
      String streamingQuery,
      Path checkpoint,
      List<SliceRecord> records)
      throws IOException {
    return read(storage, progressFolder, streamingQuery, checkpoint, records, Map.of());
  }

  /**
   * As above, for a replay into Kafka too.
   *
   * @param kafkaTopics each Kafka topic's source topic (replay.json's {@code kafka.topics},
   *     inverted)
   */
  public static List<Batch> read(
      Storage storage,
      Path progressFolder,
      String streamingQuery,
      Path checkpoint,
      List<SliceRecord> records,
      Map<String, String> kafkaTopics)
      throws IOException {
    SliceIndex index = SliceIndex.of(records);
    List<Map<Long, List<String>>> sourceLogs = new ArrayList<>();
    List<Batch> batches = new ArrayList<>();
    for (JsonNode p : progress(storage, progressFolder, streamingQuery).values()) {
      long duration = p.path("durationMs").path("triggerExecution").asLong();
      long end = Instant.parse(p.path("timestamp").asText()).toEpochMilli() + duration;
      SlicesRead read = new SlicesRead();
      JsonNode sources = p.path("sources");
      for (int i = 0; i < sources.size(); i++) {
        JsonNode source = sources.get(i);
        String description = source.path("description").asText();
        if (description.startsWith("PublishedSource[")) {
          String topic =
              new Path(description.substring("PublishedSource[".length(), description.length() - 1))
                  .getName();
          Map<Long, SliceRecord> slices = index.byBatch().getOrDefault(topic, Map.of());
          long to = publishedBatch(source.path("endOffset"));
          for (long b = publishedBatch(source.path("startOffset")) + 1; b <= to; b++) {
            read.add(slices.get(b)); // null: a record rotated out of replay-slices.jsonl
          }
        } else if (description.startsWith("KafkaV2")) {
          kafkaSlices(source, records, kafkaTopics).forEach(read::add);
        } else {
          while (sourceLogs.size() <= i) {
            Path log = new Path(new Path(checkpoint, "sources"), "" + sourceLogs.size());
            sourceLogs.add(sourceLog(storage, log));
          }
          long to = logOffset(source.path("endOffset"));
          for (long b = logOffset(source.path("startOffset")) + 1; b <= to; b++) {
            sourceLogs.get(i).getOrDefault(b, List.of()).forEach(slice -> read.add(index, slice));
          }
        }
      }
      // Spark counts no input rows for a query whose sources are unions (joined reads input and its
      // end-of-stream markers as one); the slices it read say how many there were.
      long rows = p.path("numInputRows").asLong();
      batches.add(
          new Batch(
              p.path("batchId").asLong(),
              end,
              rows > 0 ? rows : read.rows,
              duration,
              read.oldestDue == null ? null : (double) (end - read.oldestDue.toEpochMilli())));
    }
    return batches;
  }

  /** A query's progress reports by batch id; a re-run batch's last report wins. */
  private static Map<Long, JsonNode> progress(
      Storage storage, Path progressFolder, String streamingQuery) throws IOException {
    Map<Long, JsonNode> progress = new TreeMap<>();
    if (storage.isDirectory(progressFolder)) {
      for (Storage.Entry e : storage.list(progressFolder)) {
        if (e.name().startsWith(streamingQuery + "-") && e.name().endsWith(".jsonl")) {
          for (JsonNode p : wholeLines(storage.readAll(e.path()))) {
            if (streamingQuery.equals(p.path("name").asText())) {
              progress.put(p.path("batchId").asLong(), p);
            }
          }
        }
      }
    }
    return progress;
  }

  /**
   * The slice records by "topic/slice" and by publish-log batch: batch n of a topic is the topic's
   * slice n (its record's batch; in records of earlier versions, the topic's n-th record).
   */
  private record SliceIndex(
      Map<String, SliceRecord> bySlice, Map<String, Map<Long, SliceRecord>> byBatch) {
    static SliceIndex of(List<SliceRecord> records) {
      Map<String, SliceRecord> bySlice = new HashMap<>();
      Map<String, Map<Long, SliceRecord>> byBatch = new HashMap<>();
      for (SliceRecord r : records) {
        bySlice.put(r.topic() + "/" + r.slice(), r);
        Map<Long, SliceRecord> topic = byBatch.computeIfAbsent(r.topic(), t -> new HashMap<>());
        topic.put(r.batch() != null ? r.batch() : topic.size(), r);
      }
      return new SliceIndex(bySlice, byBatch);
    }
  }

  /** What the slices a batch read add up to: their rows, and the oldest one's due instant. */
  private static final class SlicesRead {
    long rows;
    Instant oldestDue;

    void add(SliceRecord slice) {
      if (slice == null) {
        return;
      }
      rows += slice.rows();
      Instant due = slice.due() == null ? null : Instant.parse(slice.due());
      if (due != null && (oldestDue == null || due.isBefore(oldestDue))) {
        oldestDue = due;
      }
    }

    void add(SliceIndex index, String slice) {
      add(index.bySlice().get(slice));
    }
  }

  /**
   * The slices a Kafka source's batch read: those whose end offset lies in (start, end] on a
   * partition.
   */
  private static List<SliceRecord> kafkaSlices(
      JsonNode source, List<SliceRecord> records, Map<String, String> kafkaTopics) {
    Map<String, Map<Integer, Long>> start = kafkaOffsets(source.path("startOffset"));
    Map<String, Map<Integer, Long>> end = kafkaOffsets(source.path("endOffset"));
    List<SliceRecord> read = new ArrayList<>();
    for (Map.Entry<String, Map<Integer, Long>> topic : end.entrySet()) {
      String sourceTopic = kafkaTopics.get(topic.getKey());
      Map<Integer, Long> from = start.getOrDefault(topic.getKey(), Map.of());
      for (SliceRecord r : records) {
        if (!r.topic().equals(sourceTopic) || r.kafkaOffsets() == null) {
          continue;
        }
        boolean in =
            r.kafkaOffsets().entrySet().stream()
                .anyMatch(
                    o ->
                        o.getValue() > from.getOrDefault(o.getKey(), 0L)
                            && o.getValue() <= topic.getValue().getOrDefault(o.getKey(), 0L));
        if (in) {
          read.add(r);
        }
      }
    }
    return read;
  }

  /** A Kafka source's offsets: {@code {"topic": {"0": n}}}; empty before its first batch. */
  private static Map<String, Map<Integer, Long>> kafkaOffsets(JsonNode offset) {
    Map<String, Map<Integer, Long>> offsets = new HashMap<>();
    JsonNode node = asJson(offset);
    if (node == null) {
      return offsets;
    }
    node.fields()
        .forEachRemaining(
            t ->
                t.getValue()
                    .fields()
                    .forEachRemaining(
                        p ->
                            offsets
                                .computeIfAbsent(t.getKey(), k -> new HashMap<>())
                                .put(Integer.parseInt(p.getKey()), p.getValue().asLong())));
    return offsets;
  }

  /** An offset as JSON: some Spark versions report it as JSON text; null if there is none. */
  private static JsonNode asJson(JsonNode offset) {
    if (offset == null || offset.isNull() || offset.isMissingNode()) {
      return null;
    }
    if (offset.isTextual()) {
      try {
        return JSON.readTree(offset.asText());
      } catch (IOException e) {
        return null;
      }
    }
    return offset;
  }

  /** A published source's offset: {@code {"run": r, "batch": n}}; -1 before its first batch. */
  private static long publishedBatch(JsonNode offset) {
    JsonNode node = asJson(offset);
    return node == null ? -1 : node.path("batch").asLong(-1);
  }

  /** A file source's offset: {@code {"logOffset": n}}; -1 before its first batch. */
  private static long logOffset(JsonNode offset) {
    JsonNode node = asJson(offset);
    return node == null ? -1 : node.path("logOffset").asLong(-1);
  }

  /**
   * A file source's log ({@code sources/<i>}): for each of its batch ids the slices its files are
   * in, as {@code <topic>/<folder>}. Compact files hold every entry up to them; entries repeat, so
   * the union of all files is the log.
   */
  private static Map<Long, List<String>> sourceLog(Storage storage, Path folder)
      throws IOException {
    Map<Long, List<String>> slices = new HashMap<>();
    if (!storage.isDirectory(folder)) {
      return slices;
    }
    Map<Long, java.util.Set<String>> seen = new HashMap<>();
    for (Storage.Entry e : storage.list(folder)) {
      if (e.directory() || e.name().startsWith(".") || e.name().endsWith(".crc")) {
        continue;
      }
      String text = new String(storage.readAll(e.path()), StandardCharsets.UTF_8);
      for (String line : text.split("\n")) {
        if (!line.startsWith("{")) {
          continue; // the version line "v1"
        }
        JsonNode entry;
        try {
          entry = JSON.readTree(line);
        } catch (IOException cut) {
          continue;
        }
        if (!entry.hasNonNull("path")) {
          continue; // not a file source's log (a Kafka source keeps its first offsets there)
        }
        Path file = new Path(entry.path("path").asText());
        Path dir = file.getParent();
        if (dir == null || dir.getParent() == null || !dir.getName().startsWith("t=")) {
          continue; // an end-of-stream marker, not a slice
        }
        String slice = dir.getParent().getName() + "/" + dir.getName();
        long batch = entry.path("batchId").asLong();
        if (seen.computeIfAbsent(batch, b -> new java.util.HashSet<>()).add(slice)) {
          slices.computeIfAbsent(batch, b -> new ArrayList<>()).add(slice);
        }
      }
    }
    return slices;
  }

  /**
   * Each whole line of JSON ({@link JsonLines}); a line that does not parse is skipped too: a page
   * of charts shows what it can of a killed session's progress rather than nothing.
   */
  private static List<JsonNode> wholeLines(byte[] content) {
    List<JsonNode> nodes = new ArrayList<>();
    for (String line : JsonLines.whole(content)) {
      try {
        nodes.add(JSON.readTree(line));
      } catch (IOException cut) {
        // a line cut short by a kill, then ended by a later writer
      }
    }
    return nodes;
  }
}
