package edu.dsc650.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import edu.dsc650.io.JsonLines;
import edu.dsc650.io.ResultsLayout;
import edu.dsc650.io.SliceLatency;
import edu.dsc650.io.Storage;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.Path;

/**
 * Every micro-batch of one streaming query, from what run-query kept: when it ended, its input
 * rows, its duration (its progress, {@code progress/<query>/}), and its latency: that of the oldest
 * slice it read, as run-query wrote it ({@code progress/<query>/latency/}, {@link SliceLatency}).
 */
public final class BatchHistory {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One micro-batch; {@code latencyMs} is null when it read no slice (an idle or marker batch). */
  public record Batch(
      long batchId, long endMillis, long inputRows, long durationMs, Double latencyMs) {}

  private BatchHistory() {}

  /** The batches of the streaming query {@code name} (each query is one, named as it is). */
  public static List<Batch> read(Storage storage, ResultsLayout layout, String name)
      throws IOException {
    Map<Long, SlicesRead> slices = slicesRead(storage, layout.latency(name), name);
    List<Batch> batches = new ArrayList<>();
    for (JsonNode p : progress(storage, layout.progress(name), name).values()) {
      long duration = p.path("durationMs").path("triggerExecution").asLong();
      long end = Instant.parse(p.path("timestamp").asText()).toEpochMilli() + duration;
      SlicesRead read = slices.getOrDefault(p.path("batchId").asLong(), new SlicesRead());
      // Spark counts no input rows for a query whose sources are unions (joined reads input and its
      // end-of-stream markers as one); the slices it read say how many there were.
      long rows = p.path("numInputRows").asLong();
      batches.add(
          new Batch(
              p.path("batchId").asLong(),
              end,
              rows > 0 ? rows : read.rows,
              duration,
              read.latencyMs == null ? null : read.latencyMs.doubleValue()));
    }
    return batches;
  }

  /** What the slices a batch read add up to: their rows, and the oldest one's latency. */
  private static final class SlicesRead {
    long rows;
    Long latencyMs;

    void add(SliceLatency slice) {
      rows += slice.rows();
      if (slice.latencyMs() != null && (latencyMs == null || slice.latencyMs() > latencyMs)) {
        latencyMs = slice.latencyMs();
      }
    }
  }

  /** The slices each batch read, by batch id; a re-run batch's slices are counted once. */
  private static Map<Long, SlicesRead> slicesRead(Storage storage, Path folder, String name)
      throws IOException {
    Map<String, SliceLatency> lines = new HashMap<>();
    for (Path file : files(storage, folder, name)) {
      for (SliceLatency line : SliceLatency.readAll(storage, file)) {
        lines.put(line.batch() + "/" + line.topic() + "/" + line.slice(), line);
      }
    }
    Map<Long, SlicesRead> byBatch = new HashMap<>();
    for (SliceLatency line : lines.values()) {
      byBatch.computeIfAbsent(line.batch(), b -> new SlicesRead()).add(line);
    }
    return byBatch;
  }

  /** A query's progress reports by batch id; a re-run batch's last report wins. */
  private static Map<Long, JsonNode> progress(Storage storage, Path folder, String name)
      throws IOException {
    Map<Long, JsonNode> progress = new TreeMap<>();
    for (Path file : files(storage, folder, name)) {
      for (JsonNode p : wholeLines(storage.readAll(file))) {
        if (name.equals(p.path("name").asText())) {
          progress.put(p.path("batchId").asLong(), p);
        }
      }
    }
    return progress;
  }

  /** The JSON-lines files of a streaming query in {@code folder}, one or more per session. */
  private static List<Path> files(Storage storage, Path folder, String name) throws IOException {
    List<Path> files = new ArrayList<>();
    if (storage.isDirectory(folder)) {
      for (Storage.Entry e : storage.list(folder)) {
        if (!e.directory() && e.name().startsWith(name + "-") && e.name().endsWith(".jsonl")) {
          files.add(e.path());
        }
      }
    }
    return files;
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
