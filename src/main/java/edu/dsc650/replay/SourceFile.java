package edu.dsc650.replay;

import edu.dsc650.io.parquet.ParquetBytes;
import edu.dsc650.io.Storage;
import java.io.IOException;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.format.FileMetaData;

/**
 * One source parquet file. Validation reads and parses every file anyway; it keeps the bytes and
 * the parsed footer (within a memory budget) so that rewriting the slice later reads nothing twice.
 */
public final class SourceFile {
  private final Path path;
  private byte[] bytes;
  private FileMetaData footer;

  public SourceFile(Path path) {
    this.path = path;
  }

  public Path path() {
    return path;
  }

  /** Keeps what validation read, for {@link #take}. */
  synchronized void keep(byte[] bytes, FileMetaData footer) {
    this.bytes = bytes;
    this.footer = footer;
  }

  /** The file's bytes and footer: the kept ones (released by this call), or read again. */
  synchronized Contents take(Storage storage) throws IOException {
    if (bytes != null) {
      Contents kept = new Contents(bytes, footer);
      bytes = null;
      footer = null;
      return kept;
    }
    byte[] read = storage.readAll(path);
    return new Contents(read, ParquetBytes.footer(read, false));
  }

  /** A whole parquet file in memory and its parsed footer. */
  public record Contents(byte[] bytes, FileMetaData footer) {}

  @Override
  public String toString() {
    return path.toString();
  }
}
