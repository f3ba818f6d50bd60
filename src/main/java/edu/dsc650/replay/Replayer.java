package edu.dsc650.replay;

import edu.dsc650.io.FileSinkLog;
import edu.dsc650.io.ReplayManifest;
import edu.dsc650.io.ResultsLayout;
import edu.dsc650.io.SliceRecord;
import edu.dsc650.io.Storage;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.Path;

/**
 * Replays validated slices on the simulation clock. Workers read and rewrite slices into
 * {@code staging} ahead of time; this thread waits for each moment's due instant and publishes the
 * moment's slice folders into {@code input}, one atomic rename per slice.
 */
public final class Replayer {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Replayer.class);
  private static final DateTimeFormatter RUN_ID =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  /** Slices due within this much wall-clock time are staged ahead of their instant. */
  static final Duration STAGE_AHEAD = Duration.ofSeconds(5);

  private final Storage sourceStorage;
  private final Storage storage;
  private final ReplayOptions options;
  private final ReplayClock clock;
  private final ReplayProgress progress;
  private final ThreadLocal<TimestampRewriter> rewriters;
  private volatile boolean stopRequested;
  private volatile Thread publisher;
  private final HeapBudget heap;

  /**
   * @param sourceStorage where the source files are read
   * @param storage where the results are written
   */
  public Replayer(Storage sourceStorage, Storage storage, ReplayOptions options, ReplayClock clock, ReplayProgress progress,
      ThreadLocal<TimestampRewriter> rewriters) {
    this(sourceStorage, storage, options, clock, progress, rewriters, HeapBudget.NONE);
  }

  /** @param heap when to ask for a full collection between moments (see {@link HeapBudget}) */
  public Replayer(Storage sourceStorage, Storage storage, ReplayOptions options, ReplayClock clock, ReplayProgress progress,
      ThreadLocal<TimestampRewriter> rewriters, HeapBudget heap) {
    this.heap = heap;
    this.sourceStorage = sourceStorage;
    this.storage = storage;
    this.options = options;
    this.clock = clock;
    this.progress = progress;
    this.rewriters = rewriters;
  }

  /** Asks a running replay to stop after the slice it is publishing; safe from any thread. */
  public void requestStop() {
    stopRequested = true;
    Thread t = publisher;
    if (t != null) {
      clock.wake(t);
    }
  }

  /**
   * Runs the replay: marks the run as starting in replay.json (before anything else changes), clears
   * staging and input (the only folders of the results a run owns), then publishes slice by slice.
   * On every way out (done, stopped, failed) staging is removed and replay.json says how far it got.
   *
   * @throws IOException if a slice cannot be rewritten or published
   */
  public ReplaySummary run(List<Slice> slices, SourceValidator.Totals totals, ExecutorService workers)
      throws IOException {
    publisher = Thread.currentThread();
    ResultsLayout results = options.results();
    String runId = RUN_ID.format(clock.now()) + "-" + String.format(Locale.ROOT, "%04x",
        ThreadLocalRandom.current().nextInt(0x10000));
    Laps laps = Laps.of(options.laps(), slices);
    int perRun = laps.endless() ? 1 : laps.count(); // an endless run's manifest counts one lap
    int total = laps.endless() ? -1 : slices.size() * laps.count();
    int scale = options.scale();
    ReplayManifest manifest = new ReplayManifest(runId, ReplayManifest.Status.STARTING, null,
        options.maxSpeed() ? null : options.speedup(), options.maxSpeed(), laps.count(), laps.length().doubleValue(),
        scale, totals.slices() * perRun, totals.files() * perRun * scale, totals.rows() * perRun * scale, 0,
        null, null, null);
    storage.mkdirs(results.root());
    manifest.write(storage, results.replayManifest());

    LagStats lags = new LagStats();
    List<Future<Staged>> submittedTasks = new ArrayList<>();
    Instant start = null;
    long startNanos = clock.nanoTime();
    int published = 0;
    long files = 0;
    long rows = 0;
    Exception failure = null;
    SliceRecord.Writer records = null;
    try {
      Map<String, FileSinkLog> logs = prepareResults(slices, laps, runId);
      records = new SliceRecord.Writer(storage, results.sliceRecords());
      long headStart = options.maxSpeed() ? 0 : options.headStart().toNanos();
      start = clock.now().plusNanos(headStart).truncatedTo(ChronoUnit.MICROS);
      startNanos = clock.nanoTime() + headStart;
      long startMicros = ChronoUnit.MICROS.between(Instant.EPOCH, start);
      manifest = manifest.with(ReplayManifest.Status.REPLAYING, start.toString(), 0, null, null, null);
      manifest.write(storage, results.replayManifest());

      Deque<Future<Staged>> pending = new ArrayDeque<>();
      int lookahead = Math.max(8, 4 * options.threads());
      long aheadNanos = STAGE_AHEAD.toNanos();
      // two walks over the same schedule: one stages ahead, the other publishes
      java.util.Iterator<ReplaySchedule.Moment> schedule = ReplaySchedule.laps(slices, options.speedup(), laps);
      StageQueue ahead = new StageQueue(ReplaySchedule.laps(slices, options.speedup(), laps));
      while (schedule.hasNext()) {
        ReplaySchedule.Moment moment = schedule.next();
        if (stopRequested) {
          break;
        }
        // Keep the workers busy ahead of the clock: a few slices, and on a schedule every slice due
        // within STAGE_AHEAD, so that at high speed-ups publishing does not wait for a rewrite; not
        // the whole source at once (an endless replay has no end to stage).
        while (ahead.hasNext() && (pending.size() < lookahead + moment.slices().size()
            || !options.maxSpeed() && startNanos + ahead.peek().dueNanos() < clock.nanoTime() + aheadNanos)) {
          StageQueue.Item next = ahead.next();
          Future<Staged> task = workers.submit(() -> stage(next.slice(), runId, startMicros + next.shiftMicros()));
          pending.add(task);
          submittedTasks.add(task);
        }
        List<Staged> staged = new ArrayList<>();
        for (int i = 0; i < moment.slices().size() && !stopRequested; i++) {
          staged.add(await(pending.poll()));
        }
        submittedTasks.removeIf(Future::isDone); // what drain() must wait for: bounded in a long run
        // A collection stops every thread: only when nothing is due for a while (or at max speed).
        long idleNanos = startNanos + moment.dueNanos() - clock.nanoTime();
        if (options.maxSpeed() || idleNanos > HeapBudget.QUIET_NANOS) {
          heap.check(clock.nanoTime());
        }
        clock.sleepUntil(startNanos + moment.dueNanos(), () -> stopRequested);
        if (stopRequested) {
          break;
        }
        long lag = -1;
        List<SliceRecord> moments = new ArrayList<>(moment.slices().size());
        for (int i = 0; i < moment.slices().size(); i++) {
          Slice slice = moment.slices().get(i);
          publish(slice);
          Instant visible = clock.now();
          if (!options.maxSpeed()) {
            // each slice's own lag: the instant its folder became visible, minus its due instant
            lag = clock.nanoTime() - (startNanos + moment.dueNanos());
            lags.add(lag);
          }
          moments.add(new SliceRecord(runId, slice.topic(), slice.folder(), slice.t().doubleValue(),
              options.maxSpeed() ? null : start.plusNanos(moment.dueNanos()).toString(), visible.toString(),
              options.maxSpeed() ? null : lag / 1e6, staged.get(i).files().size(), staged.get(i).rows()));
          published++;
          files += staged.get(i).files().size();
          rows += staged.get(i).rows();
        }
        // the moment's slices are all visible; now their log batches, which readers of the log wait for
        for (int i = 0; i < moment.slices().size(); i++) {
          logPublished(moment.slices().get(i), staged.get(i), logs);
        }
        records.append(moments);
        LOG.debug("published t={} ({} slices), lag {} us", moment.t(), moment.slices().size(), lag / 1000);
        progress.published(published, total, moment.t().doubleValue(), files, rows, lag);
      }
    } catch (IOException | RuntimeException e) {
      failure = e;
    } finally {
      // Stage tasks see the flag and return early; wait for every one ever submitted (a cancelled
      // Future would not wait for a running task, and await() gives up on the current moment's tasks
      // when a stop comes), so that nothing writes into staging after it is removed.
      stopRequested = true;
      drain(submittedTasks);
      publisher = null;
      failure = cleanUp(failure);
      failure = close(records, failure);
    }
    boolean completed = failure == null && published == total;
    Duration wall = Duration.ofNanos(Math.max(0, clock.nanoTime() - startNanos));
    ReplaySummary summary = new ReplaySummary(runId, start, published, total, files, rows, wall,
        lags.percentileMillis(50), lags.percentileMillis(99), lags.maxMillis(), completed);
    failure = recordEnd(manifest, summary, failure);
    if (failure instanceof IOException io) {
      throw io;
    }
    if (failure instanceof RuntimeException re) {
      throw re;
    }
    return summary;
  }

  /**
   * Writes the run's last replay.json: completed, stopped or failed, with how far it got. Returns
   * the run's failure; a failed write is added to it (or becomes it).
   */
  private Exception recordEnd(ReplayManifest manifest, ReplaySummary summary, Exception failure) {
    ReplayManifest.Status status = summary.completed() ? ReplayManifest.Status.COMPLETED
        : failure != null ? ReplayManifest.Status.FAILED : ReplayManifest.Status.STOPPED;
    ReplayManifest.Lag lag = Double.isNaN(summary.lagP50Ms()) ? null
        : new ReplayManifest.Lag(summary.lagP50Ms(), summary.lagP99Ms(), summary.lagMaxMs());
    try {
      manifest.with(status, summary.start() == null ? null : summary.start().toString(), summary.slices(),
          summary.wallTime().toNanos() / 1e9, lag, failure == null ? null : SourceValidator.oneLine(failure))
          .write(storage, options.results().replayManifest());
      return failure;
    } catch (IOException e) {
      // e.g. the disk is full: replay.json then still says starting or replaying, never completed
      return withAlso(failure, e);
    }
  }

  /**
   * Clears staging and input, and makes a folder per topic in each, with an empty file-sink log in
   * each topic's input (there before any slice, so that Spark reads the log from its first trigger).
   */
  private Map<String, FileSinkLog> prepareResults(List<Slice> slices, Laps laps, String runId) throws IOException {
    ResultsLayout results = options.results();
    storage.deleteRecursively(results.staging());
    clear(results.input(), runId);
    Map<String, FileSinkLog> logs = new HashMap<>();
    for (String topic : slices.stream().map(Slice::topic).distinct().toList()) {
      storage.mkdirs(results.staging(topic));
      storage.mkdirs(results.input(topic));
      // An endless run's log keeps the last lap's entries: its compactions (which hold every entry
      // kept) and what Spark reads per trigger stay one lap long, however long the run. A run with
      // an end keeps every entry: a query started after it must find every file through the log.
      long perLap = slices.stream().filter(s -> s.topic().equals(topic)).count();
      logs.put(topic, FileSinkLog.create(storage, results.input(topic), laps.endless() ? perLap : Long.MAX_VALUE));
    }
    return logs;
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

  /** The slices still to stage, in schedule order, one moment at a time. */
  private static final class StageQueue {
    record Item(Slice slice, long dueNanos, long shiftMicros) {}

    private final java.util.Iterator<ReplaySchedule.Moment> moments;
    private final Deque<Item> items = new ArrayDeque<>();

    StageQueue(java.util.Iterator<ReplaySchedule.Moment> moments) {
      this.moments = moments;
    }

    boolean hasNext() {
      if (items.isEmpty() && moments.hasNext()) {
        ReplaySchedule.Moment m = moments.next();
        m.slices().forEach(s -> items.add(new Item(s, m.dueNanos(), m.shiftMicros())));
      }
      return !items.isEmpty();
    }

    Item peek() {
      return hasNext() ? items.peek() : null;
    }

    Item next() {
      hasNext();
      return items.poll();
    }
  }

  /** Removes staging; returns the run's failure, with a failed removal added to it (or as it). */
  private Exception cleanUp(Exception failure) {
    try {
      storage.deleteRecursively(options.results().staging());
      return failure;
    } catch (IOException e) {
      return withAlso(failure, e);
    }
  }

  private static Exception close(SliceRecord.Writer records, Exception failure) {
    try {
      if (records != null) {
        records.close();
      }
      return failure;
    } catch (IOException e) {
      return withAlso(failure, e);
    }
  }

  /** The run's failure with a later one added to it, or the later one if the run had none. */
  private static Exception withAlso(Exception failure, IOException later) {
    if (failure == null) {
      return later;
    }
    failure.addSuppressed(later);
    return failure;
  }

  /** Waits for a staged slice, returning early (with an empty result) if a stop is requested. */
  private Staged await(Future<Staged> staged) throws IOException {
    while (!stopRequested) {
      try {
        return staged.get(20, TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        // check stopRequested again
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stopRequested = true;
      } catch (ExecutionException e) {
        if (e.getCause() instanceof IOException io) {
          throw io;
        }
        throw new IOException(e.getCause().getMessage(), e.getCause());
      }
    }
    return Staged.NOTHING;
  }

  /** Waits for every stage task still queued or running. */
  private static void drain(List<Future<Staged>> tasks) {
    boolean interrupted = false;
    for (Future<Staged> f : tasks) {
      while (true) {
        try {
          f.get();
          break;
        } catch (ExecutionException e) {
          break; // reported by the task that was awaited first, or irrelevant after a stop
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** What a slice's staging wrote: each file's name and size, and the rows in all. */
  private record Staged(List<StagedFile> files, long rows) {
    static final Staged NOTHING = new Staged(List.of(), 0);
  }

  private record StagedFile(String name, long size) {}

  /** Reads and rewrites one slice into {@code staging/<topic>/<folder>/}. */
  private Staged stage(Slice slice, String runId, long startMicros) throws IOException {
    if (stopRequested) {
      return Staged.NOTHING;
    }
    Path dir = stagedFolder(slice);
    storage.mkdirs(dir);
    TimestampRewriter rewriter = rewriters.get();
    long rows = 0;
    List<StagedFile> files = new ArrayList<>();
    int scale = options.scale();
    try {
      if (options.mergeSlices() && !slice.files().isEmpty()) {
        List<SourceFile.Contents> sources = new ArrayList<>();
        for (SourceFile file : slice.files()) {
          sources.add(file.take(sourceStorage));
        }
        rows += write(rewriter.rewrite(sources, 0, scale, startMicros), dir, "part-" + runId + ".parquet", files);
      } else {
        for (SourceFile file : slice.files()) {
          if (stopRequested) {
            break;
          }
          String name = file.path().getName();
          String base = name.substring(0, name.length() - ".parquet".length());
          long[] written = {0};
          rewriter.rewriteEach(List.of(file.take(sourceStorage)), scale, startMicros, (copy, result) ->
              // copy 0 keeps the source file's name, as without --scale
              written[0] += write(result, dir, base + (copy == 0 ? "" : "-copy" + copy) + "-" + runId + ".parquet",
                  files));
          rows += written[0];
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new IOException("cannot rewrite " + slice.dir() + ": " + SourceValidator.oneLine(e), e);
    }
    return new Staged(files, rows);
  }

  private long write(TimestampRewriter.Result result, Path dir, String name, List<StagedFile> written)
      throws IOException {
    storage.write(new Path(dir, name), result.bytes(), result.length());
    written.add(new StagedFile(name, result.length()));
    return result.rows();
  }

  /** Moves a staged slice into input with one rename. */
  private void publish(Slice slice) throws IOException {
    storage.rename(stagedFolder(slice), visibleFolder(slice));
  }

  /** Names a published slice's files in its topic's log, as one batch. */
  private void logPublished(Slice slice, Staged staged, Map<String, FileSinkLog> logs) throws IOException {
    Path visible = visibleFolder(slice);
    long now = clock.now().toEpochMilli();
    List<FileSinkLog.File> files = new ArrayList<>(staged.files().size());
    for (StagedFile f : staged.files()) {
      files.add(new FileSinkLog.File(new Path(visible, f.name()), f.size(), now));
    }
    logs.get(slice.topic()).add(files);
  }

  private Path stagedFolder(Slice slice) {
    return new Path(options.results().staging(slice.topic()), slice.folder());
  }

  private Path visibleFolder(Slice slice) {
    return new Path(options.results().input(slice.topic()), slice.folder());
  }
}
