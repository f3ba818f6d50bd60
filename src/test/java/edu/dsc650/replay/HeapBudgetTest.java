package edu.dsc650.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HeapBudgetTest {
  @Test
  void collectsOnlyOverBudgetAndAtMostOncePerGap() {
    AtomicLong committed = new AtomicLong(100);
    AtomicInteger collections = new AtomicInteger();
    HeapBudget budget = new HeapBudget(200, committed::get, collections::incrementAndGet);
    assertFalse(budget.check(0), "under budget");
    committed.set(300);
    assertTrue(budget.check(1_000_000_000L));
    assertFalse(
        budget.check(1_000_000_000L + HeapBudget.MIN_GAP_NANOS - 1), "too soon after the last");
    assertTrue(budget.check(1_000_000_000L + HeapBudget.MIN_GAP_NANOS));
    assertEquals(2, collections.get());
    assertFalse(HeapBudget.NONE.check(Long.MAX_VALUE / 2));
  }
}
