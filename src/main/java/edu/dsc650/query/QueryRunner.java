package edu.dsc650.query;

import edu.dsc650.io.HadoopFiles;
import edu.dsc650.io.HadoopStorage;
import edu.dsc650.io.QueriesReady;
import edu.dsc650.io.ReplayManifest;
import edu.dsc650.io.ResultsLayout;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;

/**
 * One run of {@code run-query}, step by step: the checks before anything changes ({@link
 * Preflight}), the wait for a replay to follow, the queries started in one SparkSession, watched
 * until they are done ({@link Supervisor}, which drains them at the end of a complete replay), and
 * the outputs' summaries.
 */
public final class QueryRunner {
  private static final long WAIT_MS = 500;

  private final RunSettings settings;
  private final ResultsLayout layout;

  /** Results: what the outputs hold, when the queries stopped. */
  private final PrintWriter out;

  /** Progress: what the run is doing (batches, waiting, draining), apart from the results. */
  private final PrintWriter progress;

  private volatile boolean stopRequested;

  /**
   * Every batch's progress, kept; closed after the session, which delivers the last events on stop.
   */
  private ProgressLog progressLog;

  public QueryRunner(RunSettings settings, PrintWriter out, PrintWriter progress) {
    this.settings = settings;
    this.layout = settings.layout();
    this.out = out;
    this.progress = progress;
  }

  /** Stops the queries cleanly between micro-batches; safe from any thread (a signal handler's). */
  public void requestStop() {
    stopRequested = true;
  }

  /**
   * Runs until done or stopped; a failure is an exception (a {@code BadInputException}: nothing
   * changed).
   */
  public Outcome run() throws Exception {
    // One run-query per query and results folder, found before Spark starts: a second one (--fresh
    // or not) changes nothing.
    try (QueryLocks locks =
        QueryLocks.acquire(layout, settings.queries(), w -> progress.println("warning: " + w))) {
      if (settings.input() instanceof FileInput) {
        InputColumns.check(layout, settings.queries());
      }
      SparkSession spark =
          SparkSessions.create(
              settings.master(),
              settings.localAddress(),
              settings.input().pollingDelay(),
              settings.sparkConf());
      try {
        return run(spark, System.nanoTime());
      } finally {
        spark.stop();
        if (progressLog != null) {
          progressLog.close();
        }
      }
    }
  }

  private Outcome run(SparkSession spark, long sessionReady) throws Exception {
    HadoopStorage results = new HadoopStorage(SparkSessions.fileSystem(spark, layout.root()));
    ReplayState state = new ReplayState(results, layout);
    Preflight preflight = new Preflight(settings);

    // Every check first: exit code 2 means nothing was changed.
    ReplayManifest manifest = currentManifest(state);
    if (stopRequested) {
      return Outcome.STOPPED;
    }
    Map<Path, String> unclaimed = preflight.check(spark, manifest);
    // after the checks: a refused run prints its one error line and nothing else
    progress.println(
        "Spark "
            + spark.version()
            + ", master "
            + spark.sparkContext().master()
            + (spark.sparkContext().uiWebUrl().isDefined()
                ? ", UI at " + spark.sparkContext().uiWebUrl().get()
                : ""));
    progress.flush();
    if (settings.fresh()) {
      for (StreamingQueryDef def : settings.queries()) {
        for (Path owned : def.ownedPaths(layout)) {
          HadoopFiles.delete(SparkSessions.fileSystem(spark, owned), owned);
        }
      }
    }
    CheckpointOwner.mark(spark, unclaimed);
    String runId = manifest == null ? null : manifest.runId();
    for (StreamingQueryDef def : settings.queries()) {
      if (!def.drainedTopics().isEmpty()) {
        EndOfStream.prepare(spark, layout, def.name(), def.drainedTopics(), runId);
      }
    }
    if (settings.warmUp() && !settings.trigger().availableNow()) {
      String warmed = WarmUp.run(spark, layout, settings.queries(), () -> stopRequested);
      if (warmed != null) {
        progress.println(warmed);
        progress.flush();
      }
    }
    if (stopRequested) {
      return Outcome.STOPPED;
    }
    // the warm-up's batches are not the run's
    spark.streams().addListener(new BatchProgressLine(progress, settings.verbose()));
    TaskCounter tasks = new TaskCounter();
    spark.sparkContext().addSparkListener(tasks);
    ReplayFollower replay = new ReplayFollower(runId);
    if (runId != null) {
      preflight.claimForRun(spark, runId, null);
    }
    if (!awaitInput(spark, state, replay)) {
      return Outcome.STOPPED;
    }
    // the run whose input is there now (a new one may have replaced the one checked above)
    replay.observe(state.manifest());
    if (replay.following() != null) {
      preflight.claimForRun(spark, replay.following(), runId);
    }

    progressLog = new ProgressLog(results, layout, Instant.now());
    spark.streams().addListener(progressLog);
    RunningQueries running = start(spark);
    List<String> names = settings.queries().stream().map(StreamingQueryDef::name).toList();
    QueriesReady.write(results, layout, names); // stream-data --wait-for-queries starts now
    try {
      return supervise(spark, running, state, preflight, replay, results, tasks, sessionReady);
    } finally {
      QueriesReady.clear(results, layout, names);
    }
  }

