package edu.dsc650.query;

import edu.dsc650.io.ReplayManifest;
import edu.dsc650.io.ResultsLayout;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryProgress;

/**
 * The end of a complete replay: every published row processed, then each query that holds rows back
 * moved past everything by end-of-stream markers ({@link EndOfStream}), so that it emits them all,
 * and its checkpoint marked drained. A new replay that starts meanwhile is caught before the mark,
 * never drained into it.
 */
final class Drain {
  /**
   * How many end-of-stream markers a drain writes at most. Without no-data micro-batches it takes
   * two: the batch that reads the first moves the watermark past everything, the batch that reads
   * the second runs with that watermark and emits what the state held. A restart can lose a
   * watermark step, and one more marker takes it again.
   */
  private static final int ATTEMPTS = 4;

  private final RunSettings settings;
  private final ResultsLayout layout;
  private final FollowedRun followed;
  private final Map<String, QueryCheckpoint> checkpoints = new LinkedHashMap<>();
  private final PrintWriter progress;

  Drain(
      RunSettings settings,
      FollowedRun followed,
      List<QueryCheckpoint> checkpoints,
      PrintWriter progress) {
    this.settings = settings;
    this.layout = settings.layout();
    this.followed = followed;
    checkpoints.forEach(c -> this.checkpoints.put(c.query(), c));
    this.progress = progress;
  }

  /** Drains the queries at the end of the complete run {@code replay}. */
  void run(SparkSession spark, RunningQueries running, ReplayManifest replay) throws Exception {
    String runId = replay.runId();
    List<StreamingQuery> queries = running.all();
    String unconsumed = null;
    for (int attempt = 0; attempt < ATTEMPTS && (attempt == 0 || unconsumed != null); attempt++) {
      for (StreamingQuery q : queries) {
        running.processAllAvailable(q);
      }
      unconsumed = settings.input().unconsumed(queries, replay);
    }
    if (unconsumed != null) {
      running.stopAll();
      throw new IllegalStateException(
          "the queries did not read all of replay run " + runId + ": " + unconsumed);
    }
    checkStillFollowing(spark, replay, running);
    for (Map.Entry<StreamingQueryDef, List<StreamingQuery>> e : running.byDef().entrySet()) {
      StreamingQueryDef def = e.getKey();
      QueryCheckpoint checkpoint = checkpoints.get(def.name());
      if (def.drainedTopics().isEmpty() || runId.equals(checkpoint.drainedRun())) {
        continue; // holds nothing back, or drained by an earlier run of this command
      }
      drain(spark, running, def, e.getValue(), runId);
      checkStillFollowing(spark, replay, running);
      checkpoint.markDrained(runId);
      progress.println("[" + def.name() + "] drained: end of replay run " + runId);
      progress.flush();
    }
  }

  /** Writes end-of-stream markers until {@code def}'s queries' watermarks are past them. */
  private void drain(
      SparkSession spark,
      RunningQueries running,
      StreamingQueryDef def,
      List<StreamingQuery> queries,
      String runId)
      throws Exception {
    boolean drained = false;
    for (int attempt = 0; attempt < ATTEMPTS && !drained; attempt++) {
      // After a restart Spark does not redo the watermark step of a batch it had committed, so a
      // marker it has read may not have moved the watermark yet: one more marker does.
      EndOfStream.write(spark, layout, def, runId);
      for (StreamingQuery q : queries) {
        running.processAllAvailable(q);
      }
      drained = queries.stream().allMatch(Drain::pastEndOfStream);
    }
    if (!drained) {
      throw new IllegalStateException(
          "query "
              + def.name()
              + " did not reach the end-of-stream watermark after "
              + ATTEMPTS
              + " markers");
    }
  }

  /**
   * The drain reads for seconds: a stream-data started meanwhile clears input under it. So before a
   * checkpoint is marked drained, replay.json must still name the completed run with no new run
   * holding the lock, and every input file the checkpoints read must be of that run.
   */
  private void checkStillFollowing(
      SparkSession spark, ReplayManifest replay, RunningQueries running) throws Exception {
    ReplayManifest now = followed.manifest();
    String problem = null;
    String unread;
    if (now == null || !now.runId().equals(replay.runId())) {
      problem =
          "replay run "
              + (now == null ? "(none)" : now.runId())
              + " replaced run "
              + replay.runId()
              + " while run-query drained it";
    } else if (followed.lockHeld()) {
      problem =
          "a new stream-data run took "
              + layout.root()
              + " while run-query drained replay run "
              + replay.runId();
    } else if ((unread = settings.input().unconsumed(running.all(), replay)) != null) {
      problem = unread + " (replay run " + replay.runId() + " was drained)";
    } else {
      List<Path> folders = checkpoints.values().stream().map(QueryCheckpoint::folder).toList();
      String read = settings.input().readOtherRun(spark, folders, replay.runId());
      problem = read == null ? null : read + " that it drained";
    }
    if (problem != null) {
      running.stopAll();
      throw new IllegalStateException(problem + "; run the command again with --fresh");
    }
  }

  /**
   * True if the query's last batch ran with a watermark that only an end-of-stream marker gives.
   */
  private static boolean pastEndOfStream(StreamingQuery q) {
    StreamingQueryProgress p = q.lastProgress();
    String watermark = p == null ? null : p.eventTime().get("watermark");
    // markers are at TIME; real event times are nowhere near it, so a day short of it is past them
    // all
    return watermark != null
        && !Instant.parse(watermark).isBefore(EndOfStream.TIME.minus(Duration.ofDays(1)));
  }
}
