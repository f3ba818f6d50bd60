package edu.dsc650.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import edu.dsc650.BadInputException;
import edu.dsc650.io.LocalStorage;
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
class ReplayLockTest {
  @TempDir
  Path results;

  private org.apache.hadoop.fs.Path lockFile() {
    return new org.apache.hadoop.fs.Path(results.resolve(".replay.lock").toUri());
  }

  private void leaveLockOfADeadProcess() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Files.writeString(results.resolve(".replay.lock"), gone.pid() + " " + InetAddress.getLocalHost().getHostName() + "\n");
  }

  @Test
  void twoRunsTakingOverTheSameStaleLockDoNotBothGetIt() throws Exception {
    leaveLockOfADeadProcess();
    // The interleaving that breaks a plain check-then-delete: both read the dead holder, the first
    // takes the lock over, and only then does the second act on what it read.
    CountDownLatch bothRead = new CountDownLatch(2);
    CountDownLatch firstHolds = new CountDownLatch(1);
    ThreadLocal<Boolean> readOnce = ThreadLocal.withInitial(() -> false);
    HookedStorage storage = new HookedStorage(new LocalStorage(), (op, path) -> {
      if (!path.getName().equals(".replay.lock")) {
        return;
      }
      try {
        if (op.equals("readAll-done") && !readOnce.get()) {
          readOnce.set(true);
          bothRead.countDown();
          bothRead.await(5, TimeUnit.SECONDS);
        }
        if (op.equals("deleteRecursively") && Thread.currentThread().getName().equals("second")) {
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

    int holders = (r1 instanceof ReplayLock ? 1 : 0) + (r2 instanceof ReplayLock ? 1 : 0);
    assertEquals(1, holders, "exactly one run holds the lock: " + r1 + ", " + r2);
    Object refused = r1 instanceof ReplayLock ? r2 : r1;
    assertTrue(refused instanceof BadInputException e && e.getMessage().contains("another stream-data run"),
        String.valueOf(refused));
    ((ReplayLock) (r1 instanceof ReplayLock ? r1 : r2)).close();
    assertFalse(Files.exists(results.resolve(".replay.lock")));
    try (var left = Files.list(results)) {
      assertEquals(0, left.count(), "no takeover claim left behind");
    }
  }

  private Object tryAcquire(HookedStorage storage, CountDownLatch holds) {
    try {
      ReplayLock lock = ReplayLock.acquire(storage, lockFile(), w -> {});
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
    assertFalse(ReplayLock.isHeld(storage, lockFile()), "no lock file");
    leaveLockOfADeadProcess();
    assertFalse(ReplayLock.isHeld(storage, lockFile()), "the lock of a dead process");
    Files.delete(results.resolve(".replay.lock"));
    try (ReplayLock lock = ReplayLock.acquire(storage, lockFile(), w -> {})) {
      assertTrue(ReplayLock.isHeld(storage, lockFile()));
    }
  }
}
