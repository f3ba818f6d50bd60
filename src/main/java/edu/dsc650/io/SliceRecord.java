package edu.dsc650.io;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
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
 * @param batch the slice's number among its topic's slices in this run, from 0: with files, its
 *     batch in the topic's publish log ({@link PublishLog}); null in records of earlier versions
 * @param speedup the speed-up the run went at when the slice became due (it changes when the run is
 *     steered); null at max speed
 * @param pausedSeconds the time the run was paused before the slice was due: its rows' timestamps
 *     are S + offset + this (0 in records of earlier versions)
 * @param transactionMs with {@code --to kafka://}: how long the transaction of the slice's instant
 *     took, from its begin to its commit (one transaction per instant, all its slices); else absent
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({
  "run_id",
  "topic",
  "slice",
  "batch",
  "t",
  "due",
  "published",
  "lag_ms",
  "speedup",
  "paused_s",
  "files",
  "rows",
  "kafka_offsets",
  "txn_ms"
})
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
    @JsonProperty("kafka_offsets")
        @com.fasterxml.jackson.annotation.JsonInclude(
            com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
        java.util.Map<Integer, Long> kafkaOffsets,
    @JsonProperty("batch")
        @com.fasterxml.jackson.annotation.JsonInclude(
            com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
        Long batch,
    @JsonProperty("speedup")
        @com.fasterxml.jackson.annotation.JsonInclude(
            com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
        Double speedup,
    @JsonProperty("paused_s") double pausedSeconds,
    @JsonProperty("txn_ms")
        @com.fasterxml.jackson.annotation.JsonInclude(
            com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
        Double transactionMs) {

  /** A slice of a run that was not steered. */
  public SliceRecord(
      String runId,
      String topic,
      String slice,
      double t,
      String due,
      String published,
      Double lagMs,
      int files,
      long rows,
      java.util.Map<Integer, Long> kafkaOffsets,
      Long batch) {
    this(
        runId,
        topic,
        slice,
        t,
        due,
        published,
        lagMs,
        files,
        rows,
        kafkaOffsets,
        batch,
        null,
        0,
        null);
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Writes the records of one replay run, a line each; each {@link #append} is visible at once. A
   * file that reaches its line limit (an endless run) is moved to {@code <name>.1} (replacing the
   * one there) and begun anew, so at most twice the limit is kept.
   */
  public static final class Writer implements AutoCloseable {
    private final Storage storage;
    private final Path file;
    private final long maxLines;
    private OutputStream out;
    private long lines;

    /** Replaces the file left by an earlier run; keeps every line. */
    public Writer(Storage storage, Path file) throws IOException {
      this(storage, file, Long.MAX_VALUE);
    }

    /**
     * Replaces the file left by an earlier run (and its older part); rotates every {@code maxLines}
     * lines.
     */
    public Writer(Storage storage, Path file, long maxLines) throws IOException {
      this.storage = storage;
      this.file = file;
      this.maxLines = maxLines;
      storage.deleteRecursively(older(file));
      this.out = storage.createForLines(file);
    }

    /** Where a rotated file's lines go: {@code replay-slices.jsonl.1}. */
    public static Path older(Path file) {
      return new Path(file.getParent(), file.getName() + ".1");
    }

    /** Appends the records of one moment with one write, then makes them visible. */
    public void append(List<SliceRecord> records) throws IOException {
      if (lines >= maxLines) {
        out.close();
        storage.deleteRecursively(older(file));
        storage.rename(file, older(file));
        out = storage.createForLines(file);
        lines = 0;
      }
      StringBuilder text = new StringBuilder();
      for (SliceRecord r : records) {
        text.append(JSON.writeValueAsString(r)).append('\n');
      }
      out.write(text.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      lines += records.size();
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
    return JsonLines.read(storage, file, SliceRecord.class);
  }
}
