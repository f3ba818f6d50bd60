package edu.dsc650.replay;

import edu.dsc650.io.QueriesReady;
import edu.dsc650.io.ResultsLayout;
import edu.dsc650.io.Storage;
import java.io.IOException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * {@code stream-data --wait-for-queries}: the clock starts once a run-query on the same results
 * folder says its queries are running and warm ({@link QueriesReady}), so that the first slices are
 * not published into a Spark that is still starting.
 */
public final class QueriesGate implements StartGate {
  static final long POLL_NANOS = 100_000_000L;

  private final Storage storage;
  private final ResultsLayout layout;
  private final ReplayClock clock;
  private final Consumer<String> say;

  /**
   * @param say prints a line: once when the wait starts, once when it ends
   */
  public QueriesGate(
      Storage storage, ResultsLayout layout, ReplayClock clock, Consumer<String> say) {
    this.storage = storage;
    this.layout = layout;
    this.clock = clock;
    this.say = say;
  }

  @Override
  public boolean await(BooleanSupplier stop) throws IOException {
    boolean told = false;
    long waited = clock.nanoTime();
    while (!stop.getAsBoolean()) {
      if (!QueriesReady.ready(storage, layout).isEmpty()) {
        if (told) {
          say.accept(
              String.format(
                  java.util.Locale.ROOT,
                  "run-query is ready after %.1f s: replaying",
                  (clock.nanoTime() - waited) / 1e9));
        }
        return true;
      }
      if (!told) {
        say.accept(
            "waiting for run-query's queries to be ready (start: java -jar dsc650.jar run-query"
                + " --results "
                + layout.root()
                + ")");
        told = true;
      }
      clock.sleepUntil(clock.nanoTime() + POLL_NANOS, stop);
    }
    return false;
  }
}
