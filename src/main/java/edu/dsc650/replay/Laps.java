package edu.dsc650.replay;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * How a run loops over its source ({@code --loop}): after the last slice the simulation goes on
 * with the first one again. Lap k is the source shifted by k times the lap length L (the last
 * slice's time plus one typical gap between slices): slice {@code t} of lap k is published as
 * folder {@code t=<t + k L>} at that instant, and its rows' timestamps are S + offset + k L, so
 * event time keeps moving and watermarks keep evicting state.
 *
 * @param count how many laps; 0 until stopped
 * @param length L, in simulation seconds
 */
public record Laps(int count, BigDecimal length) {

  public Laps {
    if (count < 0) {
      throw new IllegalArgumentException("laps must be 0 (until stopped) or more, not " + count);
    }
  }

  /** {@code count} laps of {@code slices}, whose length comes from the slices' times. */
  public static Laps of(int count, List<Slice> slices) {
    return new Laps(count, lengthOf(slices));
  }

  /**
   * {@code count} laps of {@code slices} whose rows' offsets lie from {@code minOffsetMicros} to
   * {@code maxOffsetMicros}: the length from the slices' times, grown by the typical gap until it
   * exceeds every offset (rows of the last slice reach past its time) and the offsets' span, so
   * that every row of lap k+1 comes after every row of lap k in event time.
   */
  public static Laps of(int count, List<Slice> slices, long minOffsetMicros, long maxOffsetMicros) {
    BigDecimal length = lengthOf(slices);
    if (maxOffsetMicros != Long.MIN_VALUE && length.signum() > 0) {
      BigDecimal gap = length.subtract(lastTime(slices));
      long reach = Math.max(maxOffsetMicros, maxOffsetMicros - Math.min(0, minOffsetMicros));
      BigDecimal beyond = BigDecimal.valueOf(reach).movePointLeft(6);
      if (length.compareTo(beyond) <= 0) {
        BigDecimal steps =
            beyond
                .subtract(length)
                .divide(gap, 0, java.math.RoundingMode.FLOOR)
                .add(BigDecimal.ONE);
        length = length.add(gap.multiply(steps));
      }
    }
    return new Laps(count, length);
  }

  private static BigDecimal lastTime(List<Slice> slices) {
    return slices.stream().map(Slice::t).max(BigDecimal::compareTo).orElse(BigDecimal.ZERO);
  }

  public boolean endless() {
    return count == 0;
  }

  /**
   * The last slice's time plus the median gap between consecutive slice times (1 s if there is a
   * single time): lap 1's first slice then follows lap 0's last one as the slices follow each
   * other.
   */
  static BigDecimal lengthOf(List<Slice> slices) {
    TreeSet<BigDecimal> times = new TreeSet<>();
    slices.forEach(s -> times.add(s.t()));
    if (times.isEmpty()) {
      return BigDecimal.ZERO;
    }
    List<BigDecimal> gaps = new ArrayList<>();
    BigDecimal previous = null;
    for (BigDecimal t : times) {
      if (previous != null) {
        gaps.add(t.subtract(previous));
      }
      previous = t;
    }
    gaps.sort(null);
    BigDecimal gap = gaps.isEmpty() ? BigDecimal.ONE : gaps.get((gaps.size() - 1) / 2);
    return times.last().add(gap);
  }

  /** Lap {@code lap}'s copy of a lap-0 moment. */
  ReplaySchedule.Moment shift(ReplaySchedule.Moment m, long lap, double speedup) {
    BigDecimal by = length.multiply(BigDecimal.valueOf(lap));
    BigDecimal t = m.t().add(by);
    List<Slice> shifted = new ArrayList<>(m.slices().size());
    for (Slice s : m.slices()) {
      shifted.add(new Slice(s.topic(), folder(s.folder(), t), t, s.dir(), s.files()));
    }
    long micros =
        by.movePointRight(6).setScale(0, java.math.RoundingMode.HALF_EVEN).longValueExact();
    return new ReplaySchedule.Moment(t, ReplaySchedule.dueNanos(t, speedup), shifted, micros);
  }

  /**
   * The folder name of a shifted slice, written as the source writes its names: as many integer
   * digits at least (zero-padded: {@code t=000.0} → {@code t=130.3}) and at least as many decimals.
   */
  static String folder(String sourceFolder, BigDecimal t) {
    String number = sourceFolder.substring(sourceFolder.indexOf('=') + 1);
    int dot = number.indexOf('.');
    int intDigits = dot < 0 ? number.length() : dot;
    int decimals = dot < 0 ? 0 : number.length() - dot - 1;
    BigDecimal value = t.setScale(Math.max(decimals, Math.max(0, t.stripTrailingZeros().scale())));
    String plain = value.toPlainString();
    int valueDot = plain.indexOf('.');
    int have = valueDot < 0 ? plain.length() : valueDot;
    return "t=" + "0".repeat(Math.max(0, intDigits - have)) + plain;
  }
}
