package edu.dsc650.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Paths;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.fs.Path;

/** {@link Storage} on the local disk through java.nio. */
public final class LocalStorage implements Storage {

  static java.nio.file.Path toNio(Path path) {
    var uri = path.toUri();
    return uri.getScheme() == null ? Paths.get(uri.getPath()) : Paths.get(uri);
  }

  @Override
  public Path qualify(Path path) throws IOException {
    java.nio.file.Path p = toNio(path).toAbsolutePath().normalize();
    // Resolve symbolic links of the part that exists, so that two spellings of one folder compare
    // equal.
    java.nio.file.Path existing = p;
    java.nio.file.Path rest = null;
    while (existing != null && !Files.exists(existing)) {
      rest = rest == null ? existing.getFileName() : existing.getFileName().resolve(rest);
      existing = existing.getParent();
    }
    if (existing != null) {
      p = rest == null ? existing.toRealPath() : existing.toRealPath().resolve(rest);
    }
    return new Path(p.toUri());
  }

  @Override
  public boolean exists(Path path) {
    return Files.exists(toNio(path), LinkOption.NOFOLLOW_LINKS) || Files.exists(toNio(path));
  }

  @Override
  public boolean isDirectory(Path path) {
    return Files.isDirectory(toNio(path));
  }

  @Override
  public List<Entry> list(Path dir) throws IOException {
    List<Entry> entries = new ArrayList<>();
    try (Stream<java.nio.file.Path> children = Files.list(toNio(dir))) {
      children
          .sorted()
          .forEach(
              child -> {
                String name = child.getFileName().toString();
                if (name.indexOf(':') >= 0) {
                  // Hadoop's Path takes "a:b" for a URI scheme: such a name has no Path, here or in
                  // Spark
                  throw new edu.dsc650.BadInputException(
                      child
                          + ": a file or folder name with ':' cannot be read "
                          + "through Hadoop paths; rename it or move it out of the way");
                }
                entries.add(new Entry(name, new Path(dir, name), Files.isDirectory(child)));
              });
    }
    return entries;
  }

  @Override
  public void write(Path file, byte[] content, int length) throws IOException {
    try (OutputStream out =
        Files.newOutputStream(
            toNio(file), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      out.write(content, 0, length);
    }
  }

  @Override
  public void mkdirs(Path dir) throws IOException {
    Files.createDirectories(toNio(dir));
  }

  @Override
  public void deleteRecursively(Path path) throws IOException {
    java.nio.file.Path root = toNio(path);
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(java.nio.file.Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.deleteIfExists(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(java.nio.file.Path file, IOException e)
              throws IOException {
            if (e instanceof NoSuchFileException) {
              return FileVisitResult.CONTINUE;
            }
            throw e;
          }

          @Override
          public FileVisitResult postVisitDirectory(java.nio.file.Path dir, IOException e)
              throws IOException {
            if (e != null && !(e instanceof NoSuchFileException)) {
              throw e;
            }
            Files.deleteIfExists(dir);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  @Override
  public void rename(Path from, Path to) throws IOException {
    java.nio.file.Path target = toNio(to);
    // rename(2) would silently replace an empty target directory; a slice must never land twice.
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new java.nio.file.FileAlreadyExistsException(target.toString());
    }
    Files.move(toNio(from), target, StandardCopyOption.ATOMIC_MOVE);
  }

  @Override
  public void writeAtomically(Path file, byte[] content) throws IOException {
    java.nio.file.Path target = toNio(file);
    java.nio.file.Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
    Files.write(tmp, content);
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
  }

  @Override
  public java.io.OutputStream createForLines(Path file) throws IOException {
    return Files.newOutputStream(toNio(file)); // unbuffered: each write reaches the file
  }

  @Override
  public byte[] readAll(Path file) throws IOException {
    return Files.readAllBytes(toNio(file));
  }

  @Override
  public byte[] readFrom(Path file, long offset) throws IOException {
    try (java.nio.channels.SeekableByteChannel in = Files.newByteChannel(toNio(file))) {
      long size = in.size();
      if (size <= offset) {
        return new byte[0];
      }
      java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(Math.toIntExact(size - offset));
      in.position(offset);
      while (buffer.hasRemaining() && in.read(buffer) >= 0) {}
      return buffer.position() == buffer.capacity()
          ? buffer.array()
          : java.util.Arrays.copyOf(buffer.array(), buffer.position());
    }
  }
}
