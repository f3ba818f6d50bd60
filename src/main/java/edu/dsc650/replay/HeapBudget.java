package edu.dsc650.replay;

/**
 * Keeps the replay's committed heap, and so its resident memory, near what it holds. A replay
 * allocates fast and holds little (a slice at a time), and G1 then grows the heap towards a quarter
 * of the machine's memory on its own (1.8 GB at {@code --scale 10} on 24 GB), which only a full
 * collection gives back. So once the committed heap passes the budget, the publisher asks for one
 * between two moments (at most once per {@link #MIN_GAP_NANOS}), when the next one is at least
 * {@link #QUIET_NANOS} away: a collection of the few hundred MB a replay holds stops every thread for
 * 50 to 120 ms.
 */
final class HeapBudget {
  static final long MIN_GAP_NANOS = 500_000_000L;
  static final long QUIET_NANOS = 400_000_000L;

  private final long budgetBytes;
  private final Runtime runtime = Runtime.getRuntime();
  private final java.util.concurrent.atomic.AtomicLong lastNanos = new java.util.concurrent.atomic.AtomicLong(Long.MIN_VALUE / 2);

  /** @param budgetBytes committed heap above which a collection is due; 0 never */
  HeapBudget(long budgetBytes) {
    this.budgetBytes = budgetBytes;
  }

  /**
   * The default budget: 512 MiB, or none when the heap cannot pass it anyway (a small -Xmx: the
   * user chose the bound).
   */
  static HeapBudget standard() {
    long budget = 512L << 20;
    return new HeapBudget(Runtime.getRuntime().maxMemory() <= budget ? 0 : budget);
  }

  /**
   * Collects if the heap is over budget and the last collection asked for is not too recent. Safe
   * from any thread: one of those that ask at once collects.
   */
  boolean check(long nowNanos) {
    long last = lastNanos.get();
    if (budgetBytes == 0 || runtime.totalMemory() <= budgetBytes || nowNanos - last < MIN_GAP_NANOS
        || !lastNanos.compareAndSet(last, nowNanos)) {
      return false;
    }
    System.gc();
    return true;
  }
}
