package edu.dsc650.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count_distinct;
import static org.apache.spark.sql.functions.expr;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import edu.dsc650.query.JoinedQuery;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The outer join: its rows by kind ({@link JoinedQuery#counts}), the match rate per ride, and each
 * shown ride's accelerometer. All null without output.
 *
 * @param matchRate per shown ride, the share of its fixes with at least one sample in their window
 * @param rides uuid to {samples: [[ms, max |a|]], fixes: [ms]}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record JoinedSection(
    Long matched,
    @JsonProperty("fixes_only") Long fixesOnly,
    @JsonProperty("samples_only") Long samplesOnly,
    @JsonProperty("match_rate") Map<String, Double> matchRate,
    Map<String, Map<String, List<Object>>> rides) {

  /** The matched samples' magnitudes are bucketed by this many seconds (the largest kept). */
  static final double MAGNITUDE_BUCKET_S = 0.5;

  static JoinedSection of(Dataset<Row> out, ShownRides shown, ResultsReader results) {
    if (out == null) {
      return new JoinedSection(null, null, null, null, null);
    }
    JoinedQuery.Counts counts = JoinedQuery.counts(out);
    return new JoinedSection(
        counts.matched(),
        counts.fixesOnly(),
        counts.samplesOnly(),
        matchRate(shown.only(out)),
        rides(shown.only(out), results));
  }

  private static Map<String, Double> matchRate(Dataset<Row> out) {
    Map<String, Double> rate = new TreeMap<>();
    for (Row r :
        out.where(col("loc_timestamp").isNotNull())
            .groupBy("uuid")
            .agg(
                count_distinct(col("loc_timestamp")).as("fixes"),
                expr("count(DISTINCT CASE WHEN acc_timestamp IS NOT NULL THEN loc_timestamp END)")
                    .as("matched"))
            .collectAsList()) {
      rate.put(r.getString(0), (double) r.getLong(2) / r.getLong(1));
    }
    return rate;
  }

  /** Each ride's matched samples (the largest |a| per bucket) and its fixes. */
  private static Map<String, Map<String, List<Object>>> rides(
      Dataset<Row> out, ResultsReader results) {
    Map<String, Map<String, List<Object>>> rides = new TreeMap<>();
    for (Row r :
        out.where(col("loc_timestamp").isNotNull().and(col("acc_timestamp").isNotNull()))
            .dropDuplicates("uuid", "acc_timestamp")
            .groupBy(
                col("uuid"), expr("floor(acc_offset / " + MAGNITUDE_BUCKET_S + ")").as("bucket"))
            .agg(
                expr("min(unix_millis(acc_timestamp))").as("at"),
                expr("max(sqrt(x * x + y * y + z * z))").as("g"))
            .orderBy("uuid", "at")
            .collectAsList()) {
      rides
          .computeIfAbsent(r.getString(0), k -> newRide())
          .get("samples")
          .add(List.of(r.getLong(2), r.getDouble(3)));
    }
    for (Row r :
        out.where(col("loc_timestamp").isNotNull())
            .selectExpr("uuid", "unix_millis(loc_timestamp)")
            .distinct()
            .orderBy("uuid", "unix_millis(loc_timestamp)")
            .collectAsList()) {
      rides.computeIfAbsent(r.getString(0), k -> newRide()).get("fixes").add(r.getLong(1));
    }
    rides
        .values()
        .forEach(
            ride ->
                ride.replaceAll(
                    (kind, points) -> results.latestPoints(points, "samples and fixes")));
    return rides;
  }

  private static Map<String, List<Object>> newRide() {
    Map<String, List<Object>> ride = new LinkedHashMap<>();
    ride.put("samples", new ArrayList<>());
    ride.put("fixes", new ArrayList<>());
    return ride;
  }
}
