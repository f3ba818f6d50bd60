package edu.dsc650.io;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import org.apache.hadoop.fs.Path;

/**
 * The few file-system operations the replayer needs, for a local disk or any Hadoop file system.
 * Paths are Hadoop {@link Path}s so that {@code hdfs://...} and local paths read the same in
 * callers.
 */
public interface Storage {

  /** One child of a directory. */
  record Entry(String name, Path path, boolean directory) {
    /**
     * A name starting with '.': what {@link Storage#writeAtomically} has not finished (a writer
     * killed between its write and its rename leaves it), or a checksum of Hadoop's.
     */
    public boolean hidden() {
      return name.startsWith(".");
    }
  }

  /**
   * The storage for a location given on the command line: java.nio for local paths and {@code
   * file:} URIs (fast, no per-file process forks), Hadoop's {@code FileSystem} for every other
   * scheme.
   */
  static Storage forLocation(String location) throws IOException {
    URI uri = new Path(location).toUri();
    if (uri.getScheme() == null || "file".equals(uri.getScheme())) {
      return new LocalStorage();
    }
    return new HadoopStorage(uri);
  }

  /** An absolute, normalized form of the path, used to compare locations. */
  Path qualify(Path path) throws IOException;

  boolean exists(Path path) throws IOException;

  boolean isDirectory(Path path) throws IOException;

  /** The children of a directory, sorted by name. */
  List<Entry> list(Path dir) throws IOException;

  /**
   * Creates a new file with the first {@code length} bytes of {@code content}; fails if it exists.
   */
  void write(Path file, byte[] content, int length) throws IOException;

  void mkdirs(Path dir) throws IOException;

  /** Deletes a file or a directory tree; no error if it is absent. */
  void deleteRecursively(Path path) throws IOException;

  /** Renames in one atomic step; fails if the target exists. */
  void rename(Path from, Path to) throws IOException;

  /**
   * Replaces the file's content in one atomic step (write a hidden temporary file, then rename).
   */
  void writeAtomically(Path file, byte[] content) throws IOException;

  /**
   * Creates (or replaces) a file to be written a line at a time; {@code flush()} makes what was
   * written so far visible to readers (on HDFS too).
   */
  java.io.OutputStream createForLines(Path file) throws IOException;

  /** Reads a whole (small) file. */
  byte[] readAll(Path file) throws IOException;

  /**
   * What a growing file holds from byte {@code offset} on, as far as a reader sees it now (on HDFS,
   * what its writer has flushed): the new part of a log, without reading the rest again. Empty when
   * the file is not longer than {@code offset}.
   */
  default byte[] readFrom(Path file, long offset) throws IOException {
    byte[] all = readAll(file);
    return offset >= all.length
        ? new byte[0]
        : java.util.Arrays.copyOfRange(all, (int) offset, all.length);
  }
}
