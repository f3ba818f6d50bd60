package edu.dsc650.replay;

import edu.dsc650.parquet.TimestampRewriter;
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
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

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

  private final Storage storage;
  private final ReplayOptions options;
  private final ReplayClock clock;
  private final ReplayProgress progress;
  private final SliceTransport transport;
  private volatile boolean stopRequested;
  private volatile Thread publisher;
  private final HeapBudget heap;

  /**
   * A replay into files ({@link FileTransport}).
   *
   * @param sourceStorage where the source files are read
   * @param storage where the results are written
   */
  public Replayer(Storage sourceStorage, Storage storage, ReplayOptions options, ReplayClock clock, ReplayProgress progress,
      ThreadLocal<TimestampRewriter> rewriters) {
    this(storage, options, clock, progress, new FileTransport(sourceStorage, storage, options, clock, rewriters),
        HeapBudget.NONE);
  }

  /**
   * @param storage where the results folder is (replay.json, the lock, replay-slices.jsonl)
   * @param transport where and how slices are published
   * @param heap when to ask for a full collection between moments (see {@link HeapBudget})
   */
  public Replayer(Storage storage, ReplayOptions options, ReplayClock clock, ReplayProgress progress,
      SliceTransport transport, HeapBudget heap) {
    this.heap = heap;
    this.storage = storage;
    this.options = options;
    this.clock = clock;
    this.progress = progress;
    this.transport = transport;
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
   * Runs the replay: marks the run as starting in replay.json (before anything else changes), has the
   * transport clear what an earlier run published (files: staging and input, the only folders of the
   * results a run owns; Kafka: its topics), then publishes moment by moment. On every way out (done,
   * stopped, failed) the transport's work in progress is removed and replay.json says how far it got.
   *
   * @throws IOException if a slice cannot be rewritten or published
   */
  public ReplaySummary run(List<Slice> slices, SourceValidator.Totals totals, ExecutorService workers)
      throws IOException {
    publisher = Thread.currentThread();
    ResultsLayout results = options.results();
    String runId = RUN_ID.format(clock.now()) + "-" + String.format(Locale.ROOT, "%04x",
        ThreadLocalRandom.current().nextInt(0x10000));
    Laps laps = Laps.of(options.laps(), slices, totals.minOffsetMicros(), totals.maxOffsetMicros());
    int perRun = laps.endless() ? 1 : laps.count(); // an endless run's manifest counts one lap
    int total = laps.endless() ? -1 : slices.size() * laps.count();
    int scale = options.scale();
    ReplayManifest manifest = new ReplayManifest(runId, ReplayManifest.Status.STARTING, null,
        options.maxSpeed() ? null : options.speedup(), options.maxSpeed(), laps.count(), laps.length().doubleValue(),
        scale, totals.slices() * perRun, totals.files() * perRun * scale, totals.rows() * perRun * scale, 0,
        null, null, null, null);
    manifest = transport.describe(manifest);
    storage.mkdirs(results.root());
    manifest.write(storage, results.replayManifest());

    LagStats lags = new LagStats();
    List<Future<SliceTransport.Staged>> submittedTasks = new ArrayList<>();
    Instant start = null;
    long startNanos = clock.nanoTime();
    Visible visible = new Visible();
    java.util.Map<String, Long> perTopic = new java.util.HashMap<>();
    Exception failure = null;
    SliceRecord.Writer records = null;
    try {
      transport.prepare(slices, laps, runId);
      // an endless run keeps its last 100,000 to 200,000 slice records (tens of MB), not all
      records = new SliceRecord.Writer(storage, results.sliceRecords(), laps.endless() ? 100_000 : Long.MAX_VALUE);
      long headStart = options.maxSpeed() ? 0 : options.headStart().toNanos();
      start = clock.now().plusNanos(headStart).truncatedTo(ChronoUnit.MICROS);
      startNanos = clock.nanoTime() + headStart;
      long startMicros = ChronoUnit.MICROS.between(Instant.EPOCH, start);
      manifest = manifest.with(ReplayManifest.Status.REPLAYING, start.toString(), 0, null, null, null);
      manifest.write(storage, results.replayManifest());

      Deque<Future<SliceTransport.Staged>> pending = new ArrayDeque<>();
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
          Future<SliceTransport.Staged> task = workers.submit(() ->
              transport.stage(next.slice(), runId, startMicros + next.shiftMicros(), () -> stopRequested));
          pending.add(task);
          submittedTasks.add(task);
        }
        List<SliceTransport.Staged> staged = new ArrayList<>();
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
        long[] lag = {-1};
        List<SliceRecord> moments = new ArrayList<>(moment.slices().size());
        Instant due = start.plusNanos(moment.dueNanos());
        long dueNanos = startNanos + moment.dueNanos();
        transport.publish(moment.slices(), staged, i -> {
          Instant now = clock.now();
          if (!options.maxSpeed()) {
            // each slice's own lag: the instant it became visible, minus its due instant
            lag[0] = clock.nanoTime() - dueNanos;
            lags.add(lag[0]);
          }
          Slice slice = moment.slices().get(i);
          long batch = perTopic.merge(slice.topic(), 1L, Long::sum) - 1; // the topic's publish-log batch
          moments.add(new SliceRecord(runId, slice.topic(), slice.folder(), slice.t().doubleValue(),
              options.maxSpeed() ? null : due.toString(), now.toString(),
              options.maxSpeed() ? null : lag[0] / 1e6, staged.get(i).files(), staged.get(i).rows(),
              staged.get(i).kafkaOffsets(), batch));
          visible.add(staged.get(i)); // counted as each becomes visible: a failure later in the moment keeps it
        });
        records.append(moments);
        LOG.debug("published t={} ({} slices), lag {} us", moment.t(), moment.slices().size(), lag[0] / 1000);
        progress.published(visible.slices, total, moment.t().doubleValue(), visible.files, visible.rows, lag[0]);
      }
      if (visible.slices == total) {
        manifest = transport.completed(manifest); // e.g. where a reader has read everything
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
    boolean completed = failure == null && visible.slices == total;
    Duration wall = Duration.ofNanos(Math.max(0, clock.nanoTime() - startNanos));
    ReplaySummary summary = new ReplaySummary(runId, start, visible.slices, total, visible.files, visible.rows, wall,
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

  /** What has become visible so far. */
  private static final class Visible {
    int slices;
    long files;
    long rows;

    void add(SliceTransport.Staged slice) {
      slices++;
      files += slice.files();
      rows += slice.rows();
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

  /** Removes the transport's work in progress; returns the run's failure, with a failed removal added to it. */
  private Exception cleanUp(Exception failure) {
    try {
      transport.cleanUp();
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
  private SliceTransport.Staged await(Future<SliceTransport.Staged> staged) throws IOException {
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
    return SliceTransport.NOTHING;
  }

  /** Waits for every stage task still queued or running. */
  private static void drain(List<Future<SliceTransport.Staged>> tasks) {
    boolean interrupted = false;
    for (Future<SliceTransport.Staged> f : tasks) {
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
}
