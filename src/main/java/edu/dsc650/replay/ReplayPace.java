package edu.dsc650.replay;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * The simulation clock as it is steered while a run goes: a line of segments, each running at one
 * speed-up from where the one before stopped. A pause ends a segment; the resume starts the next at
 * the same simulation time. Slice {@code t} is due at the instant the simulation clock reached (or
 * will reach) {@code t}, in the first segment that reached it, so that a change moves only the
 * slices not due yet and every due instant stays true.
 *
 * <p>Rows are published with {@code timestamp = S + offset + paused}, {@code paused} being the time
 * paused before the slice was due: event time goes on after a pause as if the cars had gone quiet.
 *
 * <p>Not thread-safe: the publishing thread owns it.
 */
final class ReplayPace {
  /** One stretch at one speed-up, from {@code startNanos} on the clock's nanoTime. */
  private record Segment(long startNanos, double startSim, double speedup, long pausedNanos) {
    double simAt(long nanos) {
      return startSim + (nanos - startNanos) / 1e9 * speedup;
    }

    long due(double t) {
      return t <= startSim ? startNanos : startNanos + Math.round((t - startSim) * 1e9 / speedup);
    }
  }

  private final List<Segment> segments = new ArrayList<>();

  /** Where each ended segment stopped, in simulation seconds ({@code segments} minus the last). */
  private final List<Double> ends = new ArrayList<>();

  private boolean paused;
  private long pausedSince;
  private double speedup;

  /**
   * @param startNanos the run's start S on the clock's nanoTime: simulation time 0
   */
  ReplayPace(double speedup, long startNanos) {
    this.speedup = speedup;
    segments.add(new Segment(startNanos, 0, speedup, 0));
  }

  boolean paused() {
    return paused;
  }

  /** The speed-up now, or the one a resume will go on at. */
  double speedup() {
    return speedup;
  }

  /**
   * The instant slice {@code t} is due on the clock's nanoTime; {@link Long#MAX_VALUE} if it is not
   * reached before a resume.
   */
  long dueNanos(BigDecimal t) {
    int i = segmentOf(t.doubleValue());
    if (i < 0) {
      return Long.MAX_VALUE;
    }
    return segments.get(i).due(t.doubleValue());
  }

  /**
   * The speed-up of the stretch in which slice {@code t} is due (the speed-up now, while paused).
   */
  double speedupAt(BigDecimal t) {
    int i = segmentOf(t.doubleValue());
    return i < 0 ? speedup : segments.get(i).speedup();
  }

  /**
   * The time paused before slice {@code t} is due, in microseconds, to add to its rows' timestamps;
   * while paused, for a slice not due yet, the pause so far (a resume adds to it).
   */
  long pausedMicros(BigDecimal t, long nowNanos) {
    int i = segmentOf(t.doubleValue());
    long nanos =
        i >= 0 ? segments.get(i).pausedNanos() : last().pausedNanos() + nowNanos - pausedSince;
    return Math.round(nanos / 1e3);
  }

  /** The time paused so far, in nanoseconds, the pause going on included. */
  long pausedNanos(long nowNanos) {
    return last().pausedNanos() + (paused ? nowNanos - pausedSince : 0);
  }

  /** Where the simulation clock is at {@code nowNanos}. */
  double simSeconds(long nowNanos) {
    return paused ? ends.get(ends.size() - 1) : last().simAt(nowNanos);
  }

  /**
   * What a request did: the change as replay.json records it (pause, resume, speedup), or null if
   * it changed nothing; and what to tell the user.
   */
  record Applied(String change, String said) {}

  /**
   * Applies a user's request at {@code nowNanos}; a speed-up past {@code fastest} or under {@link
   * ReplayOptions#MIN_SPEEDUP} is refused.
   */
  Applied apply(Steering.Request request, long nowNanos, double fastest) {
    Steering.Request r =
        request != Steering.Request.TOGGLE
            ? request
            : paused ? Steering.Request.RESUME : Steering.Request.PAUSE;
    return switch (r) {
      case PAUSE ->
          pause(nowNanos) ? new Applied("pause", "paused") : new Applied(null, "paused already");
      case RESUME ->
          resume(nowNanos)
              ? new Applied("resume", "resumed")
              : new Applied(null, "running already");
      default -> {
        double next = r == Steering.Request.FASTER ? speedup * 2 : speedup / 2;
        if (next > fastest || next < ReplayOptions.MIN_SPEEDUP) {
          yield new Applied(
              null,
              "speed-up stays "
                  + number(speedup)
                  + ": "
                  + number(next)
                  + " is "
                  + (next > fastest
                      ? "over the fastest, " + number(fastest)
                      : "under the slowest, " + number(ReplayOptions.MIN_SPEEDUP)));
        }
        changeSpeedup(next, nowNanos);
        yield new Applied("speedup", "speed-up " + number(next));
      }
    };
  }

  /** A speed-up as a user typed it: 2, 0.5, 0.125. */
  static String number(double x) {
    return BigDecimal.valueOf(x).stripTrailingZeros().toPlainString();
  }

  /** Stops the simulation clock; false if it was stopped already. */
  boolean pause(long nowNanos) {
    if (paused) {
      return false;
    }
    ends.add(last().simAt(nowNanos));
    paused = true;
    pausedSince = nowNanos;
    return true;
  }

  /** Starts it again where it stopped; false if it was running. */
  boolean resume(long nowNanos) {
    if (!paused) {
      return false;
    }
    double at = ends.get(ends.size() - 1);
    segments.add(new Segment(nowNanos, at, speedup, last().pausedNanos() + nowNanos - pausedSince));
    paused = false;
    return true;
  }

  /** Goes on at {@code newSpeedup} from now (or from the resume, while paused). */
  void changeSpeedup(double newSpeedup, long nowNanos) {
    speedup = newSpeedup;
    if (!paused) {
      double at = last().simAt(nowNanos);
      ends.add(at);
      segments.add(new Segment(nowNanos, at, newSpeedup, last().pausedNanos()));
    }
  }

  /**
   * The first segment that reaches {@code t}: the one it lies in, or the first that starts at it;
   * -1 while paused before {@code t}.
   */
  private int segmentOf(double t) {
    for (int i = 0; i < ends.size(); i++) {
      if (t <= ends.get(i)) {
        return i;
      }
    }
    return paused ? -1 : segments.size() - 1;
  }

  private Segment last() {
    return segments.get(segments.size() - 1);
  }
}
