package edu.dsc650.io;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.Path;

/**
 * A file-sink metadata log, {@code <folder>/_spark_metadata}, for a folder that the replay publishes
 * into: the format of Spark's {@code FileStreamSinkLog} (version 1), as if a Spark file sink had
 * written the files. Spark's file source then reads the files named in this log instead of listing
 * the folder on every trigger ({@code FileStreamSink.hasMetadata}); so do Spark's batch readers.
 * Other readers ignore the {@code _} folder.
 *
 * <p>One log batch per published slice, numbered from 0: a file {@code <n>} holding {@code v1} and one
 * JSON line per file; every {@value #COMPACT_INTERVAL}th batch ({@code (n + 1) % 10 == 0}) is written
 * as {@code <n>.compact} holding every entry so far (or of the batches it retains), as Spark's compaction does. Each batch file is
 * written hidden, then renamed, so a reader sees a whole batch or none. Not thread-safe.
 */
public final class FileSinkLog {
  public static final String FOLDER = "_spark_metadata";
  /** Spark's default {@code spark.sql.streaming.fileSink.log.compactInterval}, which readers assume. */
  static final int COMPACT_INTERVAL = 10;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A published file, as the log names it. */
  public record File(Path path, long size, long modificationTime) {}

  /** One line of the log: Spark's {@code SinkFileStatus}. */
  @JsonPropertyOrder({"path", "size", "isDir", "modificationTime", "blockReplication", "blockSize", "action"})
  private record SinkFileStatus(@JsonProperty("path") String path, @JsonProperty("size") long size,
      @JsonProperty("isDir") boolean isDir, @JsonProperty("modificationTime") long modificationTime,
      @JsonProperty("blockReplication") int blockReplication, @JsonProperty("blockSize") long blockSize,
      @JsonProperty("action") String action) {}

  private final Storage storage;
  private final Path dir;
  private final long retainBatches;
  private final java.util.ArrayDeque<List<String>> retained = new java.util.ArrayDeque<>();
  private long nextBatch;

  private FileSinkLog(Storage storage, Path dir, long retainBatches) {
    this.storage = storage;
    this.dir = dir;
    this.retainBatches = retainBatches;
  }

  /** Starts an empty log in {@code folder} (which must be empty of one): readers then use it from the start. */
  public static FileSinkLog create(Storage storage, Path folder) throws IOException {
    return create(storage, folder, Long.MAX_VALUE);
  }

  /**
   * As {@link #create(Storage, Path)}, with compactions that keep only the entries of the last
   * {@code retainBatches} batches (a file sink's {@code retention}, by batches): a reader that starts
   * later does not find older files through the log. Spark's file source, which remembers what it
   * has read, is not affected.
   */
  public static FileSinkLog create(Storage storage, Path folder, long retainBatches) throws IOException {
    if (retainBatches < 1) {
      throw new IllegalArgumentException("a log must keep at least its last batch: " + retainBatches);
    }
    Path dir = new Path(folder, FOLDER);
    storage.mkdirs(dir);
    return new FileSinkLog(storage, dir, retainBatches);
  }

  /** Adds one batch naming {@code files} (possibly none). */
  public void add(List<File> files) throws IOException {
    long batch = nextBatch++;
    List<String> lines = new ArrayList<>(files.size());
    for (File f : files) {
      lines.add(JSON.writeValueAsString(new SinkFileStatus(f.path().toUri().toString(), f.size(), false,
          f.modificationTime(), 1, 32L << 20, "add")));
    }
    retained.addLast(lines);
    while (retained.size() > retainBatches) {
      retained.removeFirst();
    }
    boolean compact = (batch + 1) % COMPACT_INTERVAL == 0;
    if (compact) {
      List<String> all = new ArrayList<>();
      retained.forEach(all::addAll);
      write(batch + ".compact", all);
    } else {
      write(Long.toString(batch), lines);
    }
  }

  private void write(String name, List<String> lines) throws IOException {
    Path temp = new Path(dir, "." + name + ".tmp");
    storage.deleteRecursively(temp); // left by a run killed while writing it
    // streamed: a compaction of a long run holds every entry, and need not be in memory twice
    try (java.io.Writer out = new java.io.BufferedWriter(new java.io.OutputStreamWriter(
        storage.createForLines(temp), StandardCharsets.UTF_8), 1 << 16)) {
      out.write("v1");
      for (String line : lines) {
        out.write('\n');
        out.write(line);
      }
    }
    storage.rename(temp, new Path(dir, name));
  }
}
