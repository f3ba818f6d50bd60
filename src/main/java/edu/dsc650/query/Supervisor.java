package edu.dsc650.query;

import edu.dsc650.io.ReplayManifest;
import java.io.PrintWriter;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;

/**
 * Watches the running queries: stops them on a request or a failure; with --until-replay-complete,
 * drains and stops them once the replay they follow is complete. They follow one replay run, the
 * one their checkpoints hold: a new run that replaces it stops them (exit 1), and so, with
 * --until-replay-complete, does a followed run that will never complete.
 */
final class Supervisor {
  private static final long POLL_MS = 500;

  private final RunSettings settings;
  private final FollowedRun followed;
  private final Drain drain;
  private final List<QueryCheckpoint> checkpoints;
  private final PrintWriter progress;
  private final BooleanSupplier stopRequested;

  Supervisor(
      RunSettings settings,
      FollowedRun followed,
      Drain drain,
      List<QueryCheckpoint> checkpoints,
      PrintWriter progress,
      BooleanSupplier stopRequested) {
    this.settings = settings;
    this.followed = followed;
    this.drain = drain;
    this.checkpoints = checkpoints;
    this.progress = progress;
    this.stopRequested = stopRequested;
  }

  /** Available-now queries: waits until each has processed what was there. */
  Outcome awaitAll(RunningQueries running) throws Exception {
    for (StreamingQuery q : running.all()) {
      try {
        while (!q.awaitTermination(POLL_MS)) {
          if (stopRequested.getAsBoolean()) {
            running.stopAll();
            return Outcome.STOPPED;
          }
        }
      } catch (StreamingQueryException e) {
        throw running.failed(q, e);
      }
    }
    return Outcome.DONE;
  }

  /**
   * Live queries: until a stop request, a failure, a replaced run, or (with the flag) a drained
   * replay.
   */
  Outcome supervise(SparkSession spark, RunningQueries running) throws Exception {
    List<StreamingQuery> queries = running.all();
    boolean toldEnded = false;
    while (true) {
      for (StreamingQuery q : queries) {
        if (q.exception().isDefined()) {
          // A new replay clears input under the queries (replay.json names it first): a read that
          // failed then is explained by that.
          String replaced = followed.observe(followed.manifest());
          if (replaced != null) {
            running.stopAll();
            throw new IllegalStateException(
                replacedMessage(replaced, followed.id()), q.exception().get());
          }
          throw running.failed(q, q.exception().get());
        }
      }
      if (stopRequested.getAsBoolean()) {
        running.stopAll();
        return Outcome.STOPPED;
      }
      ReplayManifest manifest = followed.manifest();
      String replaced = followed.observe(manifest);
      if (replaced != null) {
        running.stopAll();
        throw new IllegalStateException(replacedMessage(replaced, followed.id()));
      }
      String ended = followed.endedWithoutCompleting(manifest); // the replay.json read above
      if (ended != null && settings.untilReplayComplete()) {
        running.stopAll();
        throw new IllegalStateException(
            ended + ": it will not complete; the outputs hold what it published");
      }
      if (ended != null && !toldEnded) {
        progress.println(
            ended
                + "; the queries wait for a new run (which will stop them: start over with --fresh)");
        progress.flush();
        toldEnded = true;
      }
      if (settings.untilReplayComplete() && followed.complete(manifest, followed.lockHeld())) {
        drain.run(spark, running, manifest);
        running.stopAll();
        return Outcome.DONE;
      }
      Thread.sleep(POLL_MS);
    }
  }

  /**
   * Why the queries stopped when run {@code now} replaced run {@code was}: one line with both and
   * the way out.
   */
  private String replacedMessage(String was, String now) {
    String drained =
        checkpoints.stream()
            .map(c -> c.drainedElsewhere(now))
            .filter(java.util.Objects::nonNull)
            .findFirst()
            .orElse(null);
    return (drained != null
            ? drained
            : "replay run "
                + now
                + " replaced run "
                + was
                + " under the running queries, whose state and offsets are run "
                + was
                + "'s")
        + "; run the command again with --fresh to follow run "
        + now;
  }
}
