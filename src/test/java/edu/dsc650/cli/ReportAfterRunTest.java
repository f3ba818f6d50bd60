package edu.dsc650.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import edu.dsc650.io.ReplayManifest;
import edu.dsc650.io.ResultsLayout;
import edu.dsc650.io.RunLock;
import edu.dsc650.io.Storage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When report --serve writes the report: only once the replay has ended, no query runs, and the
 * results have been quiet; once per state of the results. The clock is the test's; the "report" is
 * {@code true} or {@code false}.
 */
class ReportAfterRunTest {
  @TempDir Path tmp;

  long now = 1_000_000;
  List<ReportAfterRun.State> told = new ArrayList<>();
  List<String> warnings = new ArrayList<>();

  @Test
  void writesOnceTheRunIsOverAndQuietOncePerState() throws Exception {
    Storage storage = Storage.forLocation(tmp.toString());
    ResultsLayout layout = new ResultsLayout(new org.apache.hadoop.fs.Path(tmp.toUri()));
    ReportAfterRun after =
        new ReportAfterRun(storage, layout, List.of("true"), told::add, warnings::add, () -> now);

    after.check(1L); // no replay.json: no run to report
    now += 10_000;
    after.check(1L);
    assertEquals(List.of(), told);

    manifest(layout, storage, ReplayManifest.Status.REPLAYING);
    now += 10_000;
    after.check(1L);
    assertEquals(List.of(), told, "still replaying");

    manifest(layout, storage, ReplayManifest.Status.COMPLETED);
    try (RunLock query =
        RunLock.acquire(storage, layout.queryLock("windowed"), "run-query", w -> {})) {
      now += 10_000;
      after.check(1L);
      assertEquals(List.of(), told, "a query still runs");
    }
    after.check(2L); // news
    now += ReportAfterRun.QUIET_MS - 1;
    after.check(2L);
    assertEquals(List.of(), told, "not quiet for long enough");
    now += 1;
    after.check(2L);
    assertEquals(List.of(ReportAfterRun.State.WRITING), told);
    awaitEnd(after, 2L);
    assertEquals(List.of(ReportAfterRun.State.WRITING, ReportAfterRun.State.WRITTEN), told);
    now += 60_000;
    after.check(2L);
    assertEquals(2, told.size(), "nothing new: not again");
    assertEquals(List.of(), warnings);
  }

  @Test
  void aReportThatFailsIsSaidOnce() throws Exception {
    Storage storage = Storage.forLocation(tmp.toString());
    ResultsLayout layout = new ResultsLayout(new org.apache.hadoop.fs.Path(tmp.toUri()));
    manifest(layout, storage, ReplayManifest.Status.STOPPED);
    ReportAfterRun after =
        new ReportAfterRun(storage, layout, List.of("false"), told::add, warnings::add, () -> now);
    after.check(1L);
    now += ReportAfterRun.QUIET_MS;
    after.check(1L);
    awaitEnd(after, 1L);
    assertEquals(List.of(ReportAfterRun.State.WRITING, ReportAfterRun.State.FAILED), told);
    assertEquals(1, warnings.size(), warnings.toString());
    now += 60_000;
    after.check(1L);
    assertEquals(2, told.size(), "not retried for the same results");
  }

  @Test
  void withoutAJarNothingIsWritten() throws Exception {
    Storage storage = Storage.forLocation(tmp.toString());
    ResultsLayout layout = new ResultsLayout(new org.apache.hadoop.fs.Path(tmp.toUri()));
    manifest(layout, storage, ReplayManifest.Status.COMPLETED);
    ReportAfterRun after =
        new ReportAfterRun(storage, layout, null, told::add, warnings::add, () -> now);
    after.check(1L);
    now += 60_000;
    after.check(1L);
    assertEquals(List.of(), told);
  }

  /** Checks until the report process has ended and been told (it takes a few ms). */
  private void awaitEnd(ReportAfterRun after, long seen) throws Exception {
    int before = told.size();
    for (int i = 0; i < 500 && told.size() == before; i++) {
      Thread.sleep(10);
      after.check(seen);
    }
  }

  private static void manifest(ResultsLayout layout, Storage storage, ReplayManifest.Status status)
      throws Exception {
    new ReplayManifest(
            "run-1",
            new ReplayManifest.Plan(1.0, false, 1, 130, 1, 212, 6440, 199_975),
            new ReplayManifest.Progress(status, "2026-12-06T10:00:00Z", 0, null, null, null),
            null)
        .write(storage, layout.replayManifest());
  }
}
