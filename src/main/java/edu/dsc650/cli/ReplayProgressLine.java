package edu.dsc650.cli;

import edu.dsc650.replay.ReplayProgress;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Shows the replay's progress: one status line rewritten in place on a terminal, or a plain line
 * every few seconds when the output is a file or a pipe (logs, CI).
 */
final class ReplayProgressLine implements ReplayProgress {
  private static final long TERMINAL_EVERY_NANOS = 100_000_000L;
  private static final long PLAIN_EVERY_NANOS = 5_000_000_000L;
  private static final int BAR = 20;

  private final PrintWriter out;
  private final boolean terminal;
  private final java.util.function.LongSupplier nanoTime;
  private long lastPrinted = Long.MIN_VALUE;
  private long firstPublished = Long.MIN_VALUE;
  private int doneAtFirst;
  private int lastLength;
  private boolean paused;
  private String speed = "";
  private int lastDone;
  private int lastTotal;
  private double lastSim;
  private long lastFiles;
  private long lastRows;
  private long lastLag = -1;

  ReplayProgressLine(PrintWriter out, boolean terminal) {
    this(out, terminal, System::nanoTime);
  }

  /**
   * @param nanoTime the clock the line's pace and ETA are read from (tests inject one)
   */
  ReplayProgressLine(PrintWriter out, boolean terminal, java.util.function.LongSupplier nanoTime) {
    this.out = out;
    this.terminal = terminal;
    this.nanoTime = nanoTime;
  }

  @Override
  public void published(int done, int total, double sim, long files, long rows, long lagNanos) {
    long now = nanoTime.getAsLong();
    if (firstPublished == Long.MIN_VALUE) {
      firstPublished = now;
      doneAtFirst = done;
    }
    lastDone = done;
    lastTotal = total;
    lastSim = sim;
    lastFiles = files;
    lastRows = rows;
    lastLag = lagNanos;
    boolean last = done == total;
    if (!last
        && lastPrinted != Long.MIN_VALUE
        && now - lastPrinted < (terminal ? TERMINAL_EVERY_NANOS : PLAIN_EVERY_NANOS)) {
      return;
    }
    draw(now, "");
  }

  /**
   * A pause, a resume or a new speed-up: said at once, and the ETA is reckoned from here on (the
   * pace changed).
   */
  @Override
  public void steered(String what, boolean paused, double speedup) {
    long now = nanoTime.getAsLong();
    this.paused = paused;
    this.speed =
        Double.isInfinite(speedup)
            ? ""
            : "  x" + java.math.BigDecimal.valueOf(speedup).stripTrailingZeros().toPlainString();
    firstPublished = Long.MIN_VALUE;
    if (terminal) {
      draw(now, "  (" + what + ")");
    } else {
      out.println(what);
      out.flush();
    }
  }

  private void draw(long now, String news) {
    lastPrinted = now;
    int done = lastDone;
    int total = lastTotal;
    String line =
        String.format(
            Locale.ROOT,
            "slice %d/%s  sim %7.1f s  %,d files  %,d rows%s%s%s%s",
            done,
            total < 0 ? "endless" : total,
            lastSim,
            lastFiles,
            lastRows,
            lastLag < 0 ? "" : String.format(Locale.ROOT, "  lag %.2f ms", lastLag / 1e6),
            speed,
            paused ? "  PAUSED" : eta(now, done, total),
            news);
    if (terminal) {
      line = bar(done, total) + line;
      out.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
      lastLength = line.length();
    } else {
      out.println(line);
    }
    out.flush();
  }

  /** "[#####...............] 25% " of a run with an end; nothing for an endless one. */
  static String bar(int done, int total) {
    if (total <= 0) {
      return "";
    }
    int filled = (int) ((long) BAR * done / total);
    return "["
        + "#".repeat(filled)
        + ".".repeat(BAR - filled)
        + "] "
        + String.format(Locale.ROOT, "%3d%% ", 100L * done / total);
  }

  /**
   * The time left at the pace so far: the slices still to come, each taking as long as the ones
   * since the first did on average (the schedule is even in simulation time), counted from the last
   * change of pace. Nothing until two slices are out since, at the end, or for an endless run.
   */
  private String eta(long now, int done, int total) {
    if (total <= 0 || done - doneAtFirst < 1 || done >= total || firstPublished == Long.MIN_VALUE) {
      return "";
    }
    long left = (now - firstPublished) / (done - doneAtFirst) * (total - done);
    long seconds = Math.round(left / 1e9);
    return String.format(Locale.ROOT, "  ETA %d:%02d", seconds / 60, seconds % 60);
  }

  /** Ends the status line so that what follows starts on a line of its own. */
  void finish() {
    if (terminal && lastLength > 0) {
      out.println();
      lastLength = 0;
    }
  }
}
