package edu.dsc650.query;

import edu.dsc650.BadInputException;
import edu.dsc650.io.ResultsLayout;
import edu.dsc650.io.Storage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.fs.Path;

/**
 * A query's checkpoint folder, with the three markers run-query keeps in it beside Spark's files:
 *
 * <ul>
 *   <li>{@code _dsc650_query}: the query that owns it. Spark keeps no such name: another query's
 *       checkpoint would fail deep inside Spark on restart, or mix its state into this output.
 *   <li>{@code _dsc650_run}: the replay run its offsets and state are of. A new run replays the
 *       same rides over overlapping event times: going on with it would mix the two runs.
 *   <li>{@code _dsc650_drained}: the run it was drained at the end of ({@link EndOfStream}); its
 *       watermark is then past any later data.
 * </ul>
 *
 * The markers are read once; the run claims, follows and marks the checkpoint through this object
 * (it holds the query's lock, so nobody else writes them meanwhile).
 */
final class QueryCheckpoint {
  static final String OWNER = "_dsc650_query";
  static final String RUN = "_dsc650_run";
  static final String DRAINED = "_dsc650_drained";

  private final Storage storage;
  private final Path folder;
  private final String query;
  private final boolean drainable;
  private String owner;
  private String run;
  private String drained;

  private QueryCheckpoint(
      Storage storage,
      Path folder,
      String query,
      boolean drainable,
      String owner,
      String run,
      String drained) {
    this.storage = storage;
    this.folder = folder;
    this.query = query;
    this.drainable = drainable;
    this.owner = owner;
    this.run = run;
    this.drained = drained;
  }

  /**
   * Reads the checkpoint of {@code def} and checks that it is its own: absent, empty, or marked as
   * this query's.
   *
   * @throws BadInputException if it is a file, another query's, or not written by run-query
   */
  static QueryCheckpoint read(Storage storage, ResultsLayout layout, StreamingQueryDef def)
      throws IOException {
    Path folder = layout.checkpoint(def.name());
    boolean drainable = !def.drainedTopics().isEmpty();
    if (!storage.exists(folder)) {
      return new QueryCheckpoint(storage, folder, def.name(), drainable, null, null, null);
    }
    if (!storage.isDirectory(folder)) {
      throw new BadInputException("checkpoint " + folder + " is a file, not a folder");
    }
    String owner = marker(storage, folder, OWNER);
    // a run killed while claiming the folder may have left the marker's hidden temporary file
    if (owner == null && storage.list(folder).stream().anyMatch(e -> !e.hidden())) {
      throw new BadInputException(
          "checkpoint "
              + folder
              + " was not written by run-query "
              + def.name()
              + "; use --fresh to start this query over, or another --results folder");
    }
    if (owner != null && !owner.equals(def.name())) {
      throw new BadInputException(
          "checkpoint "
              + folder
              + " belongs to query '"
              + owner
              + "', not '"
              + def.name()
              + "'; use --fresh to start this query over, or another --results folder");
    }
    return new QueryCheckpoint(
        storage,
        folder,
        def.name(),
        drainable,
        owner,
        marker(storage, folder, RUN),
        drainable ? marker(storage, folder, DRAINED) : null);
  }

  /** The checkpoint of {@code def} as {@code --fresh} leaves it: none. */
  static QueryCheckpoint fresh(Storage storage, ResultsLayout layout, StreamingQueryDef def) {
    return new QueryCheckpoint(
        storage,
        layout.checkpoint(def.name()),
        def.name(),
        !def.drainedTopics().isEmpty(),
        null,
        null,
        null);
  }

  String query() {
    return query;
  }

  Path folder() {
    return folder;
  }

  /** The run it was drained at the end of, or null. */
  String drainedRun() {
    return drained;
  }

  /**
   * Why it cannot go on with replay run {@code runId} (null: there is no replay.json) without
   * {@code --fresh}, or null if it can.
   */
  String whyNotFor(String runId) {
    String drainedElsewhere = drainedElsewhere(runId);
    if (drainedElsewhere != null) {
      return drainedElsewhere;
    }
    if (run != null && !run.equals(runId)) {
      return "query "
          + query
          + "'s checkpoint holds replay run "
          + run
          + ", and "
          + (runId == null
              ? "there is no replay.json (no run to follow)"
              : "input now holds replay run " + runId)
          + ": its state and offsets are run "
          + run
          + "'s";
    }
    return null;
  }

  /**
   * Why it cannot go on with replay run {@code runId}: it was drained at the end of another run; or
   * null if it was not.
   */
  String drainedElsewhere(String runId) {
    if (drained == null || drained.equals(runId)) {
      return null;
    }
    return "query "
        + query
        + " was drained at the end of replay run "
        + drained
        + (runId == null ? "" : ", and input now holds run " + runId)
        + ": its watermark is past any new data";
  }

  /** Marks the folder as this query's (the first write of run-query). */
  void claim() {
    if (owner != null) {
      return;
    }
    try {
      storage.mkdirs(folder);
      write(OWNER, query);
      owner = query;
    } catch (IOException failed) {
      // an unwritable results folder is bad input, found before any work
      throw new BadInputException(
          "cannot write the checkpoint folder " + folder + ": " + failed.getMessage(), failed);
    }
  }

  /**
   * Records {@code runId} as the run it follows, or stops (exit 1) if it holds another run: a run
   * that replaced the checked one while run-query was starting.
   */
  void follow(String runId) throws IOException {
    String problem = whyNotFor(runId);
    if (problem != null) {
      throw new IllegalStateException(
          problem
              + " (run "
              + runId
              + " replaced it while run-query was starting); run the command again with --fresh");
    }
    if (run == null) {
      storage.mkdirs(folder);
      write(RUN, runId);
      run = runId;
    }
  }

  /** Marks it drained at the end of {@code runId}: its watermark is past everything. */
  void markDrained(String runId) throws IOException {
    write(DRAINED, runId);
    drained = runId;
  }

  boolean drainable() {
    return drainable;
  }

  private void write(String marker, String value) throws IOException {
    storage.writeAtomically(new Path(folder, marker), value.getBytes(StandardCharsets.UTF_8));
  }

  private static String marker(Storage storage, Path folder, String name) throws IOException {
    Path file = new Path(folder, name);
    return storage.exists(file)
        ? new String(storage.readAll(file), StandardCharsets.UTF_8).strip()
        : null;
  }
}
