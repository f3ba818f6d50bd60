package edu.dsc650.query.spark;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.PathFilter;
import org.apache.spark.sql.execution.streaming.CheckpointFileManager;

/**
 * Spark's checkpoint files (offset and commit logs, state store deltas, the file sink's log) on a
 * local disk through {@code java.nio}; any other file system through Spark's own manager.
 *
 * <p>Why: without Hadoop's native library, which Spark does not ship, Hadoop's local file system
 * starts a {@code readlink} process for each status it asks for in a rename, several per rename,
 * and Spark writes each checkpoint file as a temporary file renamed into place, ten or more per
 * micro-batch: most of the queries' system time (docs/performance.md). Here a file is written the
 * same way, temporary file then rename, with one system call each: {@code rename(2)} to replace,
 * {@code link(2)} (which fails if the name is taken) to not replace. Spark picks this class through
 * {@link #SETTING}.
 */
public final class LocalCheckpointFiles implements CheckpointFileManager {
  /** Spark's setting that names the checkpoint file manager's class. */
  public static final String SETTING = "spark.sql.streaming.checkpointFileManagerClass";

  private final CheckpointFileManager files; // OnLocalDisk, or Spark's own manager

  /** Spark's constructor for a checkpoint file manager: the folder it manages and the settings. */
  public LocalCheckpointFiles(Path path, Configuration conf) throws IOException {
    String scheme = path.toUri().getScheme();
    if (scheme == null) {
      scheme = FileSystem.getDefaultUri(conf).getScheme();
    }
    if ("file".equals(scheme)) {
      this.files = new OnLocalDisk(path, FileSystem.getLocal(conf).getRawFileSystem());
    } else {
      Configuration spark = new Configuration(conf);
      spark.unset(SETTING);
      this.files = CheckpointFileManager.create(path, spark);
    }
  }

  @Override
  public CancellableFSDataOutputStream createAtomic(Path path, boolean overwrite) {
    return files.createAtomic(path, overwrite);
  }

  @Override
  public FSDataInputStream open(Path path) {
    return files.open(path);
  }

  @Override
  public FileStatus[] list(Path path, PathFilter filter) {
    return files.list(path, filter);
  }

  @Override
  public void mkdirs(Path path) {
    files.mkdirs(path);
  }

  @Override
  public boolean exists(Path path) {
    return files.exists(path);
  }

  @Override
  public void delete(Path path) {
    files.delete(path);
  }

  @Override
  public boolean isLocal() {
    return files.isLocal();
  }

  @Override
  public Path createCheckpointDirectory() {
    return files.createCheckpointDirectory();
  }

  /**
   * Throws {@code e} as it is, undeclared (Spark's interface is Scala's, which declares none): its
   * callers catch {@code FileNotFoundException} and Hadoop's {@code FileAlreadyExistsException}.
   */
  @SuppressWarnings("unchecked")
  private static <E extends Throwable> RuntimeException sneaky(Throwable e) throws E {
    throw (E) e;
  }

  /** The checkpoint files of a folder on a local disk, through java.nio. */
  private static final class OnLocalDisk implements CheckpointFileManager {
    private final Path root;
    private final FileSystem local; // for qualified paths and reading

    OnLocalDisk(Path root, FileSystem local) {
      this.root = root;
      this.local = local;
    }

    private static java.nio.file.Path file(Path path) {
      return java.nio.file.Paths.get(path.toUri().getPath());
    }

    @Override
    public CancellableFSDataOutputStream createAtomic(Path path, boolean overwrite) {
      java.nio.file.Path target = file(path);
      java.nio.file.Path temp =
          target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
      try {
        Files.createDirectories(target.getParent());
        return new RenamedWhenClosed(
            new java.io.BufferedOutputStream(Files.newOutputStream(temp), 1 << 16),
            temp,
            target,
            overwrite);
      } catch (IOException e) {
        throw sneaky(e);
      }
    }

