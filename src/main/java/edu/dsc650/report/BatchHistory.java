package edu.dsc650.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * the oldest slice it read (the slice that waited longest); which slices a batch read comes from the
 * query's own checkpoint: each file source's log names the files of each of its batches.
 */
public final class BatchHistory {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One micro-batch; {@code latencyMs} is null when it read no slice (an idle or marker batch). */
  public record Batch(long batchId, long endMillis, long inputRows, long durationMs, Double latencyMs) {}

  private BatchHistory() {}

  /**
   * @param progressFolder {@code progress/<query>}: the JSON lines of each session of this query
   * @param streamingQuery the streaming query's name ({@code simple-locations})
   * @param checkpoint its checkpoint folder
   * @param records the replay's slice records: each slice's due instant and rows
   */
  public static List<Batch> read(Storage storage, Path progressFolder, String streamingQuery, Path checkpoint,
      List<SliceRecord> records) throws IOException {
    Map<String, Instant> dueBySlice = new HashMap<>();
    Map<String, Long> rowsBySlice = new HashMap<>();
    for (SliceRecord r : records) {
      rowsBySlice.put(r.topic() + "/" + r.slice(), r.rows());
      if (r.due() != null) {
        dueBySlice.put(r.topic() + "/" + r.slice(), Instant.parse(r.due()));
      }
    }
    Map<Long, JsonNode> progress = new TreeMap<>(); // by batch id; a re-run batch's last report wins
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
    List<Map<Long, List<String>>> sourceLogs = new ArrayList<>();
    List<Batch> batches = new ArrayList<>();
    for (JsonNode p : progress.values()) {
      long duration = p.path("durationMs").path("triggerExecution").asLong();
      long end = Instant.parse(p.path("timestamp").asText()).toEpochMilli() + duration;
      Instant oldestDue = null;
      long sliceRows = 0;
      JsonNode sources = p.path("sources");
      for (int i = 0; i < sources.size(); i++) {
        while (sourceLogs.size() <= i) {
          sourceLogs.add(sourceLog(storage, new Path(new Path(checkpoint, "sources"), Integer.toString(sourceLogs.size()))));
        }
        long from = logOffset(sources.get(i).path("startOffset"));
        long to = logOffset(sources.get(i).path("endOffset"));
        for (long b = from + 1; b <= to; b++) {
          for (String slice : sourceLogs.get(i).getOrDefault(b, List.of())) {
            sliceRows += rowsBySlice.getOrDefault(slice, 0L);
            Instant due = dueBySlice.get(slice);
            if (due != null && (oldestDue == null || due.isBefore(oldestDue))) {
              oldestDue = due;
            }
          }
        }
      }
      // Spark counts no input rows for a query whose sources are unions (joined reads input and its
      // end-of-stream markers as one); the slices it read say how many there were.
      long rows = p.path("numInputRows").asLong();
      batches.add(new Batch(p.path("batchId").asLong(), end, rows > 0 ? rows : sliceRows, duration,
          oldestDue == null ? null : (double) (end - oldestDue.toEpochMilli())));
    }
    return batches;
  }

  /** A file source's offset: {@code {"logOffset": n}}; -1 before its first batch. */
  private static long logOffset(JsonNode offset) {
    if (offset == null || offset.isNull() || offset.isMissingNode()) {
      return -1;
    }
    if (offset.isTextual()) { // some Spark versions report the offset as JSON text
      try {
        offset = JSON.readTree(offset.asText());
      } catch (IOException e) {
        return -1;
      }
    }
    return offset.path("logOffset").asLong(-1);
  }

  /**
   * A file source's log ({@code sources/<i>}): for each of its batch ids the slices its files are in,
   * as {@code <topic>/<folder>}. Compact files hold every entry up to them; entries repeat, so the
   * union of all files is the log.
   */
  private static Map<Long, List<String>> sourceLog(Storage storage, Path folder) throws IOException {
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

  /** Each whole line of JSON; a line cut short by a kill is skipped. */
  private static List<JsonNode> wholeLines(byte[] content) {
    List<JsonNode> nodes = new ArrayList<>();
    String text = new String(content, StandardCharsets.UTF_8);
    for (String line : text.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      try {
        nodes.add(JSON.readTree(line));
      } catch (IOException cut) {
        // the last line of a killed session
      }
    }
    return nodes;
  }
}
