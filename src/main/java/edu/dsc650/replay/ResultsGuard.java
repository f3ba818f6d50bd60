package edu.dsc650.replay;

import edu.dsc650.BadInputException;
import edu.dsc650.io.ResultsLayout;
import edu.dsc650.io.Storage;
import java.io.IOException;
import org.apache.hadoop.fs.Path;

/**
 * Refuses results folders that a run could damage: the run clears {@code <results>/input} and
 * {@code <results>/staging}, so the results folder must not be, contain, or lie inside the source,
 * nor be a file system root, nor hold an {@code input} or {@code staging} that is not
 * stream-data's.
 */
public final class ResultsGuard {
  private ResultsGuard() {}

  /**
   * @param source and @param results qualified paths, as {@link Storage#qualify} returns them
   */
  public static void check(Path source, Path results, Storage resultsStorage) throws IOException {
    if (results.isRoot() || results.getParent() == null) {
      throw new BadInputException(
          "results folder " + results + " is a file system root; choose a folder of its own");
    }
    String s = withSlash(source);
    String r = withSlash(results);
    if (r.equals(s)) {
      throw new BadInputException("results folder " + results + " is the source folder");
    }
    if (r.startsWith(s)) {
      throw new BadInputException(
          "results folder " + results + " is inside the source folder " + source);
    }
    if (s.startsWith(r)) {
      throw new BadInputException(
          "results folder " + results + " contains the source folder " + source);
    }
    if (resultsStorage.exists(results) && !resultsStorage.isDirectory(results)) {
      throw new BadInputException("results folder " + results + " is a file, not a folder");
    }
    checkOurs(new ResultsLayout(results), resultsStorage);
  }

  /**
   * A run clears {@code input} and {@code staging}: only in a folder that stream-data made (its
   * marker, or a replay.json of an earlier version). Lists the folder too, so that a name no Hadoop
   * path can hold is found now, before anything is moved.
   */
  private static void checkOurs(ResultsLayout layout, Storage storage) throws IOException {
    if (!storage.exists(layout.root())) {
      return;
    }
    storage.list(layout.root());
    boolean ours = storage.exists(layout.marker()) || storage.exists(layout.replayManifest());
    for (Path cleared : new Path[] {layout.input(), layout.staging()}) {
      if (!ours && storage.exists(cleared)) {
        throw new BadInputException(
            "results folder "
                + layout.root()
                + " holds '"
                + cleared.getName()
                + "', which was not made by stream-data (a run would delete it); choose another --results folder");
      }
    }
  }

  /** Marks the folder as made by stream-data (after the checks, with the lock held). */
  public static void markOurs(ResultsLayout layout, Storage storage) throws IOException {
    if (!storage.exists(layout.marker())) {
      byte[] text =
          "This folder holds the results of dsc650 (stream-data, run-query): stream-data clears its input and staging.\n"
              .getBytes(java.nio.charset.StandardCharsets.UTF_8);
      storage.writeAtomically(layout.marker(), text);
    }
  }

  private static String withSlash(Path p) {
    String uri = p.toUri().toString();
    return uri.endsWith("/") ? uri : uri + "/";
  }
}
