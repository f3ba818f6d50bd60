package edu.dsc650.testing;

import edu.dsc650.replay.ReplayClock;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/** A clock that jumps straight to every deadline: schedules are checked without sleeping. */
public final class FakeClock implements ReplayClock {
  public static final Instant START = Instant.parse("2026-03-01T12:00:00.123456Z");
  private long nanos = 1_000_000_000L;
  private final long origin = nanos;

  @Override
  public synchronized Instant now() {
    return START.plusNanos(nanos - origin);
  }

  @Override
  public synchronized long nanoTime() {
    return nanos;
  }

  /** Moves the clock on, as a slow step of the code under test would. */
  public synchronized void advance(double seconds) {
    nanos += Math.round(seconds * 1e9);
  }

  /** Seconds since the clock was made. */
  public synchronized double elapsedSeconds() {
    return (nanos - origin) / 1e9;
  }

  /** What to do when the clock reaches an instant: a user who acts at that moment. */
  private final java.util.TreeMap<Long, Runnable> actions = new java.util.TreeMap<>();

  /** Runs {@code action} when a sleep reaches {@code elapsedSeconds} since the clock was made. */
  public synchronized FakeClock at(double elapsedSeconds, Runnable action) {
    actions.put(origin + Math.round(elapsedSeconds * 1e9), action);
    return this;
  }

  /**
   * Jumps to the deadline, or to the first action before it (and runs it: the sleeper then sees
   * what it did).
   */
  @Override
  public void sleepUntil(long deadline, BooleanSupplier stop) {
    Runnable action = null;
    synchronized (this) {
      if (stop.getAsBoolean()) {
        return;
      }
      var next = actions.firstEntry();
      if (next != null && next.getKey() <= deadline) {
        nanos = Math.max(nanos, next.getKey());
        action = actions.pollFirstEntry().getValue();
      } else {
        nanos = Math.max(nanos, deadline);
      }
    }
    if (action != null) {
      action.run();
    }
  }

  @Override
  public void wake(Thread sleeper) {}
}
