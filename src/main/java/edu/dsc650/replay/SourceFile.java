package edu.dsc650.replay;

import edu.dsc650.io.Storage;
import edu.dsc650.parquet.ParquetFile;
import java.io.IOException;
import org.apache.hadoop.fs.Path;

/**
 * One source parquet file. Validation reads and parses every file anyway; it keeps the bytes and
 * the parsed footer (within a memory budget) so that rewriting the slice later reads nothing twice.
 */
public final class SourceFile {
  private final Path path;
  private ParquetFile kept;

  public SourceFile(Path path) {
    this.path = path;
  }

  public Path path() {
    return path;
  }

  /** Keeps what validation read, for {@link #take}. */
  synchronized void keep(ParquetFile file) {
    this.kept = file;
  }

  /** The file's bytes and footer: the kept ones (released by this call), or read again. */
  synchronized ParquetFile take(Storage storage) throws IOException {
    if (kept != null) {
      ParquetFile file = kept;
      kept = null;
      return file;
    }
    return ParquetFile.of(storage.readAll(path));
  }

  @Override
  public String toString() {
    return path.toString();
  }
}
