package edu.dsc650.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import edu.dsc650.query.WindowedQuery;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The mean speed per window and ride: each window's current value ({@link WindowedQuery#latest}).
 *
 * @param windows every window there is; null without output
 * @param speed each shown ride's windows: uuid to [[window start ms, mean speed m/s, fixes]]
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record WindowedSection(Long windows, Map<String, List<List<Object>>> speed) {

  static WindowedSection read(ResultsReader results, ShownRides rides) {
    Dataset<Row> out =
        results.output(
            results.layout.output(WindowedQuery.NAME), "output/windowed (mean speed per window)");
    Map<String, List<List<Object>>> speed = new TreeMap<>();
    if (out == null) {
      return new WindowedSection(null, speed);
    }
    Dataset<Row> latest = WindowedQuery.latest(out);
    for (Row r :
        rides
            .only(latest)
            .orderBy("uuid", "window_start")
            .selectExpr("uuid", "unix_millis(window_start)", "mean_speed", "fixes")
            .collectAsList()) {
      speed
          .computeIfAbsent(r.getString(0), k -> new ArrayList<>())
          .add(List.of(r.getLong(1), r.getDouble(2), r.getLong(3)));
    }
    speed.replaceAll((uuid, points) -> results.latestPoints(points, "windows"));
    return new WindowedSection(latest.count(), speed);
  }
}
