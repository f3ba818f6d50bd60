package edu.dsc650.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * How run-query tells stream-data that its queries are running and warm ({@code stream-data
 * --wait-for-queries}): a file {@code control/<query>.ready} per query, written once the query has
 * started and removed when run-query ends. A file counts only while the query's lock ({@code
 * checkpoints/<query>.lock}) is held, so what a killed run-query left behind says nothing.
 */
public final class QueriesReady {
  static final String SUFFIX = ".ready";

  private QueriesReady() {}

  /** {@code control/<query>.ready}: not a folder name a query can have (a query's has no dot). */
  public static org.apache.hadoop.fs.Path file(ResultsLayout layout, String query) {
    return new org.apache.hadoop.fs.Path(layout.control(), query + SUFFIX);
  }

  /** Says that {@code queries} are running. */
  public static void write(Storage storage, ResultsLayout layout, List<String> queries)
      throws IOException {
    storage.mkdirs(layout.control());
    for (String query : queries) {
      storage.writeAtomically(
          file(layout, query),
          ("ready " + java.time.Instant.now() + "\n").getBytes(StandardCharsets.UTF_8));
    }
  }

  /** Takes it back (run-query is stopping). */
  public static void clear(Storage storage, ResultsLayout layout, List<String> queries)
      throws IOException {
    for (String query : queries) {
      storage.deleteRecursively(file(layout, query));
    }
  }

  /** The queries that say they are ready and whose run-query still holds their lock. */
  public static List<String> ready(Storage storage, ResultsLayout layout) throws IOException {
    if (!storage.isDirectory(layout.control())) {
      return List.of();
    }
    List<String> found = new java.util.ArrayList<>();
    for (Storage.Entry e : storage.list(layout.control())) {
      if (!e.directory() && e.name().endsWith(SUFFIX)) {
        String query = e.name().substring(0, e.name().length() - SUFFIX.length());
        if (RunLock.isHeld(storage, layout.queryLock(query))) {
          found.add(query);
        }
      }
    }
    return found;
  }
}
