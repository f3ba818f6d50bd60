package edu.dsc650.io;

import edu.dsc650.BadInputException;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.hadoop.fs.Path;

/**
 * A lock file that keeps one run of a command on a folder: {@code <results>/.replay.lock} for
 * stream-data, {@code <results>/checkpoints/<query>.lock} for each query of run-query. It is
 * created atomically (a create fails if the file exists) and names its holder, so that the lock
 * left by a killed run is recognised as stale on the same host and taken over.
 *
 * <p>A holder is told apart by more than its pid, which the system reuses (in a container every run
 * is pid 1): by the process's start time, the machine's boot id and the PID namespace too (a lock
 * of another namespace, e.g. another container sharing the host name and the folder, is taken for a
 * live run's), and by a token that only the process holding the lock knows. A lock naming this
 * process's own pid with a token this process does not hold is an earlier life's, so stale.
 *
 * <p>Taking over is a check-then-delete, which two runs starting together could interleave (one
 * deletes the lock the other has just taken). So a run first creates {@code <lock>.takeover-<h>},
 * named after the stale lock's content: only one run can create it, and only that run removes
 * exactly that stale lock. It uses nothing but atomic create and delete, so it holds on HDFS too. A
 * claim left by a run killed while taking over is stale in turn and taken over the same way. A run
 * releases only a lock that still names its token.
 */
public final class RunLock implements AutoCloseable {
  /** How long a run keeps trying while other runs take over or release the lock. */
  private static final long PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(10);

  /** The tokens of the locks this process holds now. */
  private static final Set<String> HELD_HERE = ConcurrentHashMap.newKeySet();

  private final Storage storage;
  private final Path file;
  private final String token;

  private RunLock(Storage storage, Path file, String token) {
    this.storage = storage;
    this.file = file;
    this.token = token;
  }

