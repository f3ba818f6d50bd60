package edu.dsc650.io;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.Path;

/**
 * One published slice, as a line of {@code replay-slices.jsonl}: when it was due, when its folder
 * became visible, and what it held. The report charts the publish lag from these.
 *
 * @param due the instant the schedule said (ISO-8601 UTC)
 * @param published the instant its folder became visible in input (ISO-8601 UTC)
 * @param lagMs published − due, in milliseconds; null at max speed (nothing is due)
 * @param kafkaOffsets with {@code --to kafka://}: per partition of the topic, the offset after the
 *     slice's last record (a reader that has read up to it has the whole slice); absent for files
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"run_id", "topic", "slice", "t", "due", "published", "lag_ms", "files", "rows", "kafka_offsets"})
public record SliceRecord(
    @JsonProperty("run_id") String runId,
    @JsonProperty("topic") String topic,
    @JsonProperty("slice") String slice,
    @JsonProperty("t") double t,
    @JsonProperty("due") String due,
    @JsonProperty("published") String published,
    @JsonProperty("lag_ms") Double lagMs,
    @JsonProperty("files") int files,
    @JsonProperty("rows") long rows,
    @JsonProperty("kafka_offsets") @com.fasterxml.jackson.annotation.JsonInclude(
        com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) java.util.Map<Integer, Long> kafkaOffsets) {

  /** A slice published as files. */
  public SliceRecord(String runId, String topic, String slice, double t, String due, String published, Double lagMs,
      int files, long rows) {
    this(runId, topic, slice, t, due, published, lagMs, files, rows, null);
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Writes the records of one replay run, a line each; each {@link #append} is visible at once. */
  public static final class Writer implements AutoCloseable {
    private final OutputStream out;

    /** Replaces the file left by an earlier run. */
    public Writer(Storage storage, Path file) throws IOException {
      this.out = storage.createForLines(file);
    }

    /** Appends the records of one moment with one write, then makes them visible. */
    public void append(List<SliceRecord> records) throws IOException {
      StringBuilder lines = new StringBuilder();
      for (SliceRecord r : records) {
        lines.append(JSON.writeValueAsString(r)).append('\n');
      }
      out.write(lines.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
    }

    @Override
    public void close() throws IOException {
      out.close();
    }
  }

  /**
   * Reads every whole line of the file; a last line cut short (the writer was killed mid-write) is
   * skipped, like a half-written log entry.
   */
  public static List<SliceRecord> readAll(Storage storage, Path file) throws IOException {
    List<SliceRecord> records = new ArrayList<>();
    String text = new String(storage.readAll(file), StandardCharsets.UTF_8);
    int end = text.lastIndexOf('\n');
    for (String line : text.substring(0, end + 1).split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      try {
        records.add(JSON.readValue(line, SliceRecord.class));
      } catch (IOException e) {
        throw new UncheckedIOException("bad line in " + file + ": " + line, e);
      }
    }
    return records;
  }
}
