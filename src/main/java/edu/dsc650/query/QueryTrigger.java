package edu.dsc650.query;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.streaming.Trigger;

/**
 * When the queries run their micro-batches.
 *
 * @param interval for processing-time triggers: zero = as soon as the previous batch ends
 * @param availableNow process what is there, then stop
 */
public record QueryTrigger(Duration interval, boolean availableNow) {
  public static final QueryTrigger AVAILABLE_NOW = new QueryTrigger(Duration.ZERO, true);

  public static QueryTrigger every(Duration interval) {
    return new QueryTrigger(interval, false);
  }

  public Trigger toSpark() {
    return availableNow
        ? Trigger.AvailableNow()
        : Trigger.ProcessingTime(interval.toMillis(), TimeUnit.MILLISECONDS);
  }
}
