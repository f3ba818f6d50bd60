package edu.dsc650.query;

import edu.dsc650.BadInputException;
import edu.dsc650.io.ReplayManifest;
import edu.dsc650.io.ResultsLayout;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * The checks before run-query changes anything, so that exit code 2 means nothing was changed, and
 * the claims on the checkpoints once they have passed: a checkpoint belongs to one query and to one
 * replay run ({@link CheckpointOwner}, {@link CheckpointRun}).
 */
final class Preflight {
  private final RunSettings settings;
  private final ResultsLayout layout;

  Preflight(RunSettings settings) {
    this.settings = settings;
    this.layout = settings.layout();
  }

  /**
   * Checks the results folder, the checkpoints and the input against replay.json.
   *
   * @return the checkpoints to mark as this run's
   * @throws BadInputException on anything that makes the run pointless or harmful
   */
  Map<Path, String> check(SparkSession spark, ReplayManifest manifest) throws IOException {
    Sources.checkReader(spark);
    for (StreamingQueryDef def : settings.queries()) {
      if (def instanceof SqlQuery sql) {
        sql.check(spark, layout, settings.input()); // on streams that read nothing: nothing changes
      }
    }
    Path root = layout.root();
    FileSystem fs = SparkSessions.fileSystem(spark, root);
    if (fs.exists(root) && !fs.getFileStatus(root).isDirectory()) {
      throw new BadInputException("--results " + root + " is a file, not a folder");
    }
    if (!settings.fresh()) {
      settings.queries().forEach(def -> def.checkStoredState(spark, layout));
    }
    Map<Path, String> checkpoints = new LinkedHashMap<>();
    settings.queries().forEach(def -> checkpoints.putAll(def.checkpoints(layout)));
    // --fresh deletes them all: then none is checked, and all are claimed
    Map<Path, String> unclaimed =
        settings.fresh() ? checkpoints : CheckpointOwner.check(spark, checkpoints);
    if (manifest != null && manifest.kafka() != null && settings.input() instanceof FileInput) {
      throw new BadInputException(
          "replay run "
              + manifest.runId()
              + " went to Kafka, not to "
              + layout.input()
              + ": read it with --from kafka://"
              + manifest.kafka().bootstrap()
              + topicPrefixOption(manifest));
    }
    if (!settings.fresh()) {
      String runId = manifest == null ? null : manifest.runId();
      String drained = drainedForAnotherRun(spark, runId);
      if (drained != null) {
        throw new BadInputException(drained + "; use --fresh to start it over");
      }
      for (StreamingQueryDef def : settings.queries()) {
        Path checkpoint = layout.checkpoint(def.name());
        String held = CheckpointRun.read(SparkSessions.fileSystem(spark, checkpoint), checkpoint);
        if (held != null && !held.equals(runId)) {
          throw new BadInputException(
              anotherRun(def, held, runId)
                  + "; use --fresh to start it over on "
                  + (runId == null ? "the next run" : "run " + runId));
        }
      }
    }
    if (settings.trigger().availableNow()) {
      List<String> missing = settings.input().missing(spark, settings.topics());
      if (!missing.isEmpty()) {
        throw new BadInputException(
            "nothing to process: "
                + missing.get(0)
                + " does not exist (run stream-data first, or use a live trigger to wait for it)");
      }
    }
    return unclaimed;
  }

  /**
   * Records {@code runId} as the run of every chosen query's checkpoint, or stops (exit 1) if one
   * holds another run: its state and offsets are that run's.
   *
   * @param checked the run the start-up checks compared with (null: none), for the message
   */
  void claimForRun(SparkSession spark, String runId, String checked) throws IOException {
    for (StreamingQueryDef def : settings.queries()) {
      Path checkpoint = layout.checkpoint(def.name());
      FileSystem fs = SparkSessions.fileSystem(spark, checkpoint);
      String held = CheckpointRun.read(fs, checkpoint);
      if (held == null) {
        CheckpointRun.write(fs, checkpoint, runId);
      } else if (!held.equals(runId)) {
        throw new IllegalStateException(
            anotherRun(def, held, runId)
                + (checked == null
                    ? ""
                    : " (run " + runId + " replaced it while run-query was starting)")
                + "; run the command again with --fresh");
      }
    }
  }

  /**
   * Why a chosen query cannot go on with replay run {@code runId} (null: no replay.json): its
   * checkpoint was drained at the end of another run, so its watermark is past any new data. Null
   * if none was.
   */
  String drainedForAnotherRun(SparkSession spark, String runId) throws IOException {
    for (StreamingQueryDef def : settings.queries()) {
      Path checkpoint = layout.checkpoint(def.name());
      String drained =
          def.drainedTopics().isEmpty()
              ? null
              : EndOfStream.drainedRun(SparkSessions.fileSystem(spark, checkpoint), checkpoint);
      if (drained != null && !drained.equals(runId)) {
        return "query "
            + def.name()
            + " was drained at the end of replay run "
            + drained
            + (runId == null ? "" : ", and input now holds run " + runId)
            + ": its watermark is past any new data";
      }
    }
    return null;
  }

  /**
   * Why query {@code def} cannot go on with run {@code now}: its checkpoint is of run {@code held}.
   */
  private static String anotherRun(StreamingQueryDef def, String held, String now) {
    return "query "
        + def.name()
        + "'s checkpoint holds replay run "
        + held
        + ", and "
        + (now == null
            ? "there is no replay.json (no run to follow)"
            : "input now holds replay run " + now)
        + ": its state and offsets are run "
        + held
        + "'s";
  }

  /** The --topic-prefix option that reads a Kafka run's topics, or "" for none. */
  private static String topicPrefixOption(ReplayManifest manifest) {
    String topic =
        manifest.kafka().topics() == null
            ? null
            : manifest.kafka().topics().get(Topics.ACCELERATIONS);
    String prefix =
        topic == null || !topic.endsWith(Topics.ACCELERATIONS)
            ? ""
            : topic.substring(0, topic.length() - Topics.ACCELERATIONS.length());
    return prefix.isEmpty() ? "" : " --topic-prefix " + prefix;
  }
}
