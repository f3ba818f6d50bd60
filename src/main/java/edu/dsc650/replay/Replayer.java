package edu.dsc650.replay;

import edu.dsc650.FirstLine;
import edu.dsc650.io.ReplayManifest;
import edu.dsc650.io.SliceRecord;
import edu.dsc650.io.Storage;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Replays validated slices on the simulation clock. Workers read and rewrite slices into {@code
 * staging} ahead of time; this thread waits for each moment's due instant and publishes the
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
  private volatile String runId;
  private final HeapBudget heap;
  private StartGate gate = StartGate.OPEN;
  private Steering steering = new Steering();

  /**
   * How often a paused run looks at its stop request and the clock (a request wakes it at once).
   */
  static final long PAUSED_TICK_NANOS = 100_000_000L;

  /**
   * @param storage where the results folder is (replay.json, the lock, replay-slices.jsonl)
   * @param transport where and how slices are published
   * @param heap when to ask for a full collection between moments (see {@link HeapBudget})
   */
  public Replayer(
      Storage storage,
      ReplayOptions options,
      ReplayClock clock,
      ReplayProgress progress,
      SliceTransport transport,
      HeapBudget heap) {
    this.heap = heap;
    this.storage = storage;
    this.options = options;
    this.clock = clock;
    this.progress = progress;
    this.transport = transport;
  }

  /** What the run waits for after clearing its folder, before its clock starts. */
  public Replayer startWhen(StartGate gate) {
    this.gate = gate;
    return this;
  }

  /** Where requests to pause, resume and change speed come from while the run goes. */
  public Replayer steeredBy(Steering requests) {
    this.steering = requests;
    return this;
  }

  /** The run's id, once replay.json names it; null before. */
  public String runId() {
    return runId;
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
   * Runs the replay: marks the run as starting in replay.json (before anything else changes), has
   * the transport clear what an earlier run published (files: staging and input, the only folders
   * of the results a run owns; Kafka: its topics), then publishes moment by moment. On every way
   * out (done, stopped, failed) the transport's work in progress is removed and replay.json says
   * how far it got.
   *
   * @throws IOException if a slice cannot be rewritten or published
   */
  public ReplaySummary run(
      List<Slice> slices, SourceValidator.Totals totals, ExecutorService workers)
      throws IOException {
    publisher = Thread.currentThread();
    Laps laps = Laps.of(options.laps(), slices, totals.minOffsetMicros(), totals.maxOffsetMicros());
    Run run = new Run(newRunId(), laps.endless() ? -1 : slices.size() * laps.count());
    ReplayManifest manifest = writeStarting(run.id, laps, totals);
    runId = run.id;
    Stager stager = null;
    Exception failure = null;
    try {
      transport.prepare(slices, laps, run.id);
      gate.await(() -> stopRequested);
      // an endless run keeps its last 100,000 to 200,000 slice records (tens of MB), not all
      run.records =
          new SliceRecord.Writer(
              storage, options.results().sliceRecords(), laps.endless() ? 100_000 : Long.MAX_VALUE);
      run.begin(options.maxSpeed() ? 0 : options.headStart().toNanos());
      ReplayPace pace = new ReplayPace(options.speedup(), run.startNanos);
      run.steering =
          options.maxSpeed() ? null : ReplayManifest.Steering.unsteered(options.speedup());
      manifest =
          manifest.with(ReplayManifest.Progress.replaying(run.start.toString())).with(run.steering);
      manifest.write(storage, options.results().replayManifest());
      Thread self = Thread.currentThread();
      steering.onNews(() -> clock.wake(self));
      // two walks over the same schedule: the stager's ahead of the clock, this one on it
      stager =
          new Stager(
              workers,
              transport,
              ReplaySchedule.laps(slices, options.speedup(), laps),
              pace,
              options,
              run.id,
              run.startMicros(),
              clock::nanoTime,
              () -> stopRequested);
      for (Iterator<ReplaySchedule.Moment> schedule =
              ReplaySchedule.laps(slices, options.speedup(), laps);
          schedule.hasNext() && !stopRequested; ) {
        ReplaySchedule.Moment moment = schedule.next();
        List<Stager.Ticket> tickets = stager.take(moment);
        List<SliceTransport.Staged> staged = List.of();
        // until the moment is due: steering may pause the clock or move the instant meanwhile
        while (!stopRequested) {
          manifest = steer(run, pace, manifest);
          // paused: nothing goes out, not even a slice due before the pause that is still to go
          // (the publisher behind); it goes out at the resume, its due instant unchanged
          long due = pace.paused() ? Long.MAX_VALUE : pace.dueNanos(moment.t());
          if (due == Long.MAX_VALUE) {
            clock.sleepUntil(
                clock.nanoTime() + PAUSED_TICK_NANOS, () -> stopRequested || steering.hasNews());
            continue;
          }
          staged = stager.stagedFor(tickets); // staged again if a pause came before it
          stopRequested |= Thread.currentThread().isInterrupted();
          collectIfQuiet(due);
          clock.sleepUntil(due, () -> stopRequested || steering.hasNews());
          if (clock.nanoTime() >= due) {
            break;
          }
        }
        if (!stopRequested) {
          publish(run, moment, staged, pace);
        }
      }
      if (run.published == run.total) {
        manifest = transport.completed(manifest); // e.g. where a reader has read everything
      }
    } catch (IOException | RuntimeException e) {
      failure = e;
    } finally {
      stopRequested = true; // stage tasks return early
      if (stager != null) {
        stager.awaitAll();
      }
      publisher = null;
      failure = close(run.records, cleanUp(failure));
    }
    return finish(manifest, run, failure);
  }

  private String newRunId() {
    return RUN_ID.format(clock.now())
        + "-"
        + String.format(Locale.ROOT, "%04x", ThreadLocalRandom.current().nextInt(0x10000));
  }

  /**
   * Writes the run's first replay.json, before anything else changes: no reader takes an earlier
   * run's for it.
   */
  private ReplayManifest writeStarting(String runId, Laps laps, SourceValidator.Totals totals)
      throws IOException {
    int perRun = laps.endless() ? 1 : laps.count(); // an endless run's manifest counts one lap
    int scale = options.scale();
    ReplayManifest manifest =
        transport.describe(
            ReplayManifest.starting(
                runId,
                new ReplayManifest.Plan(
                    options.maxSpeed() ? null : options.speedup(),
                    options.maxSpeed(),
                    laps.count(),
                    laps.length().doubleValue(),
                    scale,
                    totals.slices() * perRun,
                    totals.files() * perRun * scale,
                    totals.rows() * perRun * scale)));
    storage.mkdirs(options.results().root());
    manifest.write(storage, options.results().replayManifest());
    return manifest;
  }

  /** A collection stops every thread: only when nothing is due for a while (or at max speed). */
  private void collectIfQuiet(long dueNanos) {
    if (options.maxSpeed() || dueNanos - clock.nanoTime() > HeapBudget.QUIET_NANOS) {
      heap.check(clock.nanoTime());
    }
  }

  /**
   * Publishes a moment's staged slices, then records each (replay-slices.jsonl) and reports
   * progress.
   */
  private void publish(
      Run run, ReplaySchedule.Moment moment, List<SliceTransport.Staged> staged, ReplayPace pace)
      throws IOException {
    long[] lag = {-1};
    List<SliceRecord> records = new ArrayList<>(moment.slices().size());
    long dueNanos = pace.dueNanos(moment.t());
    Instant due = run.start.plusNanos(dueNanos - run.startNanos);
    Double speedup = options.maxSpeed() ? null : pace.speedupAt(moment.t());
    double paused = pace.pausedMicros(moment.t(), dueNanos) / 1e6;
    transport.publish(
        moment.slices(),
        staged,
        i -> {
          Instant now = clock.now();
          if (!options.maxSpeed()) {
            // each slice's own lag: the instant it became visible, minus its due instant
            lag[0] = clock.nanoTime() - dueNanos;
            run.lags.add(lag[0]);
          }
          Slice slice = moment.slices().get(i);
          long batch =
              run.batches.merge(slice.topic(), 1L, Long::sum) - 1; // the topic's publish-log batch
          records.add(
              new SliceRecord(
                  run.id,
                  slice.topic(),
                  slice.folder(),
                  slice.t().doubleValue(),
                  options.maxSpeed() ? null : due.toString(),
                  now.toString(),
                  options.maxSpeed() ? null : lag[0] / 1e6,
                  staged.get(i).files(),
                  staged.get(i).rows(),
                  staged.get(i).kafkaOffsets(),
                  batch,
                  speedup,
                  paused,
                  staged.get(i).transactionMs()));
          run.add(
              staged.get(
                  i)); // counted as each becomes visible: a failure later in the moment keeps it
        });
    run.records.append(records);
    LOG.debug(
        "published t={} ({} slices), lag {} us", moment.t(), moment.slices().size(), lag[0] / 1000);
    progress.published(
        run.published, run.total, moment.t().doubleValue(), run.files, run.rows, lag[0]);
  }

  /**
   * Applies what was asked since the last look (pause, resume, speed), in order; each change is
   * written to replay.json and told to the progress. Returns the manifest as now written.
   */
  private ReplayManifest steer(Run run, ReplayPace pace, ReplayManifest manifest)
      throws IOException {
    List<Steering.Request> asked = steering.take();
    if (asked.isEmpty()) {
      return manifest;
    }
    boolean changed = false;
    for (Steering.Request request : asked) {
      long now = clock.nanoTime();
      if (options.maxSpeed()) {
        progress.steered("nothing to steer at max speed", false, Double.POSITIVE_INFINITY);
        continue;
      }
      ReplayPace.Applied applied = pace.apply(request, now, options.fastest());
      if (applied.change() != null) {
        changed = true;
        run.steering =
            run.steering.then(
                pace.paused(),
                pace.speedup(),
                pace.pausedNanos(now) / 1e9,
                new ReplayManifest.Change(
                    // on the due instants' clock
                    run.start.plusNanos(now - run.startNanos).toString(),
                    pace.simSeconds(now),
                    applied.change(),
                    pace.speedup()));
        LOG.info("{} at sim {} s", applied.said(), pace.simSeconds(now));
      }
      progress.steered(applied.said(), pace.paused(), pace.speedup());
    }
    if (!changed) {
      return manifest;
    }
    ReplayManifest steered = manifest.with(run.steering);
    steered.write(storage, options.results().replayManifest());
    return steered;
  }

  /** The run's summary, once its last replay.json is written; the run's failure is thrown. */
  private ReplaySummary finish(ReplayManifest manifest, Run run, Exception failure)
      throws IOException {
    boolean completed = failure == null && run.published == run.total;
    Duration wall = Duration.ofNanos(Math.max(0, clock.nanoTime() - run.startNanos));
    ReplaySummary summary =
        new ReplaySummary(
            run.id,
            run.start,
            run.published,
            run.total,
            run.files,
            run.rows,
            wall,
            run.lags.percentileMillis(50),
            run.lags.percentileMillis(99),
            run.lags.maxMillis(),
            completed);
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
    ReplayManifest.Status status =
        summary.completed()
            ? ReplayManifest.Status.COMPLETED
            : failure != null ? ReplayManifest.Status.FAILED : ReplayManifest.Status.STOPPED;
    ReplayManifest.Lag lag =
        Double.isNaN(summary.lagP50Ms())
            ? null
            : new ReplayManifest.Lag(summary.lagP50Ms(), summary.lagP99Ms(), summary.lagMaxMs());
    try {
      manifest
          .with(
              new ReplayManifest.Progress(
                  status,
                  summary.start() == null ? null : summary.start().toString(),
                  summary.slices(),
                  summary.wallTime().toNanos() / 1e9,
                  lag,
                  failure == null ? null : FirstLine.of(failure)))
          .write(storage, options.results().replayManifest());
      return failure;
    } catch (IOException e) {
      // e.g. the disk is full: replay.json then still says starting or replaying, never completed
      return withAlso(failure, e);
    }
  }

  /** One run's state: its start, what has become visible so far, its lags and its slice records. */
  private final class Run {
    final String id;

    /** Slices of the whole run; -1 for an endless one. */
    final int total;

    final LagStats lags = new LagStats();

    /** Per topic, the publish-log batches so far. */
    final Map<String, Long> batches = new HashMap<>();

    SliceRecord.Writer records;

    /** How the run was steered so far; null at max speed. */
    ReplayManifest.Steering steering;

    /** The start S (null until input is cleared), and the same instant on the clock's nanoTime. */
    Instant start;

    long startNanos = clock.nanoTime();
    int published;
    long files;
    long rows;

    Run(String id, int total) {
      this.id = id;
      this.total = total;
    }

    /**
     * Takes S: now plus the head start, which lets the first slices be rewritten before they are
     * due.
     */
    void begin(long headStartNanos) {
      start = clock.now().plusNanos(headStartNanos).truncatedTo(ChronoUnit.MICROS);
      startNanos = clock.nanoTime() + headStartNanos;
    }

    long startMicros() {
      return ChronoUnit.MICROS.between(Instant.EPOCH, start);
    }

    void add(SliceTransport.Staged slice) {
      published++;
      files += slice.files();
      rows += slice.rows();
    }
  }

  /**
   * Removes the transport's work in progress; returns the run's failure, with a failed removal
   * added to it.
   */
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
}
