package edu.dsc650.query;

import edu.dsc650.io.ResultsLayout;
import edu.dsc650.io.RunLock;
import edu.dsc650.io.Storage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.hadoop.fs.Path;

/**
 * The locks of the chosen queries ({@code <results>/checkpoints/<query>.lock}): one run-query per
 * query and results folder, so that a second one cannot delete (--fresh) or interleave with a live
 * one's checkpoint and outputs. Taken before Spark starts; the folders made only to hold them are
 * removed again with them, so a refused or finished run leaves no trace of its locks.
 */
final class QueryLocks implements AutoCloseable {
  private final Storage storage;
  private final List<RunLock> held = new ArrayList<>();
  private final List<Path> made = new ArrayList<>();

  private QueryLocks(Storage storage) {
    this.storage = storage;
  }

  static QueryLocks acquire(
      ResultsLayout layout, List<StreamingQueryDef> queries, Consumer<String> warn)
      throws IOException {
    Storage storage = Storage.forLocation(layout.root().toString());
    if (storage.exists(layout.root()) && !storage.isDirectory(layout.root())) {
      throw new edu.dsc650.BadInputException(
          "--results " + layout.root() + " is a file, not a folder");
    }
    QueryLocks locks = new QueryLocks(storage);
    try {
      Path folder = layout.queryLock("x").getParent();
      for (Path p = folder; p != null && !storage.exists(p); p = p.getParent()) {
        locks.made.add(p); // deepest first
      }
      for (StreamingQueryDef def : queries) {
        locks.held.add(
            RunLock.acquire(
                storage, layout.queryLock(def.name()), "run-query of " + def.name(), warn));
      }
      return locks;
    } catch (IOException | RuntimeException e) {
      locks.close();
      throw e;
    }
  }

  @Override
  public void close() throws IOException {
    for (RunLock lock : held) {
      lock.close();
    }
    for (Path p : made) {
      if (storage.exists(p) && storage.list(p).isEmpty()) {
        storage.deleteRecursively(p);
      }
    }
  }
}
