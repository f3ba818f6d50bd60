package edu.dsc650.replay;

import edu.dsc650.BadInputException;
import edu.dsc650.io.Storage;
import java.io.IOException;
import org.apache.hadoop.fs.Path;

/**
 * Refuses results folders that a run could damage: the run clears {@code <results>/input} and
 * {@code <results>/staging}, so the results folder must not be, contain, or lie inside the source,
 * nor be a file system root.
 */
public final class ResultsGuard {
  private ResultsGuard() {}

  /** @param source and @param results qualified paths, as {@link Storage#qualify} returns them */
  public static void check(Path source, Path results, Storage resultsStorage) throws IOException {
    if (results.isRoot() || results.getParent() == null) {
      throw new BadInputException("results folder " + results + " is a file system root; choose a folder of its own");
    }
    String s = withSlash(source);
    String r = withSlash(results);
    if (r.equals(s)) {
      throw new BadInputException("results folder " + results + " is the source folder");
    }
    if (r.startsWith(s)) {
      throw new BadInputException("results folder " + results + " is inside the source folder " + source);
    }
    if (s.startsWith(r)) {
      throw new BadInputException("results folder " + results + " contains the source folder " + source);
    }
    if (resultsStorage.exists(results) && !resultsStorage.isDirectory(results)) {
      throw new BadInputException("results folder " + results + " is a file, not a folder");
    }
  }

  private static String withSlash(Path p) {
    String uri = p.toUri().toString();
    return uri.endsWith("/") ? uri : uri + "/";
  }
}
