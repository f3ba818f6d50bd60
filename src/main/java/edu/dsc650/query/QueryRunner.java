package edu.dsc650.query;

import edu.dsc650.BadInputException;
import edu.dsc650.ExitCode;
import edu.dsc650.io.HadoopFiles;
import edu.dsc650.io.HadoopStorage;
import edu.dsc650.io.ReplayManifest;
import edu.dsc650.io.ResultsLayout;
import edu.dsc650.io.Storage;
import edu.dsc650.io.RunLock;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.streaming.StreamingQueryProgress;

/**
 * Runs the chosen queries in one SparkSession: checks the results folder (changing nothing until
 * every check has passed), claims the checkpoints, waits for input, starts the queries, supervises
 * them, drains them at the end of a complete replay, and summarizes their outputs.
 */
public final class QueryRunner {
  /** How many end-of-stream markers a drain writes at most (a restart can lose a watermark step). */
  private static final int DRAIN_ATTEMPTS = 3;

  private final RunSettings settings;
  private final ResultsLayout layout;
  /** Results: what the outputs hold, when the queries stopped. */
  private final PrintWriter out;
  /** Progress: what the run is doing (batches, waiting, draining), apart from the results. */
  private final PrintWriter progress;
  private final AtomicInteger signal = new AtomicInteger();

  public QueryRunner(RunSettings settings, PrintWriter out, PrintWriter progress) {
    this.settings = settings;
    this.layout = settings.layout();
    this.out = out;
    this.progress = progress;
  }

  /** Stops the queries as a signal would, returning {@code exitCode}; safe from any thread. */
  public void requestStop(int exitCode) {
    signal.compareAndSet(0, exitCode);
  }

  /** Runs until done, stopped or failed; returns the exit code. */
  public int run() throws Exception {
    // One run-query per query and results folder, found before Spark starts: a second one (--fresh
    // or not) changes nothing.
    try (QueryLocks locks = QueryLocks.acquire(layout, settings.queries(), w -> progress.println("warning: " + w))) {
      if (settings.input() instanceof FileInput) {
        InputColumns.check(layout, settings.queries());
      }
      return runLocked();
    }
  }

