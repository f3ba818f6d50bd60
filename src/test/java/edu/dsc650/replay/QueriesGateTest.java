package edu.dsc650.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import edu.dsc650.io.LocalStorage;
import edu.dsc650.io.QueriesReady;
import edu.dsc650.io.ResultsLayout;
import edu.dsc650.io.RunLock;
import edu.dsc650.io.Storage;
import edu.dsc650.testing.FakeClock;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** stream-data --wait-for-queries: when a run-query's "ready" counts, and what the wait prints. */
class QueriesGateTest {
  @TempDir Path tmp;

  private final Storage storage = new LocalStorage();

  private ResultsLayout layout() {
    return new ResultsLayout(new org.apache.hadoop.fs.Path(tmp.toUri()));
  }

  /** The lock a run-query of {@code query} holds while it runs. */
  private RunLock holdLock(ResultsLayout layout, String query) throws Exception {
    return RunLock.acquire(storage, layout.queryLock(query), "run-query of " + query, w -> {});
  }

  @Test
  void aReadyQueryWhoseLockIsHeldOpensTheGateAtOnce() throws Exception {
    ResultsLayout layout = layout();
    try (RunLock lock = holdLock(layout, "windowed")) {
      QueriesReady.write(storage, layout, List.of("windowed"));
      List<String> said = new ArrayList<>();
      FakeClock clock = new FakeClock();
      assertTrue(new QueriesGate(storage, layout, clock, said::add).await(() -> false));
      assertEquals(List.of(), said, "no wait, nothing to say");
      assertEquals(0.0, clock.elapsedSeconds());
    }
  }

  @Test
  void theGateWaitsUntilAQueryIsReadyAndSaysSoOnceEach() throws Exception {
    ResultsLayout layout = layout();
    try (RunLock lock = holdLock(layout, "simple")) {
      FakeClock clock = new FakeClock();
      AtomicInteger polls = new AtomicInteger();
      List<String> said = new ArrayList<>();
      // the run-query says it is ready while the replay waits: after the 5th look
      boolean opened =
          new QueriesGate(storage, layout, clock, said::add)
              .await(
                  () -> {
                    if (polls.incrementAndGet() == 5) {
                      try {
                        QueriesReady.write(storage, layout, List.of("simple"));
                      } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                      }
                    }
                    return false;
                  });
      assertTrue(opened);
      assertEquals(2, said.size(), said.toString());
      assertTrue(said.get(0).startsWith("waiting for run-query"), said.get(0));
      assertTrue(clock.elapsedSeconds() > 0, "it waited on the clock, in steps");
      assertEquals(
          String.format(
              java.util.Locale.ROOT,
              "run-query is ready after %.1f s: replaying",
              clock.elapsedSeconds()),
          said.get(1));
    }
  }

  @Test
  void aReadyFileLeftByAKilledRunQueryDoesNotCount() throws Exception {
    ResultsLayout layout = layout();
    QueriesReady.write(storage, layout, List.of("joined"));
    // its lock names a process that is gone (kill -9 leaves both files behind)
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Files.createDirectories(tmp.resolve("checkpoints"));
    Files.writeString(
        tmp.resolve("checkpoints/joined.lock"),
        gone.pid() + " " + InetAddress.getLocalHost().getHostName() + "\n");
    assertEquals(List.of(), QueriesReady.ready(storage, layout));
    AtomicInteger polls = new AtomicInteger();
    assertFalse(
        new QueriesGate(storage, layout, new FakeClock(), s -> {})
            .await(() -> polls.incrementAndGet() > 20),
        "stopped while waiting: the gate stays shut");
  }

  @Test
  void runQueryTakesItsReadyBack() throws Exception {
    ResultsLayout layout = layout();
    try (RunLock lock = holdLock(layout, "simple")) {
      QueriesReady.write(storage, layout, List.of("simple"));
      assertEquals(List.of("simple"), QueriesReady.ready(storage, layout));
      QueriesReady.clear(storage, layout, List.of("simple"));
      assertEquals(List.of(), QueriesReady.ready(storage, layout));
    }
  }
}
