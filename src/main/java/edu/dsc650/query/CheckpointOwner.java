package edu.dsc650.query;

import edu.dsc650.BadInputException;
import edu.dsc650.io.HadoopFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * A marker file in each checkpoint folder naming the query that owns it. Spark keeps no such name:
 * a checkpoint left by another query would fail deep inside Spark on restart, or worse, mix its
 * state and offsets into this query's output. With the marker, run-query refuses it up front.
 */
public final class CheckpointOwner {
  static final String MARKER = "_dsc650_query";

  private CheckpointOwner() {}

  /**
   * Checks every checkpoint (folder to owner) and changes nothing: an existing folder must carry
   * the same owner, or be empty. Returns the folders that have no marker yet, for {@link #mark}.
   */
  public static Map<Path, String> check(SparkSession spark, Map<Path, String> checkpoints) {
    try {
      Map<Path, String> unmarked = new LinkedHashMap<>();
      for (Map.Entry<Path, String> e : checkpoints.entrySet()) {
        if (!isMarked(SparkSessions.fileSystem(spark, e.getKey()), e.getKey(), e.getValue())) {
          unmarked.put(e.getKey(), e.getValue());
        }
      }
      return unmarked;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Marks each folder as owned by its query (the first write of run-query). */
  public static void mark(SparkSession spark, Map<Path, String> checkpoints) {
    for (Map.Entry<Path, String> e : checkpoints.entrySet()) {
      mark(SparkSessions.fileSystem(spark, e.getKey()), e.getKey(), e.getValue());
    }
  }

  /** True if the folder carries {@code owner}'s marker, false if it has none and may be claimed. */
  private static boolean isMarked(FileSystem fs, Path checkpoint, String owner) throws IOException {
    if (!fs.exists(checkpoint)) {
      return false;
    }
    if (!fs.getFileStatus(checkpoint).isDirectory()) {
      throw new BadInputException("checkpoint " + checkpoint + " is a file, not a folder");
    }
    Path marker = new Path(checkpoint, MARKER);
    if (fs.exists(marker)) {
      String found = HadoopFiles.readString(fs, marker);
      if (!found.equals(owner)) {
        throw new BadInputException(
            "checkpoint "
                + checkpoint
                + " belongs to query '"
                + found
                + "', not '"
                + owner
                + "'; use --fresh to start this query over, or another --results folder");
      }
      return true;
    }
    if (fs.listStatus(checkpoint).length > 0) {
      throw new BadInputException(
          "checkpoint "
              + checkpoint
              + " was not written by run-query "
              + owner
              + "; use --fresh to start this query over, or another --results folder");
    }
    return false;
  }

  private static void mark(FileSystem fs, Path checkpoint, String owner) {
    try {
      HadoopFiles.mkdirs(fs, checkpoint);
      HadoopFiles.writeString(fs, new Path(checkpoint, MARKER), owner);
    } catch (IOException failed) {
      // the first write of run-query: an unwritable results folder is bad input, found before any
      // work
      throw new BadInputException(
          "cannot write the checkpoint folder " + checkpoint + ": " + failed.getMessage(), failed);
    }
  }
}
