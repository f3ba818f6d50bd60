package edu.dsc650.query;

import java.io.PrintWriter;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import org.apache.spark.sql.streaming.StreamingQueryProgress;

/** One short line per micro-batch per query: batch id, input rows, duration, watermark. */
public final class ProgressPrinter extends StreamingQueryListener {
  private final PrintWriter out;

  public ProgressPrinter(PrintWriter out) {
    this.out = out;
  }

  @Override
  public void onQueryStarted(QueryStartedEvent event) {
    out.printf("[%s] started%n", event.name());
    out.flush();
  }

  @Override
  public void onQueryProgress(QueryProgressEvent event) {
    StreamingQueryProgress p = event.progress();
    String watermark = p.eventTime().get("watermark");
    out.printf("[%s] batch %d: %,d rows in %.2f s%s%n", p.name(), p.batchId(), p.numInputRows(),
        p.batchDuration() / 1000.0, watermark == null ? "" : ", watermark " + watermark);
    if (edu.dsc650.cli.Verbosity.isVerbose()) {
      out.printf("[%s] batch %d phases (ms): %s%n", p.name(), p.batchId(), p.durationMs());
    }
    out.flush();
  }

  @Override
  public void onQueryIdle(QueryIdleEvent event) {}

  @Override
  public void onQueryTerminated(QueryTerminatedEvent event) {
    // a failure is reported once, by the command, with its root cause
  }
}
