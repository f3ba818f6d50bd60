package edu.dsc650.query;

import com.fasterxml.jackson.databind.ObjectMapper;
import edu.dsc650.io.HadoopFiles;
import edu.dsc650.io.HadoopStorage;
import edu.dsc650.io.QueriesReady;
import edu.dsc650.io.ReplayManifest;
import edu.dsc650.io.ResultsLayout;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;

/**
 * One run of {@code run-query} in a SparkSession, through its phases: check (nothing changes before
 * they pass: exit code 2), claim the checkpoints, warm up, await the input, start the queries,
 * supervise them (which drains them at the end of a complete replay, {@link Drain}), and summarize
 * the outputs.
 */
final class QueryRun implements AutoCloseable {
  private static final long WAIT_MS = 500;

  private final RunSettings settings;
  private final SparkSession spark;
  private final ResultsLayout layout;
  private final HadoopStorage results;
  private final FollowedRun followed;
  private final PrintWriter out;
  private final PrintWriter progress;
  private final BooleanSupplier stop;
  private final long sessionReady = System.nanoTime();
  private final TaskCounter tasks = new TaskCounter();

  /** Every batch's progress, kept; closed after the session, which delivers the last events. */
  private ProgressLog progressLog;

  /**
   * @param out the results: what the outputs hold, when the queries stopped
   * @param progress what the run is doing (batches, waiting, draining), apart from the results
   * @param stop true once the queries are to stop cleanly between micro-batches
   */
  QueryRun(
      RunSettings settings,
      SparkSession spark,
      PrintWriter out,
      PrintWriter progress,
      BooleanSupplier stop) {
    this.settings = settings;
    this.spark = spark;
    this.layout = settings.layout();
    this.results = new HadoopStorage(SparkSessions.fileSystem(spark, layout.root()));
    this.followed = new FollowedRun(results, layout);
    this.out = out;
    this.progress = progress;
    this.stop = stop;
  }

  Outcome run() throws Exception {
    ReplayManifest manifest = followed.currentManifest(this::tellWaitingForLock, stop);
    if (stop.getAsBoolean()) {
      return Outcome.STOPPED;
    }
    Preflight.Passed passed = Preflight.check(settings, spark, results, manifest);
    tellSpark(); // after the checks: a refused run prints its one error line and nothing else
    claim(passed, manifest);
    if (!warmUp(passed.queries()) || !awaitInput(passed)) {
      return Outcome.STOPPED;
    }
    RunningQueries running = start(passed.queries());
    List<String> names = passed.queries().stream().map(StreamingQueryDef::name).toList();
    QueriesReady.write(results, layout, names); // stream-data --wait-for-queries starts now
    Outcome outcome;
    try {
      outcome = supervise(running, passed.checkpoints());
    } finally {
      QueriesReady.clear(results, layout, names);
    }
    summarize(outcome, passed.queries());
    return outcome;
  }

  /** Claims the checkpoints (after --fresh deletes what the queries own) for the run to follow. */
  private void claim(Preflight.Passed passed, ReplayManifest manifest) throws IOException {
    if (settings.fresh()) {
      for (StreamingQueryDef def : passed.queries()) {
        for (Path owned : def.ownedPaths(layout)) {
          HadoopFiles.delete(SparkSessions.fileSystem(spark, owned), owned);
        }
      }
    }
    passed.checkpoints().forEach(QueryCheckpoint::claim);
    followed.observe(manifest);
    for (StreamingQueryDef def : passed.queries()) {
      if (!def.drainedTopics().isEmpty()) {
        EndOfStream.prepare(spark, layout, def.name(), def.drainedTopics(), followed.id());
      }
    }
    follow(passed.checkpoints());
  }

  /** Records the followed run in every checkpoint, or stops if one holds another. */
  private void follow(List<QueryCheckpoint> checkpoints) throws IOException {
    if (followed.id() != null) {
      for (QueryCheckpoint checkpoint : checkpoints) {
        checkpoint.follow(followed.id());
      }
    }
  }

  /**
   * Runs the queries once on a generated slice ({@link WarmUp}) while the replay's clock has not
   * started (no replay yet, or one waiting for the queries); false if stopped meanwhile. Once it
   * runs, its slices are due, and a warm-up would only delay them.
   */
  private boolean warmUp(List<StreamingQueryDef> queries) throws IOException {
    ReplayManifest replay = followed.manifest();
    boolean replayStarted = replay != null && replay.status() != ReplayManifest.Status.STARTING;
    if (settings.warmUp() && !settings.trigger().availableNow() && !replayStarted) {
      String warmed = WarmUp.run(spark, layout, queries, stop);
      if (warmed != null) {
        progress.println(warmed);
        progress.flush();
      }
    }
    return !stop.getAsBoolean();
  }

