package edu.dsc650.report;

import static org.apache.spark.sql.functions.col;

import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The rides the charts per ride show: the first {@link #MAX_RIDES} by uuid, of the rides the replay
 * published and the join's output names.
 *
 * @param total every ride there is; 0 if none is known
 * @param shown the rides shown; null when no ride is known (then none is left out)
 */
record ShownRides(long total, List<String> shown) {
  /** Rides on the page, at most. */
  static final int MAX_RIDES = 100;

  static ShownRides choose(Dataset<Row> uuids, ResultsReader results) {
    if (uuids == null) {
      return new ShownRides(0, null);
    }
    long total = uuids.distinct().count();
    List<String> shown =
        uuids.distinct().orderBy("uuid").limit(MAX_RIDES).collectAsList().stream()
            .map(r -> r.getString(0))
            .toList();
    if (total > MAX_RIDES) {
      results.leftOut(
          String.format(
              Locale.ROOT,
              "the charts per ride show %d of %,d rides (the first by uuid)",
              MAX_RIDES,
              total));
    }
    return new ShownRides(total, shown);
  }

  /** The rows of the rides shown. */
  Dataset<Row> only(Dataset<Row> rows) {
    return shown == null ? rows : rows.where(col("uuid").isin(shown.toArray()));
  }
}
