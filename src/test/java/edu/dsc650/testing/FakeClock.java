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

  /** Seconds since the clock was made. */
  public synchronized double elapsedSeconds() {
    return (nanos - origin) / 1e9;
  }

  @Override
  public synchronized void sleepUntil(long deadline, BooleanSupplier stop) {
    if (!stop.getAsBoolean()) {
      nanos = Math.max(nanos, deadline);
    }
  }

  @Override
  public void wake(Thread sleeper) {}
}
