package edu.dsc650.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * Hadoop's local file system (checksums and all), with file permissions set through {@code
 * java.nio}. Without Hadoop's native library, which Spark does not ship, Hadoop starts a {@code
 * chmod} process for each file and folder it creates: each output file of a micro-batch, its {@code
 * .crc} file and the output committer's folders. The queries' session uses this class for {@code
 * file:} paths ({@link #SETTING}).
 */
public final class NioLocalFileSystem extends LocalFileSystem {
  /** Hadoop's setting for the class of the {@code file:} scheme. */
  public static final String SETTING = "fs.file.impl";

  public NioLocalFileSystem() {
    super(new NioPermissions());
  }

  /** The raw local file system with {@link #setPermission} in Java. */
  static final class NioPermissions extends RawLocalFileSystem {
    @Override
    public void setPermission(Path p, FsPermission permission) throws IOException {
      Files.setPosixFilePermissions(pathToFile(p).toPath(), posix(permission));
    }
  }

  /** Owner, group and others as java.nio names them ({@code FsAction.SYMBOL} is "rwx", "r-x"…). */
  static Set<PosixFilePermission> posix(FsPermission permission) {
    return PosixFilePermissions.fromString(
        permission.getUserAction().SYMBOL
            + permission.getGroupAction().SYMBOL
            + permission.getOtherAction().SYMBOL);
  }
}
