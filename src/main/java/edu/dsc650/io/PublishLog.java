package edu.dsc650.io;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.List;
import java.util.OptionalLong;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The replay's own log of what it published into a topic, {@code
 * input/<topic>/_dsc650_batches/<n>}: one file per published slice, numbered from 0, each naming
 * the run and the slice's files. Files are never rewritten or compacted, so a reader finds batch n
 * in one read, and what is new since its last batch by listing the folder: run-query's source
 * ({@code PublishedSource}) costs per trigger what is new, not everything published so far as
 * Spark's file source does with the file-sink log (which the replay writes too, for every other
 * reader). An endless run deletes batches with the slices its retention drops; a reader that asks
 * for a deleted batch is told so.
 */
public final class PublishLog {
  public static final String FOLDER = "_dsc650_batches";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One batch: the run that published it and its files (URIs). */
  public record Batch(@JsonProperty("run") String run, @JsonProperty("files") List<String> files) {}

  private final Storage storage;
  private final Path dir;
  private final String runId;
  private long next;
  private long deletedThrough = -1;

  private PublishLog(Storage storage, Path dir, String runId) {
    this.storage = storage;
    this.dir = dir;
    this.runId = runId;
  }

  /** Starts an empty log for {@code runId} in a topic's input folder (which must hold none). */
  public static PublishLog create(Storage storage, Path topicInput, String runId)
      throws IOException {
    Path dir = new Path(topicInput, FOLDER);
    storage.mkdirs(dir);
    return new PublishLog(storage, dir, runId);
  }

  /**
   * Adds the next batch, naming {@code files}; written hidden, then renamed: a reader sees all of
   * it or none.
   */
  public long append(List<Path> files) throws IOException {
    long id = next++;
    Batch batch = new Batch(runId, files.stream().map(f -> f.toUri().toString()).toList());
    storage.writeAtomically(new Path(dir, Long.toString(id)), JSON.writeValueAsBytes(batch));
    return id;
  }

  /**
   * Deletes every batch up to {@code id} (those whose slices an endless run's retention dropped).
   */
  public void deleteThrough(long id) throws IOException {
    for (long b = deletedThrough + 1; b <= id; b++) {
      storage.deleteRecursively(new Path(dir, Long.toString(b)));
    }
    deletedThrough = Math.max(deletedThrough, id);
  }

  /** The oldest and the newest batch a topic's log holds. */
  public record Range(long oldest, long newest) {}

  /** The newest batch of a topic's log, if it has one (a listing of the log's folder). */
  public static OptionalLong latest(FileSystem fs, Path topicInput) throws IOException {
    Range range = range(fs, topicInput);
    return range == null ? OptionalLong.empty() : OptionalLong.of(range.newest());
  }

  /**
   * The oldest batch a topic's log still holds (an endless run deletes old ones), if it has one.
   */
  public static OptionalLong oldest(FileSystem fs, Path topicInput) throws IOException {
    Range range = range(fs, topicInput);
    return range == null ? OptionalLong.empty() : OptionalLong.of(range.oldest());
  }

  /** The batches a topic's log holds, from one listing of its folder; null if it holds none. */
  public static Range range(FileSystem fs, Path topicInput) throws IOException {
    Path dir = new Path(topicInput, FOLDER);
    FileStatus[] files;
    try {
      files = fs.listStatus(dir);
    } catch (FileNotFoundException e) {
      return null;
    }
    long oldest = Long.MAX_VALUE;
    long newest = -1;
    for (FileStatus f : files) {
      String name = f.getPath().getName();
      if (!name.isEmpty() && name.chars().allMatch(Character::isDigit)) {
        long id = Long.parseLong(name);
        oldest = Math.min(oldest, id);
        newest = Math.max(newest, id);
      }
    }
    return newest < 0 ? null : new Range(oldest, newest);
  }

  /**
   * Batch {@code id} of a topic's log.
   *
   * @throws FileNotFoundException naming the batch, if it is not there (removed by the retention of
   *     an endless run before this reader got to it, or replaced by a new run)
   */
  public static Batch read(FileSystem fs, Path topicInput, long id) throws IOException {
    Path file = new Path(new Path(topicInput, FOLDER), Long.toString(id));
    try (var in = fs.open(file)) {
      return JSON.readValue(in.readAllBytes(), Batch.class);
    } catch (FileNotFoundException e) {
      throw new FileNotFoundException(
          file
              + " is gone: a reader that falls further behind an endless replay "
              + "than its --retain, or a new replay that replaced input, removes what it had not read yet");
    }
  }
}
