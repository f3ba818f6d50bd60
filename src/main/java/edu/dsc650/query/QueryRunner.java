package edu.dsc650.query;

import java.io.PrintWriter;
import org.apache.spark.sql.SparkSession;

/**
 * {@code run-query}: takes each chosen query's lock and checks the published input before Spark
 * starts, then runs the queries in one SparkSession ({@link QueryRun}, its phases) until they are
 * done or stopped.
 */
public final class QueryRunner {
  private final RunSettings settings;
  private final PrintWriter out;
  private final PrintWriter progress;
  private volatile boolean stopRequested;

  /**
   * @param out the results: what the outputs hold, when the queries stopped
   * @param progress what the run is doing (batches, waiting, draining), apart from the results
   */
  public QueryRunner(RunSettings settings, PrintWriter out, PrintWriter progress) {
    this.settings = settings;
    this.out = out;
    this.progress = progress;
  }

  /** Stops the queries cleanly between micro-batches; safe from any thread (a signal handler's). */
  public void requestStop() {
    stopRequested = true;
  }

  /**
   * Runs until done or stopped; a failure is an exception (a {@code BadInputException}: nothing
   * changed).
   */
  public Outcome run() throws Exception {
    // One run-query per query and results folder, found before Spark starts: a second one (--fresh
    // or not) changes nothing.
    try (QueryLocks locks =
        QueryLocks.acquire(
            settings.layout(), settings.queries(), w -> progress.println("warning: " + w))) {
      settings.input().checkPublished(settings.queries());
      SparkSession spark =
          SparkSessions.create(
              settings.master(),
              settings.localAddress(),
              settings.input().pollingDelay(),
              settings.sparkConf());
      try (QueryRun run = new QueryRun(settings, spark, out, progress, () -> stopRequested)) {
        try {
          return run.run();
        } finally {
          spark.stop(); // before the run closes: stopping delivers the last progress events
        }
      }
    }
  }
}
