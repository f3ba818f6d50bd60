package edu.dsc650.replay;

import edu.dsc650.BadInputException;
import edu.dsc650.io.Storage;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.apache.hadoop.fs.Path;

/**
 * {@code <results>/.replay.lock}: one stream-data run per results folder. Created atomically (it
 * fails if the file exists); it names the owner's process and host, so that a lock left by a run
 * that was killed is recognised as stale on the same host and taken over instead of blocking forever.
 */
public final class ReplayLock implements AutoCloseable {
  static final String NAME = ".replay.lock";

  private final Storage storage;
  private final Path file;

  private ReplayLock(Storage storage, Path file) {
    this.storage = storage;
    this.file = file;
  }

  /** Takes the lock or throws {@link BadInputException} naming the run that holds it. */
  public static ReplayLock acquire(Storage storage, Path results, Consumer<String> warn) throws IOException {
    Path file = new Path(results, NAME);
    try {
      storage.mkdirs(results);
    } catch (IOException e) {
      throw notWritable(results, e);
    }
    String host = hostName();
    byte[] owner = (ProcessHandle.current().pid() + " " + host + "\n").getBytes(StandardCharsets.UTF_8);
    for (int attempt = 0; attempt < 2; attempt++) {
      try {
        storage.write(file, owner, owner.length);
        return new ReplayLock(storage, file);
      } catch (IOException e) {
        if (!storage.exists(file)) {
          throw notWritable(results, e);
        }
      }
      String[] holder = new String(storage.readAll(file), StandardCharsets.UTF_8).trim().split(" ");
      long pid = holder.length == 2 ? parsePid(holder[0]) : -1;
      boolean sameHost = holder.length == 2 && holder[1].equals(host);
      if (sameHost && pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
        throw new BadInputException("another stream-data run (process " + pid + ") is replaying into " + results
            + "; wait for it to end or stop it first");
      }
      if (!sameHost && holder.length == 2) {
        throw new BadInputException("a stream-data run on host " + holder[1] + " (process " + holder[0]
            + ") holds " + file + "; if it is gone, delete that file");
      }
      warn.accept("taking over " + file + ": its run (process " + String.join(" on ", holder) + ") is gone");
      storage.deleteRecursively(file);
    }
    throw new BadInputException("could not take the lock " + file);
  }

  /** The first write into the results folder failed: its permissions, most likely. */
  private static BadInputException notWritable(Path results, IOException e) {
    String reason = e instanceof java.nio.file.AccessDeniedException ? "permission denied" : e.getMessage();
    return new BadInputException("cannot write in the results folder " + results + ": " + reason, e);
  }

  private static long parsePid(String s) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return -1;
    }
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
