package edu.dsc650.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;

/** {@link Storage} on any Hadoop file system ({@code hdfs://}, ...). */
public final class HadoopStorage implements Storage {
  private final FileSystem fs;

  public HadoopStorage(URI uri) throws IOException {
    this(FileSystem.get(uri, HadoopConf.shared()));
  }

  /** On a file system the caller configured (e.g. Spark's, with the cluster's settings). */
  public HadoopStorage(FileSystem fs) {
    this.fs = fs;
  }

  @Override
  public Path qualify(Path path) {
    return fs.makeQualified(path);
  }

  @Override
  public boolean exists(Path path) throws IOException {
    return fs.exists(path);
  }

  @Override
  public boolean isDirectory(Path path) throws IOException {
    return fs.exists(path) && fs.getFileStatus(path).isDirectory();
  }

  @Override
  public List<Entry> list(Path dir) throws IOException {
    FileStatus[] statuses = fs.listStatus(dir);
    Arrays.sort(statuses, Comparator.comparing(s -> s.getPath().getName()));
    List<Entry> entries = new ArrayList<>(statuses.length);
    for (FileStatus s : statuses) {
      entries.add(new Entry(s.getPath().getName(), s.getPath(), s.isDirectory()));
    }
    return entries;
  }

  @Override
  public void write(Path file, byte[] content, int length) throws IOException {
    try (FSDataOutputStream out = fs.create(file, false)) {
      out.write(content, 0, length);
    }
  }

  @Override
  public void mkdirs(Path dir) throws IOException {
    HadoopFiles.mkdirs(fs, dir);
  }

  @Override
  public void deleteRecursively(Path path) throws IOException {
    HadoopFiles.delete(fs, path);
  }

  @Override
  public void rename(Path from, Path to) throws IOException {
    if (fs.exists(to)) {
      throw new FileAlreadyExistsException(to.toString());
    }
    // On HDFS a rename is one atomic NameNode operation, files or whole directories alike.
    HadoopFiles.rename(fs, from, to);
  }

  @Override
  public void writeAtomically(Path file, byte[] content) throws IOException {
    Path tmp = new Path(file.getParent(), "." + file.getName() + ".tmp");
    try (FSDataOutputStream out = fs.create(tmp, true)) {
      out.write(content);
    }
    FileContext.getFileContext(fs.getUri(), HadoopConf.shared())
        .rename(tmp, file, Options.Rename.OVERWRITE);
  }

  @Override
  public java.io.OutputStream createForLines(Path file) throws IOException {
    // A checksummed file system (file: through Hadoop) keeps a line's bytes in its checksum buffer
    // until 512 bytes or the close, whatever the flush: its raw file system writes them through.
    FileSystem target =
        fs instanceof org.apache.hadoop.fs.ChecksumFileSystem checksummed
            ? checksummed.getRawFileSystem()
            : fs;
    FSDataOutputStream created = target.create(file, true);
    return new java.io.FilterOutputStream(created) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        created.write(b, off, len);
      }

      @Override
      public void flush() throws IOException {
        created.hflush(); // a plain flush leaves the bytes in the client's buffer on HDFS
      }
    };
  }

  @Override
  public byte[] readAll(Path file) throws IOException {
    try (FSDataInputStream in = fs.open(file)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toByteArray();
    }
  }

  @Override
  public byte[] readFrom(Path file, long offset) throws IOException {
    try (FSDataInputStream in = fs.open(file)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      // seek past the end fails on some file systems: skip instead, which stops at the end
      long skipped = 0;
      while (skipped < offset) {
        long n = in.skip(offset - skipped);
        if (n <= 0) {
          return new byte[0];
        }
        skipped += n;
      }
      in.transferTo(out);
      return out.toByteArray();
    }
  }
}