    @Override
    public FSDataInputStream open(Path path) {
      try {
        return local.open(path);
      } catch (IOException e) {
        throw sneaky(e);
      }
    }

    @Override
    public FileStatus[] list(Path path, PathFilter filter) {
      List<FileStatus> found = new ArrayList<>();
      try (DirectoryStream<java.nio.file.Path> entries = Files.newDirectoryStream(file(path))) {
        for (java.nio.file.Path entry : entries) {
          Path child = new Path(path, entry.getFileName().toString());
          if (filter.accept(child)) {
            BasicFileAttributes a = Files.readAttributes(entry, BasicFileAttributes.class);
            found.add(
                new FileStatus(
                    a.size(),
                    a.isDirectory(),
                    1,
                    local.getDefaultBlockSize(child),
                    a.lastModifiedTime().toMillis(),
                    local.makeQualified(child)));
          }
        }
      } catch (NoSuchFileException e) {
        throw sneaky(new FileNotFoundException(path.toString())); // what Spark's callers catch
      } catch (IOException e) {
        throw sneaky(e);
      }
      return found.toArray(FileStatus[]::new);
    }

    @Override
    public void mkdirs(Path path) {
      try {
        Files.createDirectories(file(path));
      } catch (IOException e) {
        throw sneaky(e);
      }
    }

    @Override
    public boolean exists(Path path) {
      return Files.exists(file(path));
    }

    @Override
    public void delete(Path path) {
      java.nio.file.Path top = file(path);
      if (!Files.exists(top)) {
        return;
      }
      try (Stream<java.nio.file.Path> all = Files.walk(top)) {
        for (java.nio.file.Path p : all.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      } catch (IOException e) {
        throw sneaky(e);
      }
    }

    @Override
    public boolean isLocal() {
      return true;
    }

    @Override
    public Path createCheckpointDirectory() {
      Path qualified = local.makeQualified(root);
      mkdirs(qualified);
      return qualified;
    }
  }

  /** A temporary file that takes its final name when closed, or is deleted when cancelled. */
  private static final class RenamedWhenClosed extends CancellableFSDataOutputStream {
    private final java.nio.file.Path temp;
    private final java.nio.file.Path target;
    private final boolean overwrite;
    private boolean done;

    RenamedWhenClosed(
        OutputStream out, java.nio.file.Path temp, java.nio.file.Path target, boolean overwrite) {
      super(out);
      this.temp = temp;
      this.target = target;
      this.overwrite = overwrite;
    }

    @Override
    public synchronized void close() throws IOException {
      if (done) {
        return;
      }
      done = true;
      try {
        super.close();
        if (overwrite) {
          Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } else {
          keepName(temp, target);
        }
      } catch (FileAlreadyExistsException e) {
        Files.deleteIfExists(temp);
        // the exception Spark's metadata logs expect when another writer was first
        throw new org.apache.hadoop.fs.FileAlreadyExistsException(target + " exists already");
      } catch (IOException | RuntimeException e) {
        Files.deleteIfExists(temp);
        throw e;
      }
    }

    /**
     * Gives {@code temp} the name {@code target} unless that name is taken: a hard link fails,
     * atomically, if it is. A disk without hard links gets a check, then a rename.
     */
    private static void keepName(java.nio.file.Path temp, java.nio.file.Path target)
        throws IOException {
      try {
        Files.createLink(target, temp);
      } catch (FileAlreadyExistsException e) {
        throw e;
      } catch (UnsupportedOperationException | java.nio.file.FileSystemException e) {
        if (Files.exists(target)) {
          throw new FileAlreadyExistsException(target.toString());
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        return;
      }
      Files.delete(temp);
    }

    @Override
    public synchronized void cancel() {
      if (done) {
        return;
      }
      done = true;
      try {
        underlyingStream().close();
        Files.deleteIfExists(temp);
      } catch (IOException e) {
        // what is left is a hidden temporary file, which no reader takes for a checkpoint file
      }
    }
  }
}
