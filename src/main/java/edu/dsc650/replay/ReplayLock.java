package edu.dsc650.replay;

import edu.dsc650.BadInputException;
import edu.dsc650.io.Storage;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.hadoop.fs.Path;

/**
 * {@code <results>/.replay.lock}: one stream-data run per results folder. It is created atomically (a
 * create fails if the file exists) and names its holder (process, host and a token of its own), so
 * that a lock left by a killed run is recognised as stale on the same host and taken over.
 *
 * <p>Taking over is a check-then-delete, which two runs starting together could interleave (one
 * deletes the lock the other has just taken). So a run first creates {@code .replay.lock.takeover-<h>},
 * named after the stale lock's content: only one run can create it, and only that run removes
 * exactly that stale lock. It uses nothing but atomic create and delete, so it holds on HDFS too.
 */
public final class ReplayLock implements AutoCloseable {
  /** How long a run keeps trying while other runs take over or release the lock. */
  private static final long PATIENCE_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(10);

  private final Storage storage;
  private final Path file;

  private ReplayLock(Storage storage, Path file) {
    this.storage = storage;
    this.file = file;
  }

  /**
   * Who holds a lock, as its file says: "pid host token". {@code content} is kept as read (a
   * takeover names the exact stale lock it replaces); pid is -1 when the file does not start with one.
   */
  record Holder(String content, long pid, String host) {
    static Holder parse(String content) {
      String[] parts = content.trim().split(" ");
      long pid;
      try {
        pid = Long.parseLong(parts[0]);
      } catch (NumberFormatException e) {
        pid = -1;
      }
      return new Holder(content, pid, parts.length >= 2 ? parts[1] : "");
    }

    boolean onThisHost() {
      return host().equals(hostName());
    }

    /** Alive, or on another host, where this process cannot tell. */
    boolean mayBeAlive() {
      return !onThisHost() || (pid() > 0 && ProcessHandle.of(pid()).map(ProcessHandle::isAlive).orElse(false));
    }

    String describe() {
      return "process " + pid() + " on " + host();
    }

    static Holder read(Storage storage, Path file) throws IOException {
      try {
        return parse(new String(storage.readAll(file), StandardCharsets.UTF_8));
      } catch (java.io.FileNotFoundException | java.nio.file.NoSuchFileException gone) {
        return null;
      }
    }
  }

  /** Takes the lock or throws {@link BadInputException} naming the run that holds it. */
  public static ReplayLock acquire(Storage storage, Path file, Consumer<String> warn) throws IOException {
    try {
      storage.mkdirs(file.getParent());
    } catch (IOException e) {
      throw notWritable(file.getParent(), e);
    }
    byte[] mine = (ProcessHandle.current().pid() + " " + hostName() + " " + UUID.randomUUID() + "\n")
        .getBytes(StandardCharsets.UTF_8);
    long deadline = System.nanoTime() + PATIENCE_NANOS;
    for (int attempt = 0; System.nanoTime() < deadline; attempt++) {
      try {
        storage.write(file, mine, mine.length);
        return new ReplayLock(storage, file);
      } catch (IOException e) {
        if (!storage.exists(file)) {
          if (attempt > 0) {
            continue; // removed by a takeover meanwhile: try again
          }
          throw notWritable(file.getParent(), e);
        }
      }
      Holder holder = Holder.read(storage, file);
      if (holder == null) {
        continue; // released meanwhile
      }
      if (!holder.onThisHost()) {
        throw new BadInputException("a stream-data run on host " + holder.host() + " (process " + holder.pid()
            + ") holds " + file + "; if it is gone, delete that file");
      }
      if (holder.mayBeAlive()) {
        throw new BadInputException("another stream-data run (process " + holder.pid() + ") is replaying into "
            + file.getParent() + "; wait for it to end or stop it first");
      }
      takeOver(storage, file, holder, mine, warn);
    }
    throw new BadInputException("could not take the lock " + file + ": other runs keep taking it");
  }

  /** Removes the stale lock {@code dead}, unless another run is doing so or has already. */
  private static void takeOver(Storage storage, Path file, Holder dead, byte[] mine, Consumer<String> warn)
      throws IOException {
    Path claim = new Path(file.getParent(),
        file.getName() + ".takeover-" + Integer.toHexString(dead.content().hashCode()));
    try {
      storage.write(claim, mine, mine.length);
    } catch (IOException e) {
      Holder claimant = Holder.read(storage, claim);
      if (claimant != null && !claimant.mayBeAlive()) {
        throw new BadInputException("a run (" + claimant.describe() + ") died while taking over " + file
            + "; if no stream-data runs on this folder, delete " + file + " and " + claim);
      }
      pause(); // another run is taking it over right now; look again
      return;
    }
    try {
      Holder now = Holder.read(storage, file);
      if (now != null && now.equals(dead)) {
        warn.accept("taking over " + file + ": its run (" + dead.describe() + ") is gone");
        storage.deleteRecursively(file);
      }
    } finally {
      storage.deleteRecursively(claim);
    }
  }

  /**
   * True if {@code file} names a run that may still be going: alive on this host, or on another host.
   * A stale lock of a killed run (same host) does not count.
   */
  public static boolean isHeld(Storage storage, Path file) throws IOException {
    Holder holder = storage.exists(file) ? Holder.read(storage, file) : null;
    return holder != null && holder.mayBeAlive();
  }

  private static void pause() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The first write into the results folder failed: its permissions, most likely. */
  private static BadInputException notWritable(Path results, IOException e) {
    String reason = e instanceof java.nio.file.AccessDeniedException ? "permission denied" : e.getMessage();
    return new BadInputException("cannot write in the results folder " + results + ": " + reason, e);
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }

  @Override
  public void close() throws IOException {
    storage.deleteRecursively(file);
  }
}
