package edu.dsc650.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Hadoop {@code FileSystem} calls that report failure by returning false, turned into exceptions: a
 * folder that was not made or a file that was not removed must not go unnoticed.
 */
public final class HadoopFiles {
  private HadoopFiles() {}

  public static void mkdirs(FileSystem fs, Path dir) throws IOException {
    if (!fs.mkdirs(dir)) {
      throw new IOException("could not create the folder " + dir);
    }
  }

  /** Deletes a file or a folder tree; no error if it is absent. */
  public static void delete(FileSystem fs, Path path) throws IOException {
    if (!fs.delete(path, true) && fs.exists(path)) {
      throw new IOException("could not delete " + path);
    }
  }

  public static void rename(FileSystem fs, Path from, Path to) throws IOException {
    if (!fs.rename(from, to)) {
      throw new IOException("could not rename " + from + " to " + to);
    }
  }

  public static String readString(FileSystem fs, Path file) throws IOException {
    try (FSDataInputStream in = fs.open(file)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    }
  }

  /** Writes a small file, replacing it. */
  public static void writeString(FileSystem fs, Path file, String content) throws IOException {
    try (FSDataOutputStream out = fs.create(file, true)) {
      out.write((content + "\n").getBytes(StandardCharsets.UTF_8));
    }
  }
}