  private int runLocked() throws Exception {
    SparkSession spark = SparkSessions.create(settings.master(), settings.localAddress(),
        settings.input().pollingDelay(), settings.sparkConf());
    long sessionReady = System.nanoTime();
    ProgressLog progressLog = null;
    try {
      progress.println("Spark " + spark.version() + ", master " + spark.sparkContext().master()
          + (spark.sparkContext().uiWebUrl().isDefined() ? ", UI at " + spark.sparkContext().uiWebUrl().get() : ""));
      progress.flush();
      spark.streams().addListener(new BatchProgressLine(progress, settings.verbose()));
      TaskCounter tasks = new TaskCounter();
      spark.sparkContext().addSparkListener(tasks);
      Storage results = new HadoopStorage(OutputReader.fs(spark, layout.root()));

      // Every check first: exit code 2 means nothing was changed.
      ReplayManifest manifest = currentManifest(results);
      if (signal.get() != 0) {
        return signal.get();
      }
      Map<Path, String> unclaimed = check(spark, manifest);

      if (settings.fresh()) {
        for (StreamingQueryDef def : settings.queries()) {
          for (Path owned : def.ownedPaths(layout)) {
            HadoopFiles.delete(OutputReader.fs(spark, owned), owned);
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
      ReplayFollower replay = new ReplayFollower(runId);
      if (runId != null) {
        claimForRun(spark, runId, null);
      }
      if (!awaitInput(spark, results, replay)) {
        return signal.get();
      }
      // the run whose input is there now (a new one may have replaced the one checked above)
      replay.observe(readManifest(results));
      if (replay.following() != null) {
        claimForRun(spark, replay.following(), runId);
      }
      progressLog = new ProgressLog(results, layout, Instant.now());
      spark.streams().addListener(progressLog);
      Map<StreamingQueryDef, List<StreamingQuery>> running = new LinkedHashMap<>();
      for (StreamingQueryDef def : settings.queries()) {
        // Each query's jobs go to a scheduler pool of its own (its stream thread inherits the
        // property): with FAIR scheduling a long join batch does not hold every task slot while
        // the other queries' small batches wait.
        spark.sparkContext().setLocalProperty("spark.scheduler.pool", def.name());
        running.put(def, def.start(spark, layout, settings.input(), settings.trigger().toSpark()));
      }
      spark.sparkContext().setLocalProperty("spark.scheduler.pool", null);
      int rc = settings.trigger().availableNow() ? awaitAll(all(running))
          : supervise(spark, results, running, replay);
      out.printf(Locale.ROOT, "queries stopped %.1f s after the SparkSession started; %s%n",
          (System.nanoTime() - sessionReady) / 1e9, tasks.summary());
      for (StreamingQueryDef def : settings.queries()) {
        summarize(spark, def);
      }
      out.flush();
      return rc;
    } finally {
      spark.stop(); // delivers the last progress events first
      if (progressLog != null) {
        progressLog.close();
      }
    }
  }

  /**
   * Records {@code runId} as the run of every chosen query's checkpoint, or stops (exit 1) if one
   * holds another run: its state and offsets are that run's ({@link CheckpointRun}).
   *
   * @param checked the run the start-up checks compared with (null: none), for the message
   */
  private void claimForRun(SparkSession spark, String runId, String checked) throws IOException {
    for (StreamingQueryDef def : settings.queries()) {
      Path checkpoint = layout.checkpoint(def.name());
      FileSystem fs = OutputReader.fs(spark, checkpoint);
      String held = CheckpointRun.read(fs, checkpoint);
      if (held == null) {
        CheckpointRun.write(fs, checkpoint, runId);
      } else if (!held.equals(runId)) {
        throw new IllegalStateException(anotherRun(def, held, runId)
            + (checked == null ? "" : " (run " + runId + " replaced it while run-query was starting)")
            + "; run the command again with --fresh");
      }
    }
  }

  /** Why query {@code def} cannot go on with run {@code now}: its checkpoint is of run {@code held}. */
  private static String anotherRun(StreamingQueryDef def, String held, String now) {
    return "query " + def.name() + "'s checkpoint holds replay run " + held + ", and "
        + (now == null ? "there is no replay.json (no run to follow)" : "input now holds replay run " + now)
        + ": its state and offsets are run " + held + "'s";
  }

  /**
   * The checks before anything is changed; returns the checkpoints to mark as this run's.
   *
   * @throws BadInputException on anything that makes the run pointless or harmful
   */
  private Map<Path, String> check(SparkSession spark, ReplayManifest manifest) throws IOException {
    Sources.checkReader(spark);
    Path root = layout.root();
    FileSystem fs = OutputReader.fs(spark, root);
    if (fs.exists(root) && !fs.getFileStatus(root).isDirectory()) {
      throw new BadInputException("--results " + root + " is a file, not a folder");
    }
    Map<Path, String> checkpoints = new LinkedHashMap<>();
    settings.queries().forEach(def -> checkpoints.putAll(def.checkpoints(layout)));
    // --fresh deletes them all: then none is checked, and all are claimed
    Map<Path, String> unclaimed = settings.fresh() ? checkpoints : CheckpointOwner.check(spark, checkpoints);
    if (manifest != null && manifest.kafka() != null && settings.input() instanceof FileInput) {
      throw new BadInputException("replay run " + manifest.runId() + " went to Kafka, not to " + layout.input()
          + ": read it with --from kafka://" + manifest.kafka().bootstrap() + topicPrefixOption(manifest));
    }
    if (!settings.fresh()) {
      String runId = manifest == null ? null : manifest.runId();
      String drained = drainedForAnotherRun(spark, runId);
      if (drained != null) {
        throw new BadInputException(drained + "; use --fresh to start it over");
      }
      for (StreamingQueryDef def : settings.queries()) {
        Path checkpoint = layout.checkpoint(def.name());
        String held = CheckpointRun.read(OutputReader.fs(spark, checkpoint), checkpoint);
        if (held != null && !held.equals(runId)) {
          throw new BadInputException(anotherRun(def, held, runId) + "; use --fresh to start it over on "
              + (runId == null ? "the next run" : "run " + runId));
        }
      }
    }
    if (settings.trigger().availableNow()) {
      List<String> missing = settings.input().missing(spark, topics());
      if (!missing.isEmpty()) {
        throw new BadInputException("nothing to process: " + missing.get(0)
            + " does not exist (run stream-data first, or use a live trigger to wait for it)");
      }
    }
    return unclaimed;
  }

  /**
   * Why a chosen query cannot go on with replay run {@code runId} (null: no replay.json): its
   * checkpoint was drained at the end of another run, so its watermark is past any new data. Null if
   * none was.
   */
  private String drainedForAnotherRun(SparkSession spark, String runId) throws IOException {
    for (StreamingQueryDef def : settings.queries()) {
      Path checkpoint = layout.checkpoint(def.name());
      String drained = def.drainedTopics().isEmpty() ? null
          : EndOfStream.drainedRun(OutputReader.fs(spark, checkpoint), checkpoint);
      if (drained != null && !drained.equals(runId)) {
        return "query " + def.name() + " was drained at the end of replay run " + drained
            + (runId == null ? "" : ", and input now holds run " + runId) + ": its watermark is past any new data";
      }
    }
    return null;
  }

  /**
   * replay.json as the queries must take it: while a live stream-data holds the lock and replay.json
   * still names a run that has ended, the new run has not written its own yet (it takes the lock
   * first, then checks its source): wait for it rather than take the ended run for the one to follow.
   */
  private ReplayManifest currentManifest(Storage results) throws Exception {
    boolean told = false;
    while (true) {
      ReplayManifest manifest = readManifest(results);
      boolean ended = manifest != null && manifest.status() != ReplayManifest.Status.STARTING
          && manifest.status() != ReplayManifest.Status.REPLAYING;
      if (!ended || !RunLock.isHeld(results, layout.replayLock()) || signal.get() != 0) {
        return manifest;
      }
      if (!told) {
        progress.println("waiting for the stream-data run that holds " + layout.replayLock() + " to start");
        progress.flush();
        told = true;
      }
      Thread.sleep(100);
    }
  }

  /** The --topic-prefix option that reads a Kafka run's topics, or "" for none. */
  private static String topicPrefixOption(ReplayManifest manifest) {
    String topic = manifest.kafka().topics() == null ? null : manifest.kafka().topics().get(Topics.ACCELERATIONS);
    String prefix = topic == null || !topic.endsWith(Topics.ACCELERATIONS) ? ""
        : topic.substring(0, topic.length() - Topics.ACCELERATIONS.length());
    return prefix.isEmpty() ? "" : " --topic-prefix " + prefix;
  }

  /** replay.json, or null if there is none; one that is not stream-data's is bad input. */
  private ReplayManifest readManifest(Storage results) throws IOException {
    try {
      return ReplayManifest.read(results, layout.replayManifest());
    } catch (IOException e) {
      if (e.getCause() instanceof com.fasterxml.jackson.core.JsonProcessingException) {
        throw new BadInputException(e.getMessage(), e);
      }
      throw e;
    }
  }

  private List<String> topics() {
    return settings.queries().stream().flatMap(d -> d.topics().stream()).distinct().toList();
  }

  /** Waits until every topic the queries read exists; false if stopped by a signal meanwhile. */
  private boolean awaitInput(SparkSession spark, Storage results, ReplayFollower replay) throws Exception {
    boolean told = false;
    while (true) {
      if (settings.input() instanceof FileInput) { // a replay of other topics than the queries read
        InputColumns.check(layout, settings.queries());
      }
      List<String> missing = settings.input().missing(spark, topics());
      if (missing.isEmpty()) {
        return true;
      }
      if (settings.untilReplayComplete()) {
        String ended = endedWithoutCompleting(results, replay, readManifest(results));
        if (ended != null) {
          throw new IllegalStateException(ended + ": its input is not complete; run stream-data again");
        }
      }
      if (!told) {
        progress.println("waiting for " + missing.get(0) + " (start stream-data with --results " + layout.root() + ")");
        progress.flush();
        told = true;
      }
      if (signal.get() != 0) {
        return false;
      }
      Thread.sleep(500);
    }
  }

  private int awaitAll(List<StreamingQuery> running) throws Exception {
    for (StreamingQuery q : running) {
      try {
        while (!q.awaitTermination(500)) {
          if (signal.get() != 0) {
            stopAll(running);
            return signal.get();
          }
        }
      } catch (StreamingQueryException e) {
        throw failed(q, e, running);
      }
    }
    return ExitCode.OK;
  }

  /**
   * Watches live queries: stops them on a signal or a failure; with --until-replay-complete, drains
   * and stops them once the replay they follow is complete. They follow one replay run, the one
   * their checkpoints hold: a new run that replaces it stops them (exit 1), and so, with
   * --until-replay-complete, does a followed run that will never complete.
   */
  private int supervise(SparkSession spark, Storage results, Map<StreamingQueryDef, List<StreamingQuery>> running,
      ReplayFollower replay) throws Exception {
    List<StreamingQuery> queries = all(running);
    boolean toldEnded = false;
    while (true) {
      for (StreamingQuery q : queries) {
        if (q.exception().isDefined()) {
          // A new replay clears input under the queries (replay.json names it first): a read that
          // failed then is explained by that.
          String replaced = replay.observe(readManifest(results));
          if (replaced != null) {
            stopAll(queries);
            throw new IllegalStateException(replacedMessage(spark, replaced, replay.following()),
                q.exception().get());
          }
          throw failed(q, q.exception().get(), queries);
        }
      }
      if (signal.get() != 0) {
        stopAll(queries);
        return signal.get();
      }
      ReplayManifest manifest = readManifest(results);
      String replaced = replay.observe(manifest);
      if (replaced != null) {
        stopAll(queries);
        throw new IllegalStateException(replacedMessage(spark, replaced, replay.following()));
      }
      String ended = endedWithoutCompleting(results, replay, manifest); // the replay.json read above
      if (ended != null && settings.untilReplayComplete()) {
        stopAll(queries);
        throw new IllegalStateException(ended + ": it will not complete; the outputs hold what it published");
      }
      if (ended != null && !toldEnded) {
        progress.println(ended + "; the queries wait for a new run (which will stop them: start over with --fresh)");
        progress.flush();
        toldEnded = true;
      }
      if (settings.untilReplayComplete()) {
        if (replay.complete(manifest, RunLock.isHeld(results, layout.replayLock()))) {
          drain(spark, results, running, manifest);
          stopAll(queries);
          return ExitCode.OK;
        }
      }
      Thread.sleep(500);
    }
  }

  /** Why the queries stopped when run {@code now} replaced run {@code was}: one line with both and the way out. */
  private String replacedMessage(SparkSession spark, String was, String now) throws IOException {
    String drained = drainedForAnotherRun(spark, now);
    return (drained != null ? drained : "replay run " + now + " replaced run " + was
        + " under the running queries, whose state and offsets are run " + was + "'s")
        + "; run the command again with --fresh to follow run " + now;
  }

  /**
   * What {@link ReplayFollower#endedWithoutCompleting} says, with the lock looked at twice around a
   * second read of replay.json: a run that completes and releases its lock between the first read
   * and the look at the lock is not taken for dead.
   */
  private String endedWithoutCompleting(Storage results, ReplayFollower replay, ReplayManifest manifest)
      throws IOException {
    boolean held = RunLock.isHeld(results, layout.replayLock());
    String ended = replay.endedWithoutCompleting(manifest, held);
    if (ended == null || held) {
      return ended;
    }
    ReplayManifest again = readManifest(results);
    return again == null || !again.equals(manifest) ? null
        : replay.endedWithoutCompleting(again, RunLock.isHeld(results, layout.replayLock()));
  }

  /**
   * The replay is complete: process everything it published (every file; every Kafka record up to
   * the end offsets in replay.json), then move the watermark of each query that holds rows back past
   * everything, so that it emits them all, and mark its checkpoint.
   */
  private void drain(SparkSession spark, Storage results, Map<StreamingQueryDef, List<StreamingQuery>> running,
      ReplayManifest replay) throws Exception {
    String runId = replay.runId();
    List<StreamingQuery> queries = all(running);
    String unconsumed = null;
    for (int attempt = 0; attempt < DRAIN_ATTEMPTS && (attempt == 0 || unconsumed != null); attempt++) {
      for (StreamingQuery q : queries) {
        processAllAvailable(q, queries);
      }
      unconsumed = settings.input().unconsumed(queries, replay);
    }
    if (unconsumed != null) {
      stopAll(queries);
      throw new IllegalStateException("the queries did not read all of replay run " + runId + ": " + unconsumed);
    }
    checkStillFollowing(spark, results, replay, queries);
    for (Map.Entry<StreamingQueryDef, List<StreamingQuery>> e : running.entrySet()) {
      StreamingQueryDef def = e.getKey();
      if (def.drainedTopics().isEmpty()) {
        continue;
      }
      Path checkpoint = layout.checkpoint(def.name());
      FileSystem fs = OutputReader.fs(spark, checkpoint);
      if (runId.equals(EndOfStream.drainedRun(fs, checkpoint))) {
        continue; // drained by an earlier run of this command
      }
      boolean drained = false;
      for (int attempt = 0; attempt < DRAIN_ATTEMPTS && !drained; attempt++) {
        // After a restart Spark does not redo the watermark step of a batch it had committed, so a
        // marker it has read may not have moved the watermark yet: one more marker does.
        EndOfStream.write(spark, layout, def.name(), def.drainedTopics(), runId);
        for (StreamingQuery q : e.getValue()) {
          processAllAvailable(q, queries);
        }
        drained = e.getValue().stream().allMatch(QueryRunner::pastEndOfStream);
      }
      if (!drained) {
        throw new IllegalStateException("query " + def.name() + " did not reach the end-of-stream watermark after "
            + DRAIN_ATTEMPTS + " markers");
      }
      checkStillFollowing(spark, results, replay, queries);
      EndOfStream.markDrained(fs, checkpoint, runId);
      progress.println("[" + def.name() + "] drained: end of replay run " + runId);
      progress.flush();
    }
  }

  /**
   * The drain reads for seconds: a stream-data started meanwhile clears input under it. So before a
   * checkpoint is marked drained, replay.json must still name the completed run with no new run
   * holding the lock, and every input file the checkpoints read must be of that run.
   */
  private void checkStillFollowing(SparkSession spark, Storage results, ReplayManifest replay,
      List<StreamingQuery> queries) throws Exception {
    ReplayManifest now = readManifest(results);
    String problem = null;
    String unread;
    if (now == null || !now.runId().equals(replay.runId())) {
      problem = "replay run " + (now == null ? "(none)" : now.runId()) + " replaced run " + replay.runId()
          + " while run-query drained it";
    } else if (RunLock.isHeld(results, layout.replayLock())) {
      problem = "a new stream-data run took " + layout.root() + " while run-query drained replay run " + replay.runId();
    } else if ((unread = settings.input().unconsumed(queries, replay)) != null) {
      problem = unread + " (replay run " + replay.runId() + " was drained)";
    } else if (settings.input() instanceof FileInput && Sources.usesFileSource(spark)) {
      for (StreamingQueryDef def : settings.queries()) {
        Path checkpoint = layout.checkpoint(def.name());
        List<String> foreign = CheckpointRun.foreignInputFiles(OutputReader.fs(spark, checkpoint), checkpoint,
            layout.input(), replay.runId(), 1);
        if (!foreign.isEmpty()) {
          problem = "query " + def.name() + " read " + foreign.get(0) + ", which is not of replay run "
              + replay.runId() + " that it drained";
          break;
        }
      }
    }
    if (problem != null) {
      stopAll(queries);
      throw new IllegalStateException(problem + "; run the command again with --fresh");
    }
  }

  /** Prints a query's summary; an output with no data file yet (stopped before a batch) says so. */
  private void summarize(SparkSession spark, StreamingQueryDef def) {
    try {
      def.summarize(spark, layout).forEach(out::println);
    } catch (Exception e) { // an AnalysisException (undeclared, Scala): no file to infer a schema from
      if (!(e instanceof org.apache.spark.sql.AnalysisException)) {
        throw e;
      }
      out.println(def.name() + ": no rows written yet");
    }
  }

  /** True if the query's last batch ran with a watermark that only an end-of-stream marker gives. */
  private static boolean pastEndOfStream(StreamingQuery q) {
    StreamingQueryProgress p = q.lastProgress();
    String watermark = p == null ? null : p.eventTime().get("watermark");
    // markers are at TIME; real event times are nowhere near it, so a day short of it is past them all
    return watermark != null && !Instant.parse(watermark).isBefore(EndOfStream.TIME.minus(Duration.ofDays(1)));
  }

  private static void processAllAvailable(StreamingQuery q, List<StreamingQuery> queries) throws TimeoutException {
    try {
      q.processAllAvailable();
    } catch (Exception e) { // a StreamingQueryException, undeclared (Scala)
      throw failed(q, e, queries);
    }
  }

  private static List<StreamingQuery> all(Map<StreamingQueryDef, List<StreamingQuery>> running) {
    List<StreamingQuery> all = new ArrayList<>();
    running.values().forEach(all::addAll);
    return all;
  }

  /** Stops the other queries and reports the failure of {@code q} as one line with its root cause. */
  private static IllegalStateException failed(StreamingQuery q, Throwable failure, List<StreamingQuery> running)
      throws TimeoutException {
    stopAll(running);
    return new IllegalStateException("query " + q.name() + " failed: " + QueryFailure.describe(failure), failure);
  }

  private static void stopAll(List<StreamingQuery> running) throws TimeoutException {
    for (StreamingQuery q : running) {
      q.stop();
    }
  }
}