  /**
   * Who holds a lock, as its file says: "pid host token start boot pidns", where start is the
   * process's start (epoch ms, 0 if unknown), boot the machine's boot id and pidns the process's
   * PID namespace ("-" if unknown). {@code content} is kept as read (a takeover names the exact
   * stale lock it replaces); pid is -1 when the file does not start with one. Files of older
   * versions have only "pid host token".
   */
  record Holder(
      String content,
      long pid,
      String host,
      String token,
      long startMillis,
      String bootId,
      String pidNamespace) {
    static Holder parse(String content) {
      String[] parts = content.trim().split(" ");
      long pid;
      long start;
      try {
        pid = Long.parseLong(parts[0]);
      } catch (NumberFormatException e) {
        pid = -1;
      }
      try {
        start = parts.length >= 4 ? Long.parseLong(parts[3]) : 0;
      } catch (NumberFormatException e) {
        start = 0;
      }
      return new Holder(
          content,
          pid,
          parts.length >= 2 ? parts[1] : "",
          parts.length >= 3 ? parts[2] : "",
          start,
          parts.length >= 5 ? parts[4] : "-",
          parts.length >= 6 ? parts[5] : "-");
    }

    static String describeSelf(String token) {
      ProcessHandle self = ProcessHandle.current();
      return self.pid()
          + " "
          + hostName()
          + " "
          + token
          + " "
          + startedAt(self).orElse(0L)
          + " "
          + BOOT_ID
          + " "
          + PID_NAMESPACE
          + "\n";
    }

    boolean onThisHost() {
      return host().equals(hostName());
    }

    /** Alive, or on another host, where this process cannot tell. */
    boolean mayBeAlive() {
      if (!onThisHost()) {
        return true;
      }
      if (!bootId().equals("-") && !BOOT_ID.equals("-") && !bootId().equals(BOOT_ID)) {
        return false; // written before the machine restarted
      }
      if (!pidNamespace().equals("-")
          && !PID_NAMESPACE.equals("-")
          && !pidNamespace().equals(PID_NAMESPACE)) {
        // another container sharing the host name and the folder (both may be pid 1): its pids
        // mean nothing here, so it is treated as a live run, as one on another host is
        return true;
      }
      if (pid() == ProcessHandle.current().pid()) {
        return HELD_HERE.contains(token()); // this process, or an earlier one with the same pid
      }
      Optional<ProcessHandle> process = pid() > 0 ? ProcessHandle.of(pid()) : Optional.empty();
      if (process.isEmpty() || !process.get().isAlive()) {
        return false;
      }
      // the pid is alive: the same process only if it started when the holder did
      Optional<Long> started = startedAt(process.get());
      return startMillis() == 0
          || started.isEmpty()
          || Math.abs(started.get() - startMillis()) < 1000;
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

  /**
   * Takes the lock or throws {@link BadInputException} naming the run that holds it.
   *
   * @param what the runs the lock keeps apart, for messages: "stream-data run", "run-query of
   *     simple"
   */
  public static RunLock acquire(Storage storage, Path file, String what, Consumer<String> warn)
      throws IOException {
    try {
      storage.mkdirs(file.getParent());
    } catch (IOException e) {
      throw notWritable(file.getParent(), e);
    }
    String token = UUID.randomUUID().toString();
    byte[] mine = Holder.describeSelf(token).getBytes(StandardCharsets.UTF_8);
    long deadline = System.nanoTime() + PATIENCE_NANOS;
    HELD_HERE.add(token); // a takeover claim in this token's name is alive while this call runs
    boolean acquired = false;
    try {
      for (int attempt = 0; System.nanoTime() < deadline; attempt++) {
        if (tryOnce(storage, file, what, mine, attempt, warn)) {
          acquired = true;
          return new RunLock(storage, file, token);
        }
      }
    } finally {
      if (!acquired) {
        HELD_HERE.remove(token);
      }
    }
    throw new BadInputException("could not take the lock " + file + ": other runs keep taking it");
  }

  /** One attempt: true if the lock is taken; false to look again; throws if a live run holds it. */
  private static boolean tryOnce(
      Storage storage, Path file, String what, byte[] mine, int attempt, Consumer<String> warn)
      throws IOException {
    try {
      storage.write(file, mine, mine.length);
      return true;
    } catch (IOException e) {
      if (!storage.exists(file)) {
        if (attempt > 0) {
          return false; // removed by a takeover meanwhile: try again
        }
        throw notWritable(file.getParent(), e);
      }
    }
    Holder holder = Holder.read(storage, file);
    if (holder == null) {
      return false; // released meanwhile
    }
    if (!holder.onThisHost()) {
      throw new BadInputException(
          "a "
              + what
              + " on host "
              + holder.host()
              + " (process "
              + holder.pid()
              + ") holds "
              + file
              + "; if it is gone, delete that file");
    }
    if (holder.mayBeAlive()) {
      throw new BadInputException(
          "another "
              + what
              + " (process "
              + holder.pid()
              + ") holds "
              + file
              + "; wait for it to end or stop it first");
    }
    takeOver(storage, file, holder, mine, warn);
    return false;
  }

  /** Removes the stale lock {@code dead}, unless another run is doing so or has already. */
  private static void takeOver(
      Storage storage, Path file, Holder dead, byte[] mine, Consumer<String> warn)
      throws IOException {
    Path claim =
        new Path(
            file.getParent(),
            file.getName() + ".takeover-" + Integer.toHexString(dead.content().hashCode()));
    try {
      storage.write(claim, mine, mine.length);
    } catch (IOException e) {
      Holder claimant = Holder.read(storage, claim);
      if (claimant != null && !claimant.mayBeAlive()) {
        // killed while taking over: its claim is stale too, and taken over the same way (a claim
        // of the claim), so that two runs that find it do not both remove it
        takeOver(storage, claim, claimant, mine, warn);
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
   * True if {@code file} names a run that may still be going: alive on this host, or on another
   * host. A stale lock of a killed run (same host) does not count.
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

  /** The first write into the folder failed: its permissions, most likely. */
  private static BadInputException notWritable(Path folder, IOException e) {
    String reason =
        e instanceof java.nio.file.AccessDeniedException ? "permission denied" : e.getMessage();
    return new BadInputException("cannot write in the results folder " + folder + ": " + reason, e);
  }

  private static Optional<Long> startedAt(ProcessHandle process) {
    return process.info().startInstant().map(java.time.Instant::toEpochMilli);
  }

  /** This process's PID namespace (Linux: "pid:[4026531836]"), or "-". */
  private static final String PID_NAMESPACE = readPidNamespace();

  private static String readPidNamespace() {
    try {
      return Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/ns/pid")).toString();
    } catch (IOException | RuntimeException e) {
      return "-";
    }
  }

  /** This boot of the machine (Linux), or "-". */
  private static final String BOOT_ID = readBootId();

  private static String readBootId() {
    try {
      return Files.readString(java.nio.file.Path.of("/proc/sys/kernel/random/boot_id")).trim();
    } catch (IOException | RuntimeException e) {
      return "-";
    }
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }

  /** Releases the lock, if this run still holds it: a lock taken over meanwhile is the other's. */
  @Override
  public void close() throws IOException {
    Holder holder = Holder.read(storage, file);
    if (holder != null && holder.token().equals(token)) {
      storage.deleteRecursively(file);
    }
    HELD_HERE.remove(token); // after the delete: until then the lock is this process's
  }
}