  /**
   * Waits until every topic the queries read exists, then follows the run whose input it is (a new
   * one may have replaced the one checked); false if stopped meanwhile.
   */
  private boolean awaitInput(Preflight.Passed passed) throws Exception {
    boolean told = false;
    List<String> missing;
    while (!(missing = settings.input().missing(spark, settings.topics())).isEmpty()) {
      settings.input().checkPublished(passed.queries()); // a replay of other topics
      String ended =
          settings.untilReplayComplete()
              ? followed.endedWithoutCompleting(followed.manifest())
              : null;
      if (ended != null) {
        throw new IllegalStateException(
            ended + ": its input is not complete; run stream-data again");
      }
      if (!told) {
        tell(
            "waiting for "
                + missing.get(0)
                + " (start stream-data with --results "
                + layout.root()
                + ")");
        told = true;
      }
      if (stop.getAsBoolean()) {
        return false;
      }
      Thread.sleep(WAIT_MS);
    }
    settings.input().checkPublished(passed.queries());
    followed.observe(followed.manifest());
    follow(passed.checkpoints());
    return true;
  }

  /** Starts each query, its jobs in a scheduler pool of its own, with the run's listeners. */
  private RunningQueries start(List<StreamingQueryDef> queries) throws Exception {
    // after the warm-up: its batches are not the run's
    spark.sparkContext().addSparkListener(tasks);
    progressLog = new ProgressLog(results, layout, Instant.now(), this::kafkaTopics);
    BatchProgressLine lines = new BatchProgressLine(progress, settings.verbose());
    // each session's queries report to its own listeners
    for (SparkSession session :
        queries.stream().map(def -> def.session(spark)).distinct().toList()) {
      session.streams().addListener(lines);
      session.streams().addListener(progressLog);
    }
    Map<StreamingQueryDef, List<StreamingQuery>> running = new LinkedHashMap<>();
    for (StreamingQueryDef def : queries) {
      // With FAIR scheduling a long join batch does not hold every task slot while the other
      // queries' small batches wait (the stream thread inherits the property).
      spark.sparkContext().setLocalProperty("spark.scheduler.pool", def.name());
      running.put(def, def.start(spark, layout, settings.input(), settings.trigger().toSpark()));
    }
    spark.sparkContext().setLocalProperty("spark.scheduler.pool", null);
    return new RunningQueries(running);
  }

  /** Each Kafka topic's source topic, for a replay into Kafka (replay.json); empty otherwise. */
  private Map<String, String> kafkaTopics() {
    ReplayManifest manifest;
    try {
      manifest = followed.manifest();
    } catch (IOException e) {
      return Map.of(); // its slices have no latency until it can be read
    }
    return manifest == null ? Map.of() : manifest.sourceTopicsByKafkaTopic();
  }

  private Outcome supervise(RunningQueries running, List<QueryCheckpoint> checkpoints)
      throws Exception {
    Drain drain = new Drain(settings, followed, checkpoints, progress);
    Supervisor supervisor = new Supervisor(settings, followed, drain, checkpoints, progress, stop);
    return settings.trigger().availableNow()
        ? supervisor.awaitAll(running)
        : supervisor.supervise(spark, running);
  }

  /** The run's figures, then a few lines about each output, read back in batch mode. */
  private void summarize(Outcome outcome, List<StreamingQueryDef> queries) {
    double seconds = (System.nanoTime() - sessionReady) / 1e9;
    out.printf(
        Locale.ROOT,
        "queries stopped %.1f s after the SparkSession started; %s%n",
        seconds,
        tasks.summary());
    writeTimings(outcome, queries, seconds);
    for (StreamingQueryDef def : queries) {
      try {
        def.summarize(spark, layout).forEach(out::println);
      } catch (Exception e) { // an AnalysisException (undeclared, Scala): no file to infer from
        if (!(e instanceof AnalysisException)) {
          throw e;
        }
        out.println(def.name() + ": no rows written yet");
      }
    }
    out.flush();
  }

  /**
   * The run's figures as JSON for scripts ({@code progress/run-query.json}), which would otherwise
   * read them from the console's words. Failing to write it is a warning, never a failed run.
   */
  private void writeTimings(Outcome outcome, List<StreamingQueryDef> queries, double seconds) {
    Map<String, Object> timings = new LinkedHashMap<>();
    timings.put("outcome", outcome.name().toLowerCase(Locale.ROOT));
    timings.put("queries", queries.stream().map(StreamingQueryDef::name).toList());
    timings.put("seconds_after_session_start", seconds);
    timings.put("tasks", tasks.total());
    try {
      results.mkdirs(layout.progress());
      results.writeAtomically(layout.runTimings(), new ObjectMapper().writeValueAsBytes(timings));
    } catch (IOException e) {
      progress.println("warning: cannot write " + layout.runTimings() + ": " + e.getMessage());
    }
  }

  private void tellSpark() {
    tell(
        "Spark "
            + spark.version()
            + ", master "
            + spark.sparkContext().master()
            + (spark.sparkContext().uiWebUrl().isDefined()
                ? ", UI at " + spark.sparkContext().uiWebUrl().get()
                : ""));
  }

  private void tellWaitingForLock() {
    tell("waiting for the stream-data run that holds " + layout.replayLock() + " to start");
  }

  private void tell(String line) {
    progress.println(line);
    progress.flush();
  }

  @Override
  public void close() {
    if (progressLog != null) {
      progressLog.close();
    }
  }
}
