package edu.dsc650.cli;

import edu.dsc650.io.ReplayManifest;
import edu.dsc650.io.ResultsLayout;
import edu.dsc650.io.RunLock;
import edu.dsc650.io.Storage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Writes {@code report}'s page once a run is over, so that the live page's {@code /report} is this
 * run's: when the replay has ended (completed, stopped or failed), no run-query holds a query's
 * lock, and nothing new has come for a few seconds. {@code report} runs in a process of its own
 * (the same jar, {@code java -jar}), since it starts Spark; once per state of the results.
 */
final class ReportAfterRun {
  /** Results that changed less than this long ago may still be changing. */
  static final long QUIET_MS = 3000;

  /** What became of the last report the server wrote, for the page. */
  enum State {
    WRITING,
    WRITTEN,
    FAILED
  }

  private final Storage storage;
  private final ResultsLayout layout;
  private final List<String> command;
  private final Consumer<State> told;
  private final Consumer<String> warnings;
  private final LongSupplier clock;
  private long changedAt;
  private Object lastSeen;
  private Object written;
  private Process running;

  /**
   * @param command the command that writes the report ({@link #reportCommand}), or null if this
   *     process cannot start one (not run from the jar): then nothing is written
   * @param told told when a report starts being written, and how it ended
   */
  ReportAfterRun(
      Storage storage,
      ResultsLayout layout,
      List<String> command,
      Consumer<State> told,
      Consumer<String> warnings,
      LongSupplier clock) {
    this.storage = storage;
    this.layout = layout;
    this.command = command;
    this.told = told;
    this.warnings = warnings;
    this.clock = clock;
  }

  /**
   * Looks at the results: {@code seen} is what the live page has read of them so far (it changes
   * with every news). Starts writing the report when the run is over and has been quiet.
   */
  synchronized void check(Object seen) throws IOException {
    long now = clock.getAsLong();
    if (running != null) {
      if (running.isAlive()) {
        return;
      }
      told.accept(running.exitValue() == 0 ? State.WRITTEN : State.FAILED);
      if (running.exitValue() != 0) {
        warnings.accept(
            "warning: writing the report after the run failed (exit "
                + running.exitValue()
                + "): run java -jar dsc650.jar report --results "
                + layout.root()
                + " to see why");
      }
      running = null;
    }
    if (!seen.equals(lastSeen)) {
      lastSeen = seen;
      changedAt = now;
      return;
    }
    if (command == null || seen.equals(written) || now - changedAt < QUIET_MS || !runIsOver()) {
      return;
    }
    written = seen;
    List<String> args = new ArrayList<>(command);
    args.addAll(List.of("report", "--results", layout.root().toString()));
    running =
        new ProcessBuilder(args)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    told.accept(State.WRITING);
  }

  /** The replay has ended and no run-query holds a query's lock. */
  private boolean runIsOver() throws IOException {
    ReplayManifest manifest = ReplayManifest.read(storage, layout.replayManifest());
    if (manifest == null
        || manifest.status() == ReplayManifest.Status.STARTING
        || manifest.status() == ReplayManifest.Status.REPLAYING) {
      return false;
    }
    org.apache.hadoop.fs.Path checkpoints = layout.checkpoints();
    if (storage.isDirectory(checkpoints)) {
      for (Storage.Entry e : storage.list(checkpoints)) {
        if (e.name().endsWith(".lock") && RunLock.isHeld(storage, e.path())) {
          return false;
        }
      }
    }
    return true;
  }

  /** Ends a report being written (the server stops). */
  synchronized void close() {
    if (running != null) {
      running.destroy();
    }
  }

  /**
   * {@code java -jar <this jar>} as this process was started, or null if it was not started from a
   * jar (the jar's manifest opens the JDK's packages that Spark needs).
   */
  static List<String> reportCommand() {
    try {
      Path jar =
          Path.of(ReportAfterRun.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      String java = ProcessHandle.current().info().command().orElse(null);
      if (java == null || !jar.toString().endsWith(".jar")) {
        return null;
      }
      return List.of(java, "-jar", jar.toString());
    } catch (java.net.URISyntaxException | RuntimeException e) {
      return null;
    }
  }
}
