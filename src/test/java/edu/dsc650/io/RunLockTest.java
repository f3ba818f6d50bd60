package edu.dsc650.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import edu.dsc650.BadInputException;
import edu.dsc650.testing.HookedStorage;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lock of a results folder, in particular two runs taking over a dead run's lock at once. */
class RunLockTest {
  @TempDir Path results;

  private org.apache.hadoop.fs.Path lockFile() {
    return new org.apache.hadoop.fs.Path(results.resolve(".replay.lock").toUri());
  }

  private void leaveLockOfADeadProcess() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Files.writeString(
        results.resolve(".replay.lock"),
        gone.pid() + " " + InetAddress.getLocalHost().getHostName() + "\n");
  }

  @Test
  void twoRunsTakingOverTheSameStaleLockDoNotBothGetIt() throws Exception {
    leaveLockOfADeadProcess();
    // The interleaving that breaks a plain check-then-delete: both read the dead holder, the first
    // takes the lock over, and only then does the second act on what it read.
    CountDownLatch bothRead = new CountDownLatch(2);
    CountDownLatch firstHolds = new CountDownLatch(1);
    ThreadLocal<Boolean> readOnce = ThreadLocal.withInitial(() -> false);
    HookedStorage storage =
        new HookedStorage(
            new LocalStorage(),
            (op, path) -> {
              if (!path.getName().equals(".replay.lock")) {
                return;
              }
              try {
                if (op.equals("readAll-done") && !readOnce.get()) {
                  readOnce.set(true);
                  bothRead.countDown();
                  bothRead.await(5, TimeUnit.SECONDS);
                }
                if (op.equals("deleteRecursively")
                    && Thread.currentThread().getName().equals("second")) {
                  firstHolds.await(2, TimeUnit.SECONDS);
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });

    CompletableFuture<Object> first = new CompletableFuture<>();
    CompletableFuture<Object> second = new CompletableFuture<>();
    Thread a = new Thread(() -> first.complete(tryAcquire(storage, firstHolds)), "first");
    Thread b = new Thread(() -> second.complete(tryAcquire(storage, null)), "second");
    a.start();
    b.start();
    Object r1 = first.get(30, TimeUnit.SECONDS);
    Object r2 = second.get(30, TimeUnit.SECONDS);

    int holders = (r1 instanceof RunLock ? 1 : 0) + (r2 instanceof RunLock ? 1 : 0);
    assertEquals(1, holders, "exactly one run holds the lock: " + r1 + ", " + r2);
    Object refused = r1 instanceof RunLock ? r2 : r1;
    assertTrue(
        refused instanceof BadInputException e
            && e.getMessage().contains("another stream-data run"),
        String.valueOf(refused));
    ((RunLock) (r1 instanceof RunLock ? r1 : r2)).close();
    assertFalse(Files.exists(results.resolve(".replay.lock")));
    try (var left = Files.list(results)) {
      assertEquals(0, left.count(), "no takeover claim left behind");
    }
  }

  /**
   * A run killed while taking over a dead run's lock leaves its claim: the next run takes over the
   * claim too (it was refused, with a file to delete by hand, before; seen in QueryKillIT).
   */
  @Test
  void aRunKilledWhileTakingOverLeavesNothingTheNextRunCannotTakeOver() throws Exception {
    leaveLockOfADeadProcess();
    String dead = Files.readString(results.resolve(".replay.lock"));
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Path claim = results.resolve(".replay.lock.takeover-" + Integer.toHexString(dead.hashCode()));
    Files.writeString(claim, gone.pid() + " " + InetAddress.getLocalHost().getHostName() + "\n");
    java.util.List<String> warnings = new java.util.ArrayList<>();
    try (RunLock lock =
        RunLock.acquire(new LocalStorage(), lockFile(), "stream-data run", warnings::add)) {
      assertTrue(RunLock.isHeld(new LocalStorage(), lockFile()));
    }
    try (var left = Files.list(results)) {
      assertEquals(0, left.count(), "neither the dead lock nor the dead claim is left");
    }
    assertEquals(2, warnings.size(), "both taken over, and said: " + warnings);
  }

  private Object tryAcquire(HookedStorage storage, CountDownLatch holds) {
    try {
      RunLock lock = RunLock.acquire(storage, lockFile(), "stream-data run", w -> {});
      if (holds != null) {
        holds.countDown();
      }
      return lock;
    } catch (Exception e) {
      if (holds != null) {
        holds.countDown();
      }
      return e;
    }
  }

  @Test
  void aLiveHolderCountsAsHeldAndAStaleOneDoesNot() throws Exception {
    LocalStorage storage = new LocalStorage();
    assertFalse(RunLock.isHeld(storage, lockFile()), "no lock file");
    leaveLockOfADeadProcess();
    assertFalse(RunLock.isHeld(storage, lockFile()), "the lock of a dead process");
    Files.delete(results.resolve(".replay.lock"));
    try (RunLock lock = RunLock.acquire(storage, lockFile(), "stream-data run", w -> {})) {
      assertTrue(RunLock.isHeld(storage, lockFile()));
    }
  }

  /**
   * Item 9 of issue 21: in a container every run is pid 1, so a killed run's lock names the new
   * run's pid.
   */
  @Test
  void aLockNamingThisProcessWithATokenItDoesNotHoldIsStale() throws Exception {
    LocalStorage storage = new LocalStorage();
    Files.writeString(
        results.resolve(".replay.lock"),
        ProcessHandle.current().pid()
            + " "
            + InetAddress.getLocalHost().getHostName()
            + " earlier-life\n");
    assertFalse(RunLock.isHeld(storage, lockFile()), "our own pid, but not our lock");
    try (RunLock lock = RunLock.acquire(storage, lockFile(), "stream-data run", w -> {})) {
      assertTrue(RunLock.isHeld(storage, lockFile()), "now it is ours");
      Exception second =
          org.junit.jupiter.api.Assertions.assertThrows(
              BadInputException.class,
              () -> RunLock.acquire(storage, lockFile(), "stream-data run", w -> {}));
      assertTrue(
          second
              .getMessage()
              .contains("another stream-data run (process " + ProcessHandle.current().pid()),
          second.getMessage());
    }
    assertFalse(Files.exists(results.resolve(".replay.lock")));
  }

  /** A reused pid: alive, but a process that started at another time than the holder. */
  @Test
  void aLiveProcessThatStartedAtAnotherTimeIsNotTheHolder() throws Exception {
    LocalStorage storage = new LocalStorage();
    Process other = new ProcessBuilder("sleep", "30").start();
    try {
      long started = other.info().startInstant().orElseThrow().toEpochMilli();
      String host = InetAddress.getLocalHost().getHostName();
      String boot = Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).trim();
      Files.writeString(
          results.resolve(".replay.lock"),
          other.pid() + " " + host + " t " + started + " " + boot + "\n");
      assertTrue(RunLock.isHeld(storage, lockFile()), "the holder itself");
      Files.writeString(
          results.resolve(".replay.lock"),
          other.pid() + " " + host + " t " + (started - 3_600_000) + " " + boot + "\n");
      assertFalse(
          RunLock.isHeld(storage, lockFile()),
          "the same pid, started an hour later: not the holder");
      Files.writeString(
          results.resolve(".replay.lock"),
          other.pid() + " " + host + " t " + started + " other-boot\n");
      assertFalse(RunLock.isHeld(storage, lockFile()), "written before the machine restarted");
    } finally {
      other.destroyForcibly();
    }
  }

  /**
   * Two containers on one host with one hostname, boot id and volume are both pid 1: a lock naming
   * this process's pid, written from another PID namespace, is another process's, not an earlier
   * life of this one.
   */
  @Test
  void aLockOfOurPidInAnotherPidNamespaceIsNotTakenOver() throws Exception {
    ProcessHandle self = ProcessHandle.current();
    String boot = Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).trim();
    Files.writeString(
        results.resolve(".replay.lock"),
        self.pid()
            + " "
            + InetAddress.getLocalHost().getHostName()
            + " token-of-the-other-container "
            + self.info().startInstant().get().toEpochMilli()
            + " "
            + boot
            + " pid:[1]\n");
    BadInputException refused =
        org.junit.jupiter.api.Assertions.assertThrows(
            BadInputException.class,
            () -> RunLock.acquire(new LocalStorage(), lockFile(), "stream-data run", w -> {}));
    assertTrue(refused.getMessage().contains("another stream-data run"), refused.getMessage());
    assertTrue(Files.exists(results.resolve(".replay.lock")), "the other's lock is kept");
  }

  /** A run whose lock was taken from it (deleted by hand, then taken) leaves the new one alone. */
  @Test
  void closingDoesNotDeleteALockTheRunNoLongerHolds() throws Exception {
    RunLock lock = RunLock.acquire(new LocalStorage(), lockFile(), "stream-data run", w -> {});
    Files.delete(results.resolve(".replay.lock"));
    RunLock other = RunLock.acquire(new LocalStorage(), lockFile(), "stream-data run", w -> {});
    String othersContent = Files.readString(results.resolve(".replay.lock"));
    lock.close();
    assertEquals(othersContent, Files.readString(results.resolve(".replay.lock")));
    other.close();
    assertFalse(Files.exists(results.resolve(".replay.lock")));
  }
}
