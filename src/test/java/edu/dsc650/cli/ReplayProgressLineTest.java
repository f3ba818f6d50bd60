package edu.dsc650.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * stream-data's status line: in place with a bar and an ETA on a terminal, plain lines in a pipe.
 */
class ReplayProgressLineTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void onATerminalOneLineIsRedrawnWithABarAndTheTimeLeft() {
    StringWriter text = new StringWriter();
    AtomicLong clock = new AtomicLong();
    ReplayProgressLine line = new ReplayProgressLine(new PrintWriter(text), true, clock::get);
    line.published(1, 5, 0.0, 10, 100, 2_000_000);
    clock.addAndGet(2 * SECOND); // 2 s per slice: 3 to come, 6 s
    line.published(2, 5, 1.5, 20, 200, -1);
    clock.addAndGet(2 * SECOND);
    line.published(5, 5, 6.0, 50, 500, 1_000_000);
    line.finish();
    String[] drawn = text.toString().split("\r");
    assertEquals(
        List.of(
            "",
            "[####................]  20% slice 1/5  sim     0.0 s  10 files  100 rows  lag 2.00 ms",
            // "  ETA 0:06" is 3 characters shorter than "  lag 2.00 ms": those are blanked
            "[########............]  40% slice 2/5  sim     1.5 s  20 files  200 rows  ETA 0:06"
                + "   ",
            "[####################] 100% slice 5/5  sim     6.0 s  50 files  500 rows  lag 1.00 ms"
                + System.lineSeparator()),
        List.of(drawn));
  }

  @Test
  void inAPipeALineEveryFiveSecondsAndTheLastOneAlways() {
    StringWriter text = new StringWriter();
    AtomicLong clock = new AtomicLong();
    ReplayProgressLine line = new ReplayProgressLine(new PrintWriter(text), false, clock::get);
    for (int done = 1; done <= 20; done++) {
      line.published(done, 20, done, done, done, -1);
      clock.addAndGet(SECOND);
    }
    List<String> lines = text.toString().lines().toList();
    // printed at 0 s, 5 s, 10 s, 15 s, and the last slice (19 s)
    assertEquals(5, lines.size(), lines.toString());
    assertEquals(
        "slice 6/20  sim     6.0 s  6 files  6 rows  ETA 0:14",
        lines.get(1),
        "1 s a slice, 14 to go");
    assertEquals("slice 20/20  sim    20.0 s  20 files  20 rows", lines.get(4));
  }

  @Test
  void anEndlessRunHasNoBarAndNoEta() {
    StringWriter text = new StringWriter();
    AtomicLong clock = new AtomicLong();
    ReplayProgressLine line = new ReplayProgressLine(new PrintWriter(text), true, clock::get);
    line.published(1, -1, 0.0, 1, 1, -1);
    clock.addAndGet(SECOND);
    line.published(2, -1, 1.0, 2, 2, -1);
    assertEquals(
        "\rslice 1/endless  sim     0.0 s  1 files  1 rows"
            + "\rslice 2/endless  sim     1.0 s  2 files  2 rows",
        text.toString());
  }
}
