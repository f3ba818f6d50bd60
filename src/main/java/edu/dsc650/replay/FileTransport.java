package edu.dsc650.replay;

import edu.dsc650.FirstLine;
import edu.dsc650.io.FileSinkLog;
import edu.dsc650.io.PublishLog;
import edu.dsc650.io.ResultsLayout;
import edu.dsc650.io.Storage;
import edu.dsc650.parquet.ParquetFile;
import edu.dsc650.parquet.TimestampRewriter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;
import org.apache.hadoop.fs.Path;

/**
 * Publishes slices as parquet files: each slice is rewritten into {@code
 * staging/<topic>/<folder>/}, then moved into {@code input} with one atomic rename, and named in
 * its topic's logs: the file-sink log ({@code input/<topic>/_spark_metadata}), which any Spark
 * reader reads instead of listing, and the replay's own {@link PublishLog}, which run-query's
 * source reads a batch at a time.
 */
public final class FileTransport implements SliceTransport {
  private final Storage sourceStorage;
  private final Storage storage;
  private final ReplayOptions options;
  private final ReplayClock clock;
  private final ThreadLocal<TimestampRewriter> rewriters;
  private Map<String, FileSinkLog> logs = Map.of();
  private Map<String, PublishLog> publishLogs = Map.of();

  /**
   * @param sourceStorage where the source files are read
   * @param storage where the results are written
   */
  public FileTransport(
      Storage sourceStorage,
      Storage storage,
      ReplayOptions options,
      ReplayClock clock,
      ThreadLocal<TimestampRewriter> rewriters) {
    this.sourceStorage = sourceStorage;
    this.storage = storage;
    this.options = options;
    this.clock = clock;
    this.rewriters = rewriters;
  }

  /** What a slice's staging wrote: each file's name and size, and the rows in all. */
  private record StagedFiles(List<StagedFile> written, int files, long rows) implements Staged {}

  private record StagedFile(String name, long size) {}

  /**
   * Clears staging and input, and makes a folder per topic in each, with an empty file-sink log in
   * each topic's input (there before any slice, so that Spark reads the log from its first
   * trigger).
   */
  @Override
  public void prepare(List<Slice> slices, Laps laps, String runId) throws IOException {
    ResultsLayout results = options.results();
    storage.deleteRecursively(results.staging());
    clear(results.input(), runId);
    Map<String, FileSinkLog> created = new HashMap<>();
    Map<String, PublishLog> published = new HashMap<>();
    for (String topic : slices.stream().map(Slice::topic).distinct().toList()) {
      storage.mkdirs(results.staging(topic));
      storage.mkdirs(results.input(topic));
      // An endless run's log and input keep what was published within the retention (wall clock,
      // minutes by default): a reader slower than a lap (a long trigger, a restart) still finds
      // every
      // file it has not read, and disk use and what Spark reads per trigger stay bounded however
      // long
      // the run. A run with an end keeps every entry: a query started after it finds every file.
      long retain = laps.endless() ? options.retain().toMillis() : Long.MAX_VALUE;
      created.put(
          topic,
          FileSinkLog.create(
              storage, results.input(topic), retain, () -> clock.now().toEpochMilli()));
      published.put(topic, PublishLog.create(storage, results.input(topic), runId));
    }
    logs = created;
    publishLogs = published;
  }

  /**
   * Deletes a folder that live readers may be reading. Spark's file source recreates an empty
   * {@code <topic>/_spark_metadata} whenever it finds it gone, at any moment, so a tree deleted in
   * place can gain an entry between the listing and the removal of its folder. Moved aside first
   * (one rename), it is deleted where no reader looks; a reader then sees the folder gone, or new.
   * What a killed run left aside is deleted too.
   */
  private void clear(Path folder, String runId) throws IOException {
    String prefix = "." + folder.getName() + ".deleting-";
    if (storage.exists(folder)) {
      storage.rename(folder, new Path(folder.getParent(), prefix + runId));
    }
    for (Storage.Entry e : storage.list(folder.getParent())) {
      if (e.name().startsWith(prefix)) {
        storage.deleteRecursively(e.path());
      }
    }
  }

