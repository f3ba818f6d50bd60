package edu.dsc650.replay;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Keeps the replay's committed heap, and so its resident memory, near what it holds. A replay
 * allocates fast and holds little (a slice at a time), and G1 then grows the heap towards a quarter
 * of the machine's memory on its own (1.8 GB at {@code --scale 10} on 24 GB), which only a full
 * collection gives back. So once the committed heap passes the budget, the publisher asks for one
 * between two moments (at most once per {@link #MIN_GAP_NANOS}), when the next one is at least
 * {@link #QUIET_NANOS} away: a collection of the few hundred MB a replay holds stops every thread
 * for 50 to 120 ms.
 */
public final class HeapBudget {
  static final long MIN_GAP_NANOS = 500_000_000L;
  static final long QUIET_NANOS = 400_000_000L;

  /** The system property that sets the budget in bytes; 0 turns it off. */
  public static final String PROPERTY = "dsc650.heapBudget";

  public static final HeapBudget NONE = new HeapBudget(0, () -> 0, () -> {});

  private final long budgetBytes;
  private final LongSupplier committed;
  private final Runnable collect;
  private final AtomicLong lastNanos = new AtomicLong(Long.MIN_VALUE / 2);

  /**
   * @param budgetBytes committed heap above which a collection is due; 0 never
   * @param committed the committed heap in bytes now
   * @param collect a full collection
   */
  HeapBudget(long budgetBytes, LongSupplier committed, Runnable collect) {
    this.budgetBytes = budgetBytes;
    this.committed = committed;
    this.collect = collect;
  }

  /**
   * For the command line: {@value #PROPERTY} bytes (default 512 MiB), and none when the heap cannot
   * pass the budget anyway (a small -Xmx: the user chose the bound). Tests that replay inside a JVM
   * running Spark turn it off: a full collection there would pause Spark too.
   */
  public static HeapBudget standard() {
    long budget = Long.getLong(PROPERTY, 512L << 20);
    Runtime runtime = Runtime.getRuntime();
    return runtime.maxMemory() <= budget || budget <= 0
        ? NONE
        : new HeapBudget(budget, runtime::totalMemory, System::gc);
  }

  /**
   * Collects if the heap is over budget and the last collection asked for is not too recent. Safe
   * from any thread: of those that ask at once, one collects.
   */
  boolean check(long nowNanos) {
    long last = lastNanos.get();
    if (budgetBytes == 0
        || committed.getAsLong() <= budgetBytes
        || nowNanos - last < MIN_GAP_NANOS
        || !lastNanos.compareAndSet(last, nowNanos)) {
      return false;
    }
    collect.run();
    return true;
  }
}
