package edu.dsc650.query;

import edu.dsc650.BadInputException;
import edu.dsc650.io.ReplayManifest;
import edu.dsc650.io.ResultsLayout;
import edu.dsc650.io.Storage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/**
 * The checks before run-query changes anything, so that exit code 2 means nothing was changed: the
 * reader settings, each query as Spark analyses it, the results folder, each query's checkpoint
 * against the replay run to follow ({@link QueryCheckpoint}), and the input.
 */
final class Preflight {
  private Preflight() {}

  /**
   * What passed the checks.
   *
   * @param queries the queries as they will run (a {@code --sql} query analysed)
   * @param checkpoints their checkpoints, in the same order
   */
  record Passed(List<StreamingQueryDef> queries, List<QueryCheckpoint> checkpoints) {}

  /**
   * @param manifest replay.json as the run starts, or null if there is none
   * @throws BadInputException on anything that makes the run pointless or harmful
   */
  static Passed check(
      RunSettings settings, SparkSession spark, Storage results, ReplayManifest manifest)
      throws IOException {
    Sources.checkReader(spark);
    QueryInput input = settings.input();
    // on streams that read nothing: nothing changes
    List<StreamingQueryDef> queries =
        settings.queries().stream().map(def -> def.prepare(spark, input)).toList();
    ResultsLayout layout = settings.layout();
    if (results.exists(layout.root()) && !results.isDirectory(layout.root())) {
      throw new BadInputException("--results " + layout.root() + " is a file, not a folder");
    }
    List<QueryCheckpoint> checkpoints = new ArrayList<>();
    for (StreamingQueryDef def : queries) {
      if (settings.fresh()) { // --fresh deletes them: none is checked
        checkpoints.add(QueryCheckpoint.fresh(results, layout, def));
      } else {
        def.checkStoredState(spark, layout);
        checkpoints.add(QueryCheckpoint.read(results, layout, def));
      }
    }
    if (manifest != null) {
      input.checkReplayGoesHere(manifest);
    }
    String runId = manifest == null ? null : manifest.runId();
    for (QueryCheckpoint checkpoint : checkpoints) {
      String problem = checkpoint.whyNotFor(runId);
      if (problem != null) {
        boolean drained = checkpoint.drainedElsewhere(runId) != null;
        throw new BadInputException(
            problem
                + "; use --fresh to start it over"
                + (drained ? "" : " on " + (runId == null ? "the next run" : "run " + runId)));
      }
    }
    if (settings.trigger().availableNow()) {
      List<String> missing = input.missing(spark, settings.topics());
      if (!missing.isEmpty()) {
        throw new BadInputException(
            "nothing to process: "
                + missing.get(0)
                + " does not exist (run stream-data first, or use a live trigger to wait for it)");
      }
    }
    return new Passed(queries, checkpoints);
  }
}
