package edu.dsc650.replay;

import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The real clock. It parks until shortly before a deadline and spins the last stretch, because a
 * park can overshoot by a millisecond or more and the publish lag should stay well under that.
 */
public final class SystemReplayClock implements ReplayClock {
  private static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(1500);

  @Override
  public Instant now() {
    return Instant.now();
  }

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public void sleepUntil(long deadline, BooleanSupplier stop) {
    long left;
    while ((left = deadline - System.nanoTime()) > 0 && !stop.getAsBoolean()) {
      if (left > SPIN_NANOS) {
        LockSupport.parkNanos(left - SPIN_NANOS);
      } else {
        Thread.onSpinWait();
      }
    }
  }

  @Override
  public void wake(Thread sleeper) {
    LockSupport.unpark(sleeper);
  }
}