  private Outcome supervise(
      SparkSession spark,
      RunningQueries running,
      ReplayState state,
      Preflight preflight,
      ReplayFollower replay,
      HadoopStorage results,
      TaskCounter tasks,
      long sessionReady)
      throws Exception {
    Supervisor supervisor =
        new Supervisor(
            settings,
            state,
            preflight,
            new Drain(settings, state, progress),
            progress,
            () -> stopRequested);
    Outcome outcome =
        settings.trigger().availableNow()
            ? supervisor.awaitAll(running)
            : supervisor.supervise(spark, running, replay);
    double seconds = (System.nanoTime() - sessionReady) / 1e9;
    out.printf(
        Locale.ROOT,
        "queries stopped %.1f s after the SparkSession started; %s%n",
        seconds,
        tasks.summary());
    writeTimings(results, outcome, seconds, tasks);
    for (StreamingQueryDef def : settings.queries()) {
      summarize(spark, def);
    }
    out.flush();
    return outcome;
  }

  /**
   * The run's figures as JSON for scripts ({@code progress/run-query.json}), which would otherwise
   * read them from the console's words. Failing to write it is a warning, never a failed run.
   */
  private void writeTimings(
      HadoopStorage results, Outcome outcome, double seconds, TaskCounter tasks) {
    Map<String, Object> timings = new LinkedHashMap<>();
    timings.put("outcome", outcome.name().toLowerCase(Locale.ROOT));
    timings.put("queries", settings.queries().stream().map(StreamingQueryDef::name).toList());
    timings.put("seconds_after_session_start", seconds);
    timings.put("tasks", tasks.total());
    try {
      results.mkdirs(layout.progress());
      results.writeAtomically(
          layout.runTimings(),
          new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(timings));
    } catch (java.io.IOException e) {
      progress.println("warning: cannot write " + layout.runTimings() + ": " + e.getMessage());
    }
  }

  private RunningQueries start(SparkSession spark) throws Exception {
    Map<StreamingQueryDef, List<StreamingQuery>> running = new LinkedHashMap<>();
    for (StreamingQueryDef def : settings.queries()) {
      // Each query's jobs go to a scheduler pool of its own (its stream thread inherits the
      // property): with FAIR scheduling a long join batch does not hold every task slot while the
      // other queries' small batches wait.
      spark.sparkContext().setLocalProperty("spark.scheduler.pool", def.name());
      running.put(def, def.start(spark, layout, settings.input(), settings.trigger().toSpark()));
    }
    spark.sparkContext().setLocalProperty("spark.scheduler.pool", null);
    return new RunningQueries(running);
  }

  /**
   * replay.json as the queries must take it: while a live stream-data holds the lock and
   * replay.json still names a run that has ended, the new run has not written its own yet (it takes
   * the lock first, then checks its source): wait for it rather than take the ended run for the one
   * to follow.
   */
  private ReplayManifest currentManifest(ReplayState state) throws Exception {
    boolean told = false;
    while (true) {
      ReplayManifest manifest = state.manifest();
      boolean ended =
          manifest != null
              && manifest.status() != ReplayManifest.Status.STARTING
              && manifest.status() != ReplayManifest.Status.REPLAYING;
      if (!ended || !state.lockHeld() || stopRequested) {
        return manifest;
      }
      if (!told) {
        progress.println(
            "waiting for the stream-data run that holds " + layout.replayLock() + " to start");
        progress.flush();
        told = true;
      }
      Thread.sleep(100);
    }
  }

  /** Waits until every topic the queries read exists; false if stopped meanwhile. */
  private boolean awaitInput(SparkSession spark, ReplayState state, ReplayFollower replay)
      throws Exception {
    boolean told = false;
    while (true) {
      if (settings.input() instanceof FileInput) { // a replay of other topics than the queries read
        InputColumns.check(layout, settings.queries());
      }
      List<String> missing = settings.input().missing(spark, settings.topics());
      if (missing.isEmpty()) {
        return true;
      }
      if (settings.untilReplayComplete()) {
        String ended = state.endedWithoutCompleting(replay, state.manifest());
        if (ended != null) {
          throw new IllegalStateException(
              ended + ": its input is not complete; run stream-data again");
        }
      }
      if (!told) {
        progress.println(
            "waiting for "
                + missing.get(0)
                + " (start stream-data with --results "
                + layout.root()
                + ")");
        progress.flush();
        told = true;
      }
      if (stopRequested) {
        return false;
      }
      Thread.sleep(WAIT_MS);
    }
  }

  /** Prints a query's summary; an output with no data file yet (stopped before a batch) says so. */
  private void summarize(SparkSession spark, StreamingQueryDef def) {
    try {
      def.summarize(spark, layout).forEach(out::println);
    } catch (
        Exception e) { // an AnalysisException (undeclared, Scala): no file to infer a schema from
      if (!(e instanceof org.apache.spark.sql.AnalysisException)) {
        throw e;
      }
      out.println(def.name() + ": no rows written yet");
    }
  }
}
