package edu.dsc650.report;

import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.row_number;

import edu.dsc650.io.SliceRecord;
import edu.dsc650.query.SimpleQuery;
import edu.dsc650.query.Sources;
import edu.dsc650.query.Topics;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * What the replay published: the rows per topic, and each shown ride's track.
 *
 * @param rows per topic
 * @param tracks uuid to [[longitude, latitude, speed m/s]], thinned out to {@link #TRACK_POINTS}
 */
record InputSection(Map<String, Long> rows, Map<String, List<List<Object>>> tracks) {
  /** A track's points on the map, at most. */
  static final int TRACK_POINTS = 300;

  /**
   * The published input: rows per topic, and the locations (null if none). The rows per topic come
   * from the slice records when there are some (reading thousands of small files only to count them
   * costs seconds). A replay into Kafka has no input: its locations are simple's copy of the
   * stream, if it ran.
   */
  record Published(Map<String, Long> rows, Dataset<Row> locations) {
    static Published read(ResultsReader results, List<SliceRecord> records, boolean kafka)
        throws IOException {
      Map<String, Long> rows = new TreeMap<>();
      Dataset<Row> locations = null;
      for (String topic : List.of(Topics.ACCELERATIONS, Topics.LOCATIONS)) {
        Dataset<Row> published = topic(results, topic, kafka);
        if (published == null) {
          continue;
        }
        if (topic.equals(Topics.LOCATIONS)) {
          locations =
              published
                  .select("uuid", "offset", "longitude", "latitude", "speed")
                  .cache(); // counted, then the tracks
        }
        rows.put(
            topic,
            !records.isEmpty()
                ? records.stream()
                    .filter(r -> r.topic().equals(topic))
                    .mapToLong(SliceRecord::rows)
                    .sum()
                : topic.equals(Topics.LOCATIONS) ? locations.count() : published.count());
      }
      return new Published(rows, locations);
    }

    private static Dataset<Row> topic(ResultsReader results, String topic, boolean kafka)
        throws IOException {
      Path copy = new Path(results.layout.output(SimpleQuery.NAME), topic);
      boolean fromKafka = kafka && results.storage.isDirectory(copy);
      if (!results.storage.isDirectory(results.layout.input(topic)) && !fromKafka) {
        results.missing(
            (kafka ? "output/simple/" : "input/") + topic + " (the replayed " + topic + ")");
        return null;
      }
      return fromKafka
          ? results.spark.read().parquet(copy.toString())
          : Sources.published(results.spark, results.layout, topic);
    }

    Dataset<Row> uuids() {
      return locations == null ? null : locations.select("uuid");
    }
  }

  static InputSection of(Published published, ShownRides rides) {
    Map<String, List<List<Object>>> tracks = new TreeMap<>();
    Dataset<Row> locations = published.locations();
    if (locations != null) {
      Dataset<Row> numbered =
          rides
              .only(locations)
              .withColumn("n", row_number().over(Window.partitionBy("uuid").orderBy("offset")))
              .withColumn("of", expr("count(*) OVER (PARTITION BY uuid)"));
      // every k-th fix, k chosen per ride so that at most TRACK_POINTS remain
      for (Row r :
          numbered
              .where(expr("(n - 1) % ceil(of / " + TRACK_POINTS + ") = 0"))
              .orderBy("uuid", "offset")
              .select("uuid", "longitude", "latitude", "speed")
              .collectAsList()) {
        tracks
            .computeIfAbsent(r.getString(0), k -> new ArrayList<>())
            .add(List.of(r.getDouble(1), r.getDouble(2), r.getDouble(3)));
      }
      locations.unpersist();
    }
    return new InputSection(published.rows(), tracks);
  }
}
