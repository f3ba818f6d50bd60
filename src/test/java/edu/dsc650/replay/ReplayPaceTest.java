package edu.dsc650.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** Due instants and pause shifts of a steered run, reckoned by hand (times in seconds). */
class ReplayPaceTest {
  static final long S = 1_000_000_000_000L; // the run's start on nanoTime

  static long at(double seconds) {
    return S + Math.round(seconds * 1e9);
  }

  static BigDecimal t(String t) {
    return new BigDecimal(t);
  }

  @Test
  void unsteeredIsTheScheduleOfTOverSpeedup() {
    ReplayPace pace = new ReplayPace(4, S);
    for (String t : new String[] {"0", "1.5", "11.7", "128.8"}) {
      assertEquals(S + ReplaySchedule.dueNanos(t(t), 4), pace.dueNanos(t(t)), t);
      assertEquals(0, pace.pausedMicros(t(t), at(100)));
    }
  }

  @Test
  void aPauseMovesOnlyTheSlicesNotDueYetByItsLength() {
    ReplayPace pace = new ReplayPace(2, S);
    // at wall 5 s the simulation is at 10 s; paused for 3 s
    assertTrue(pace.pause(at(5)));
    assertFalse(pace.pause(at(6)), "paused already");
    assertEquals(10.0, pace.simSeconds(at(7)), 1e-9);
    assertEquals(Long.MAX_VALUE, pace.dueNanos(t("10.5")), "not due while paused");
    assertEquals(at(4.9), pace.dueNanos(t("9.8")), "due before the pause: unchanged");
    assertEquals(at(5), pace.dueNanos(t("10")), "due at the pause's instant: before it");
    assertEquals(2_000_000, pace.pausedMicros(t("10.5"), at(7)), "the pause so far");
    assertTrue(pace.resume(at(8)));
    assertEquals(at(8 + 0.25), pace.dueNanos(t("10.5")), "8 s + (10.5 - 10) / 2");
    assertEquals(at(4.9), pace.dueNanos(t("9.8")));
    assertEquals(0, pace.pausedMicros(t("9.8"), at(9)), "due before: no shift");
    assertEquals(0, pace.pausedMicros(t("10"), at(9)));
    assertEquals(3_000_000, pace.pausedMicros(t("10.5"), at(9)), "due after: 3 s later");
    assertEquals(3.0, pace.pausedNanos(at(9)) / 1e9, 1e-9);
  }

  @Test
  void aNewSpeedupAppliesFromTheNextSliceAndPausesAddUp() {
    ReplayPace pace = new ReplayPace(1, S);
    pace.changeSpeedup(4, at(10)); // sim 10 at wall 10
    assertEquals(at(9.5), pace.dueNanos(t("9.5")), "due before the change: at speed-up 1");
    assertEquals(at(10 + 2.0 / 4), pace.dueNanos(t("12")), "after it: at 4");
    assertEquals(4.0, pace.speedupAt(t("12")));
    assertEquals(1.0, pace.speedupAt(t("9.5")));
    pace.pause(at(11)); // sim 14
    pace.changeSpeedup(0.5, at(12)); // while paused: the speed a resume goes on at
    assertEquals(Long.MAX_VALUE, pace.dueNanos(t("14.5")));
    pace.resume(at(13)); // paused 2 s
    assertEquals(at(13 + 0.5 / 0.5), pace.dueNanos(t("14.5")));
    assertEquals(at(10 + 3.0 / 4), pace.dueNanos(t("13")), "due before the pause, at 4");
    pace.pause(at(14)); // sim 14.5
    pace.resume(at(19)); // paused 5 s more
    assertEquals(2_000_000, pace.pausedMicros(t("14.5"), at(20)), "due at the second pause");
    assertEquals(7_000_000, pace.pausedMicros(t("14.6"), at(20)), "after both pauses");
    assertEquals(at(19 + 0.1 / 0.5), pace.dueNanos(t("14.6")));
    assertEquals(14.5 + 0.5 * 1, pace.simSeconds(at(20)), 1e-9);
  }
}
