package edu.dsc650.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;

class ReplayScheduleTest {
  private static Slice slice(String topic, String t) {
    return new Slice(
        topic, "t=" + t, new BigDecimal(t), new Path("/src/" + topic + "/t=" + t), List.of());
  }

  @Test
  void sliceTIsDueTOverSpeedupSecondsAfterTheStart() {
    List<Slice> slices =
        List.of(slice("a", "0.0"), slice("a", "1.5"), slice("a", "52.2"), slice("a", "128.8"));
    List<Long> realTime =
        ReplaySchedule.plan(slices, 1).stream().map(ReplaySchedule.Moment::dueNanos).toList();
    assertEquals(List.of(0L, 1_500_000_000L, 52_200_000_000L, 128_800_000_000L), realTime);
    List<Long> tenTimes =
        ReplaySchedule.plan(slices, 10).stream().map(ReplaySchedule.Moment::dueNanos).toList();
    assertEquals(List.of(0L, 150_000_000L, 5_220_000_000L, 12_880_000_000L), tenTimes);
    List<Long> slower =
        ReplaySchedule.plan(slices, 0.5).stream().map(ReplaySchedule.Moment::dueNanos).toList();
    assertEquals(List.of(0L, 3_000_000_000L, 104_400_000_000L, 257_600_000_000L), slower);
  }

  @Test
  void sameTimeInSeveralTopicsIsOneMomentAndALateTopicStillWaits() {
    // accelerations starts at 0; locations only at 5.0, which is due 5 s in, not at the start
    List<Slice> slices =
        List.of(
            slice("accelerations", "0.0"),
            slice("accelerations", "5.0"),
            slice("locations", "5.0"),
            slice("locations", "6.5"));
    List<ReplaySchedule.Moment> moments = ReplaySchedule.plan(slices, 2);
    assertEquals(3, moments.size());
    assertEquals(0L, moments.get(0).dueNanos());
    assertEquals(2_500_000_000L, moments.get(1).dueNanos());
    assertEquals(
        List.of("accelerations", "locations"),
        moments.get(1).slices().stream().map(Slice::topic).toList());
    assertEquals(3_250_000_000L, moments.get(2).dueNanos());
  }

  @Test
  void maxSpeedMakesEveryMomentDueAtOnceButKeepsTheOrder() {
    List<Slice> slices = List.of(slice("a", "0.0"), slice("a", "9.5"), slice("a", "11.7"));
    List<ReplaySchedule.Moment> moments = ReplaySchedule.plan(slices, Double.POSITIVE_INFINITY);
    assertEquals(
        List.of(0L, 0L, 0L), moments.stream().map(ReplaySchedule.Moment::dueNanos).toList());
    assertEquals(
        List.of("t=0.0", "t=9.5", "t=11.7"),
        moments.stream().map(m -> m.slices().get(0).folder()).toList());
  }

  @Test
  void rejectsUnorderedSlicesAndBadSpeedups() {
    List<Slice> unordered = new ArrayList<>(List.of(slice("a", "2.0"), slice("a", "1.0")));
    assertThrows(IllegalArgumentException.class, () -> ReplaySchedule.plan(unordered, 1));
    assertThrows(IllegalArgumentException.class, () -> ReplaySchedule.plan(List.of(), 0));
    assertThrows(IllegalArgumentException.class, () -> ReplaySchedule.plan(List.of(), -1));
  }
}
