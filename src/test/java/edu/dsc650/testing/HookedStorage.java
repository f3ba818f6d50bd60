package edu.dsc650.testing;

import edu.dsc650.io.Storage;
import java.io.IOException;
import java.util.List;
import org.apache.hadoop.fs.Path;

/** A real {@link Storage} with a hook before each operation: tests fail, pause or look there. */
public final class HookedStorage implements Storage {
  /**
   * Called with the operation's name ("write", "rename", "deleteRecursively", ...) and its path
   * before the operation; "readAll-done" after a read.
   */
  @FunctionalInterface
  public interface Hook {
    void before(String operation, Path path) throws IOException;
  }

  private final Storage real;
  private final Hook hook;

  public HookedStorage(Storage real, Hook hook) {
    this.real = real;
    this.hook = hook;
  }

  @Override
  public Path qualify(Path path) throws IOException {
    return real.qualify(path);
  }

  @Override
  public boolean exists(Path path) throws IOException {
    hook.before("exists", path);
    return real.exists(path);
  }

  @Override
  public boolean isDirectory(Path path) throws IOException {
    return real.isDirectory(path);
  }

  @Override
  public List<Entry> list(Path dir) throws IOException {
    hook.before("list", dir);
    return real.list(dir);
  }

  @Override
  public void write(Path file, byte[] content, int length) throws IOException {
    hook.before("write", file);
    real.write(file, content, length);
  }

  @Override
  public void mkdirs(Path dir) throws IOException {
    hook.before("mkdirs", dir);
    real.mkdirs(dir);
  }

  @Override
  public void deleteRecursively(Path path) throws IOException {
    hook.before("deleteRecursively", path);
    real.deleteRecursively(path);
  }

  @Override
  public void rename(Path from, Path to) throws IOException {
    hook.before("rename", to);
    real.rename(from, to);
  }

  @Override
  public void writeAtomically(Path file, byte[] content) throws IOException {
    hook.before("writeAtomically", file);
    real.writeAtomically(file, content);
  }

  @Override
  public java.io.OutputStream createForLines(Path file) throws IOException {
    hook.before("createForLines", file);
    return real.createForLines(file);
  }

  @Override
  public byte[] readAll(Path file) throws IOException {
    hook.before("readAll", file);
    byte[] content = real.readAll(file);
    hook.before("readAll-done", file);
    return content;
  }

  @Override
  public byte[] readFrom(Path file, long offset) throws IOException {
    hook.before("readFrom", file);
    return real.readFrom(file, offset);
  }
}
