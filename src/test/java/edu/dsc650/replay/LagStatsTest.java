package edu.dsc650.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LagStatsTest {
  @Test
  void exactNearestRankPercentilesForAnOrdinaryRun() {
    LagStats stats = new LagStats();
    for (int i = 100; i >= 1; i--) {
      stats.add(i * 1_000_000L); // 1..100 ms, in reverse
    }
    assertEquals(50.0, stats.percentileMillis(50));
    assertEquals(99.0, stats.percentileMillis(99));
    assertEquals(100.0, stats.maxMillis());
    assertTrue(Double.isNaN(new LagStats().percentileMillis(50)));
  }

  @Test
  void pastTheExactLimitPercentilesStayWithinOnePercentAndTheMaximumExact() {
    LagStats stats = new LagStats();
    // 1,000,000 lags: 0.001 ms .. 1000 ms uniformly by rank; the answer by hand is rank * 1 us
    int n = 1_000_000;
    for (int i = 1; i <= n; i++) {
      stats.add((long) ((i * 7919L) % n + 1) * 1_000L); // every value once, not in order
    }
    for (double p : new double[] {50, 90, 99, 99.9}) {
      double exact = p / 100 * n / 1000.0; // ms
      double got = stats.percentileMillis(p);
      assertTrue(got >= exact && got <= exact * 1.01, "p" + p + ": " + got + " vs " + exact);
    }
    assertEquals(1000.0, stats.maxMillis());
  }
}
