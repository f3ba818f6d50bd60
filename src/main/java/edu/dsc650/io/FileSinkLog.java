package edu.dsc650.io;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.apache.hadoop.fs.Path;

/**
 * A file-sink metadata log, {@code <folder>/_spark_metadata}, for a folder that the replay
 * publishes into: the format of Spark's {@code FileStreamSinkLog} (version 1), as if a Spark file
 * sink had written the files. Spark's file source then reads the files named in this log instead of
 * listing the folder on every trigger ({@code FileStreamSink.hasMetadata}); so do Spark's batch
 * readers. Other readers ignore the {@code _} folder.
 *
 * <p>One log batch per published slice, numbered from 0: a file {@code <n>} holding {@code v1} and
 * one JSON line per file; every {@value #COMPACT_INTERVAL}th batch ({@code (n + 1) % 10 == 0}) is
 * written as {@code <n>.compact} holding every entry so far (or of the batches it retains), as
 * Spark's compaction does; what lies before the previous compaction is then deleted. Each batch
 * file is written hidden, then renamed, so a reader sees a whole batch or none. Not thread-safe.
 */
public final class FileSinkLog {
  public static final String FOLDER = "_spark_metadata";

  /**
   * Spark's default {@code spark.sql.streaming.fileSink.log.compactInterval}, which readers assume.
   */
  static final int COMPACT_INTERVAL = 10;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A published file, as the log names it. */
  public record File(Path path, long size, long modificationTime) {}

  /** One line of the log: Spark's {@code SinkFileStatus}. */
  @JsonPropertyOrder({
    "path",
    "size",
    "isDir",
    "modificationTime",
    "blockReplication",
    "blockSize",
    "action"
  })
  private record SinkFileStatus(
      @JsonProperty("path") String path,
      @JsonProperty("size") long size,
      @JsonProperty("isDir") boolean isDir,
      @JsonProperty("modificationTime") long modificationTime,
      @JsonProperty("blockReplication") int blockReplication,
      @JsonProperty("blockSize") long blockSize,
      @JsonProperty("action") String action) {}

  private final Storage storage;
  private final Path dir;
  private final long retainMillis;
  private final LongSupplier nowMillis;

  /** The batches its next compaction may hold: when each was added, its lines and its files. */
  private final ArrayDeque<Batch> retained = new ArrayDeque<>();

  private long nextBatch;
  private long lastCompaction = -1;

  private record Batch(long id, long addedMillis, List<String> lines, List<Path> files) {}

  /**
   * What a compaction dropped: the files of every batch up to {@code through} that was still held
   * (none, and -1, for a batch that is not a compaction or that dropped nothing).
   */
  public record Dropped(long through, List<Path> files) {
    static final Dropped NOTHING = new Dropped(-1, List.of());
  }

  private FileSinkLog(Storage storage, Path dir, long retainMillis, LongSupplier nowMillis) {
    this.storage = storage;
    this.dir = dir;
    this.retainMillis = retainMillis;
    this.nowMillis = nowMillis;
  }

  /**
   * Starts an empty log in {@code folder} that names every file ever added: readers then use it
   * from the start.
   */
  public static FileSinkLog create(Storage storage, Path folder) throws IOException {
    return create(storage, folder, Long.MAX_VALUE, System::currentTimeMillis);
  }

  /**
   * As {@link #create(Storage, Path)}, with compactions that keep only the batches added within the
   * last {@code retainMillis} of {@code nowMillis} (a file sink's {@code retention}): a reader that
   * has not read a file by then does not find it through the log any more. {@link #add} returns the
   * files a compaction dropped, for the caller to delete.
   */
  public static FileSinkLog create(
      Storage storage, Path folder, long retainMillis, LongSupplier nowMillis) throws IOException {
    if (retainMillis < 0) {
      throw new IllegalArgumentException("a retention cannot be negative: " + retainMillis);
    }
    Path dir = new Path(folder, FOLDER);
    storage.mkdirs(dir);
    return new FileSinkLog(storage, dir, retainMillis, nowMillis);
  }

  /**
   * Adds one batch naming {@code files} (possibly none). Returns what the log no longer names: the
   * batches older than the retention, dropped by this batch's compaction (none if it is not one).
   * Log files that no reader needs any more (before the previous compaction) are deleted.
   */
  public Dropped add(List<File> files) throws IOException {
    long batch = nextBatch++;
    long now = nowMillis.getAsLong();
    List<String> lines = new ArrayList<>(files.size());
    List<Path> paths = new ArrayList<>(files.size());
    for (File f : files) {
      lines.add(
          JSON.writeValueAsString(
              new SinkFileStatus(
                  f.path().toUri().toString(),
                  f.size(),
                  false,
                  f.modificationTime(),
                  1,
                  32L << 20,
                  "add")));
      paths.add(f.path());
    }
    retained.addLast(new Batch(batch, now, lines, paths));
    if ((batch + 1) % COMPACT_INTERVAL != 0) {
      write(Long.toString(batch), lines);
      return Dropped.NOTHING;
    }
    List<Path> dropped = new ArrayList<>();
    long through = -1;
    while (retained.size() > 1 && now - retained.peekFirst().addedMillis() > retainMillis) {
      Batch old = retained.removeFirst();
      dropped.addAll(old.files());
      through = old.id();
    }
    List<String> all = new ArrayList<>();
    retained.forEach(b -> all.addAll(b.lines()));
    write(batch + ".compact", all);
    // A reader takes the latest compaction and the batches after it; one that listed the log just
    // before this compaction may still read the previous one (and Spark's reader looks again if a
    // compaction it was told of is gone). Nothing reads what lies before that, so the log is a
    // bounded number of files: with a retention (an endless run) a bounded size too, without one
    // (a finite run of many laps) two compactions, not every one.
    if (lastCompaction >= 0) {
      for (long old = Math.max(0, lastCompaction - COMPACT_INTERVAL); old < lastCompaction; old++) {
        String name = (old + 1) % COMPACT_INTERVAL == 0 ? old + ".compact" : Long.toString(old);
        storage.deleteRecursively(new Path(dir, name));
      }
    }
    lastCompaction = batch;
    return new Dropped(through, dropped);
  }

  private void write(String name, List<String> lines) throws IOException {
    Path temp = new Path(dir, "." + name + ".tmp");
    storage.deleteRecursively(temp); // left by a run killed while writing it
    // streamed: a compaction of a long run holds every entry, and need not be in memory twice
    try (java.io.Writer out =
        new java.io.BufferedWriter(
            new java.io.OutputStreamWriter(storage.createForLines(temp), StandardCharsets.UTF_8),
            1 << 16)) {
      out.write("v1");
      for (String line : lines) {
        out.write('\n');
        out.write(line);
      }
    }
    storage.rename(temp, new Path(dir, name));
  }
}
