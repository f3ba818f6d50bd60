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

  private final PrintWriter out;
  private final boolean terminal;
  private long lastPrinted = Long.MIN_VALUE;
  private int lastLength;

  ReplayProgressLine(PrintWriter out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  @Override
  public void published(int done, int total, double sim, long files, long rows, long lagNanos) {
    long now = System.nanoTime();
    boolean last = done == total;
    if (!last
        && lastPrinted != Long.MIN_VALUE
        && now - lastPrinted < (terminal ? TERMINAL_EVERY_NANOS : PLAIN_EVERY_NANOS)) {
      return;
    }
    lastPrinted = now;
    String line =
        String.format(
            Locale.ROOT,
            "slice %d/%s  sim %7.1f s  %,d files  %,d rows%s",
            done,
            total < 0 ? "endless" : total,
            sim,
            files,
            rows,
            lagNanos < 0 ? "" : String.format(Locale.ROOT, "  lag %.2f ms", lagNanos / 1e6));
    if (terminal) {
      out.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
      lastLength = line.length();
    } else {
      out.println(line);
    }
    out.flush();
  }

  /** Ends the status line so that what follows starts on a line of its own. */
  void finish() {
    if (terminal && lastLength > 0) {
      out.println();
      lastLength = 0;
    }
  }
}