  /** Reads and rewrites one slice into {@code staging/<topic>/<folder>/}. */
  @Override
  public Staged stage(Slice slice, String runId, long startMicros, BooleanSupplier stopRequested)
      throws IOException {
    if (stopRequested.getAsBoolean()) {
      return NOTHING;
    }
    Path dir = stagedFolder(slice);
    storage.mkdirs(dir);
    TimestampRewriter rewriter = rewriters.get();
    long rows = 0;
    List<StagedFile> files = new ArrayList<>();
    int scale = options.scale();
    try {
      if (options.mergeSlices() && !slice.files().isEmpty()) {
        List<ParquetFile> sources = new ArrayList<>();
        for (SourceFile file : slice.files()) {
          sources.add(file.take(sourceStorage));
        }
        rows +=
            write(
                rewriter.rewrite(sources, 0, scale, startMicros),
                dir,
                "part-" + runId + ".parquet",
                files);
      } else {
        for (SourceFile file : slice.files()) {
          if (stopRequested.getAsBoolean()) {
            break;
          }
          String name = file.path().getName();
          String base = name.substring(0, name.length() - ".parquet".length());
          long[] written = {0};
          rewriter.rewriteEach(
              List.of(file.take(sourceStorage)),
              scale,
              startMicros,
              (copy, result) ->
                  // copy 0 keeps the source file's name, as without --scale
                  written[0] +=
                      write(
                          result,
                          dir,
                          base + (copy == 0 ? "" : "-copy" + copy) + "-" + runId + ".parquet",
                          files));
          rows += written[0];
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new IOException("cannot rewrite " + slice.dir() + ": " + FirstLine.of(e), e);
    }
    return new StagedFiles(files, files.size(), rows);
  }

  @Override
  public void discard(Slice slice) throws IOException {
    storage.deleteRecursively(stagedFolder(slice));
  }

  private long write(
      TimestampRewriter.Result result, Path dir, String name, List<StagedFile> written)
      throws IOException {
    storage.write(new Path(dir, name), result.bytes(), result.length());
    written.add(new StagedFile(name, result.length()));
    return result.rows();
  }

  /**
   * Moves each staged slice into input with one rename; then, with the moment's slices all visible,
   * names their files in their topics' logs, which readers of the log wait for.
   */
  @Override
  public void publish(List<Slice> slices, List<Staged> staged, IntConsumer visible)
      throws IOException {
    for (int i = 0; i < slices.size(); i++) {
      storage.rename(stagedFolder(slices.get(i)), visibleFolder(slices.get(i)));
      visible.accept(i);
    }
    for (int i = 0; i < slices.size(); i++) {
      logPublished(slices.get(i), (StagedFiles) staged.get(i));
    }
  }

  /** Names a published slice's files in its topic's log, as one batch. */
  private void logPublished(Slice slice, StagedFiles staged) throws IOException {
    Path visible = visibleFolder(slice);
    long now = clock.now().toEpochMilli();
    List<FileSinkLog.File> files = new ArrayList<>(staged.written().size());
    for (StagedFile f : staged.written()) {
      files.add(new FileSinkLog.File(new Path(visible, f.name()), f.size(), now));
    }
    publishLogs.get(slice.topic()).append(files.stream().map(FileSinkLog.File::path).toList());
    // the slices that the logs no longer name (an endless run's retention): gone from the disk too
    FileSinkLog.Dropped dropped = logs.get(slice.topic()).add(files);
    publishLogs.get(slice.topic()).deleteThrough(dropped.through());
    for (Path folder : dropped.files().stream().map(Path::getParent).distinct().toList()) {
      storage.deleteRecursively(folder);
    }
  }

  /** Removes staging. */
  @Override
  public void cleanUp() throws IOException {
    storage.deleteRecursively(options.results().staging());
  }

  @Override
  public void close() {}

  private Path stagedFolder(Slice slice) {
    return new Path(options.results().staging(slice.topic()), slice.folder());
  }

  private Path visibleFolder(Slice slice) {
    return new Path(options.results().input(slice.topic()), slice.folder());
  }
}
