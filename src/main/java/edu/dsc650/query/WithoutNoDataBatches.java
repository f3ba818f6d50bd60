package edu.dsc650.query;

import org.apache.spark.sql.SparkSession;

/**
 * A stateful query's session of its own, without Spark's no-data micro-batches (unless {@code
 * --conf} sets {@value #SETTING}). Such a batch runs when the watermark has moved and no data came:
 * it loads, scans and commits every state store to drop (and, for an outer join, emit) what the
 * watermark has passed, which the next batch with data does as well, a slice later. Left on, they
 * were about half of such a query's micro-batches over a live replay (docs/performance.md). What it
 * changes there changes nothing for the run's other queries.
 */
final class WithoutNoDataBatches {
  static final String SETTING = "spark.sql.streaming.noDataMicroBatches.enabled";

  private SparkSession own;

  /** The session, made once per SparkContext. */
  synchronized SparkSession of(SparkSession run) {
    if (own == null || own.sparkContext() != run.sparkContext()) {
      own = SparkSessions.ownSession(run);
      if (!run.conf().contains(SETTING)) {
        own.conf().set(SETTING, "false");
      }
    }
    return own;
  }
}
