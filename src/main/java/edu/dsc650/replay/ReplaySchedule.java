package edu.dsc650.replay;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * When each slice is due. The simulation clock starts at 0 for every topic, so a slice {@code t} is
 * due {@code t / speedup} seconds after the run's start, whatever topic it belongs to and whenever
 * that topic's first slice is. Slices with the same {@code t} form one {@link Moment}.
 */
public final class ReplaySchedule {

  /**
   * The slices due at one instant, {@code dueNanos} after the run's start. In lap k of a looped run
   * ({@link Laps}) {@code t} and the slices' folders are shifted by k times the lap length, and so
   * are the rows' timestamps: {@code shiftMicros}.
   */
  public record Moment(BigDecimal t, long dueNanos, List<Slice> slices, long shiftMicros) {
    Moment(BigDecimal t, long dueNanos, List<Slice> slices) {
      this(t, dueNanos, slices, 0);
    }
  }

  private ReplaySchedule() {}

  /**
   * @param slices ordered by time, as {@link SourceScanner#scan} returns them
   * @param speedup simulation seconds per wall-clock second; {@link Double#POSITIVE_INFINITY} for
   *     as fast as possible (every moment due at the start, published in order)
   */
  public static List<Moment> plan(List<Slice> slices, double speedup) {
    if (!(speedup > 0)) {
      throw new IllegalArgumentException("speed-up must be positive: " + speedup);
    }
    List<Moment> moments = new ArrayList<>();
    for (Slice slice : slices) {
      Moment last = moments.isEmpty() ? null : moments.get(moments.size() - 1);
      if (last != null && last.t().compareTo(slice.t()) == 0) {
        last.slices().add(slice);
      } else {
        if (last != null && last.t().compareTo(slice.t()) > 0) {
          throw new IllegalArgumentException("slices are not ordered by time: " + slice.dir());
        }
        List<Slice> group = new ArrayList<>();
        group.add(slice);
        moments.add(new Moment(slice.t(), dueNanos(slice.t(), speedup), group));
      }
    }
    return moments;
  }

  /**
   * Every moment of every lap, made as they are needed (an endless run has no end to plan): lap 0
   * is {@link #plan}, lap k the same slices shifted by k times {@code laps.length()}.
   */
  public static java.util.Iterator<Moment> laps(List<Slice> slices, double speedup, Laps laps) {
    List<Moment> lap0 = plan(slices, speedup);
    return new java.util.Iterator<>() {
      private long lap;
      private int next;

      @Override
      public boolean hasNext() {
        return !lap0.isEmpty() && (laps.endless() || lap < laps.count());
      }

      @Override
      public Moment next() {
        if (!hasNext()) {
          throw new java.util.NoSuchElementException();
        }
        Moment m = lap == 0 ? lap0.get(next) : laps.shift(lap0.get(next), lap, speedup);
        if (++next == lap0.size()) {
          next = 0;
          lap++;
        }
        return m;
      }
    };
  }

  static long dueNanos(BigDecimal t, double speedup) {
    if (Double.isInfinite(speedup)) {
      return 0;
    }
    return Math.round(t.doubleValue() * 1e9 / speedup);
  }
}
