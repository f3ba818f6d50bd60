package edu.dsc650.query;

import java.io.PrintWriter;
import java.util.Locale;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import org.apache.spark.sql.streaming.StreamingQueryProgress;

/** One short line per micro-batch per query: batch id, input rows, duration, watermark. */
public final class BatchProgressLine extends StreamingQueryListener {
  private final PrintWriter out;
  private final boolean phases;

  /**
   * @param phases also print each batch's phase durations
   */
  public BatchProgressLine(PrintWriter out, boolean phases) {
    this.out = out;
    this.phases = phases;
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
    out.printf(
        Locale.ROOT,
        "[%s] batch %d: %s in %.2f s%s%n",
        p.name(),
        p.batchId(),
        rows(p),
        p.batchDuration() / 1000.0,
        watermark == null ? "" : ", watermark " + watermark);
    if (phases) {
      out.printf("[%s] batch %d phases (ms): %s%n", p.name(), p.batchId(), p.durationMs());
    }
    out.flush();
  }

  /**
   * The batch's input rows. Spark counts none for a query whose sources are unions (joined reads
   * input and its end-of-stream markers as one): its plan's leaves do not match the sources one to
   * one. Then a batch that read new input (files or Kafka records) says so instead of "0 rows".
   */
  static String rows(StreamingQueryProgress p) {
    if (p.numInputRows() == 0) {
      for (var source : p.sources()) {
        if (source.endOffset() != null && !source.endOffset().equals(source.startOffset())) {
          return "new input (rows not counted by Spark)";
        }
      }
    }
    return String.format(Locale.ROOT, "%,d rows", p.numInputRows());
  }

  @Override
  public void onQueryIdle(QueryIdleEvent event) {}

  @Override
  public void onQueryTerminated(QueryTerminatedEvent event) {
    // a failure is reported once, by the command, with its root cause
  }
}
