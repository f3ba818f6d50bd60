package edu.dsc650.query;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.window;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * After a soak (scripts/soak.sh: run-query beside an endless replay, both stopped): are the outputs
 * exact for what the replay's retention left in input? The answers are computed from the retained
 * input files with Spark's batch SQL (no watermark, no state: another way than the streaming
 * queries), and compared with the outputs as Spark reads them, as multisets:
 *
 * <ul>
 *   <li>simple: every retained row is in the output as often as in input, and no output row of the
 *       retained event times is there twice;
 *   <li>windowed: every window wholly inside the retained time range and behind the final watermark
 *       has its exact mean and count;
 *   <li>joined: the matched pairs of every fix inside that range.
 * </ul>
 *
 * Prints what it checked; exit 1 on a difference. Run it with the test class path
 * (scripts/soak.sh).
 */
public final class SoakCheck {
  private SoakCheck() {}

  public static void main(String[] args) throws Exception {
    Path results = Path.of(args[0]).toAbsolutePath();
    SparkSession spark = QueryOutputs.batchSession();
    int problems = 0;
    try {
      // a batch read of input honours its file-sink log: exactly the files the retention kept
      Dataset<Row> locations = input(spark, results, Topics.LOCATIONS).cache();
      Dataset<Row> accelerations = input(spark, results, Topics.ACCELERATIONS).cache();
      Row range = locations.selectExpr("min(timestamp)", "max(timestamp)").first();
      // rows of a deleted slice reach a little past the first retained one; the watermark is 30 s
      // behind
      Timestamp from = new Timestamp(range.getTimestamp(0).getTime() + 5_000);
      Timestamp to = new Timestamp(range.getTimestamp(1).getTime() - 35_000);
      System.out.printf(
          "retained event time %s .. %s; windows and fixes checked in %s .. %s%n",
          range.get(0), range.get(1), from, to);

      for (String topic : List.of(Topics.ACCELERATIONS, Topics.LOCATIONS)) {
        Dataset<Row> in = topic.equals(Topics.LOCATIONS) ? locations : accelerations;
        // the output rows of the retained event times (the earlier laps' are gone from input)
        Dataset<Row> out =
            spark
                .read()
                .schema(Topics.schema(topic))
                .parquet(results.resolve("output/simple").resolve(topic).toString())
                .where(
                    col("timestamp")
                        .geq(lit(in.selectExpr("min(timestamp)").first().getTimestamp(0))));
        long missing = in.exceptAll(out).count();
        long twice =
            out.groupBy(
                    out.columns()[0],
                    java.util.Arrays.copyOfRange(out.columns(), 1, out.columns().length))
                .count()
                .where(col("count").gt(1))
                .count();
        System.out.printf(
            "simple/%s: %,d retained rows; %,d of them not in the output, %,d output rows twice%n",
            topic, in.count(), missing, twice);
        if (missing > 0) {
          in.exceptAll(out)
              .limit(3)
              .collectAsList()
              .forEach(r -> System.out.println("  in input only: " + r));
          out.exceptAll(in)
              .limit(3)
              .collectAsList()
              .forEach(r -> System.out.println("  in output only: " + r));
        }
        problems += missing > 0 || twice > 0 ? 1 : 0;
      }

      if (!Files.isDirectory(results.resolve("output/windowed"))) {
        System.out.println("windowed: did not run");
      } else {
        Dataset<Row> want =
            locations
                .where(col("speed").geq(0))
                .groupBy(window(col("timestamp"), "15 seconds"), col("uuid"))
                .agg(avg("speed").as("want_mean"), count("speed").as("want_fixes"))
                .where(col("window.start").geq(lit(from)).and(col("window.end").leq(lit(to))))
                .select(
                    col("window.start").as("want_start"),
                    col("uuid").as("want_uuid"),
                    col("want_mean"),
                    col("want_fixes"));
        Dataset<Row> got =
            WindowedQuery.latest(
                spark, new org.apache.hadoop.fs.Path(results.resolve("output/windowed").toUri()));
        Dataset<Row> compared =
            want.join(
                got,
                col("want_start")
                    .equalTo(col("window_start"))
                    .and(col("want_uuid").equalTo(col("uuid"))),
                "left");
        long windows = compared.count();
        long wrong =
            compared
                .where(
                    col("mean_speed")
                        .isNull()
                        .or(abs(col("mean_speed").minus(col("want_mean"))).gt(1e-9))
                        .or(col("fixes").notEqual(col("want_fixes"))))
                .count();
        System.out.printf("windowed: %,d windows inside the range, %d not exact%n", windows, wrong);
        problems += wrong > 0 || windows == 0 ? 1 : 0;
      }

      if (!Files.isDirectory(results.resolve("output/stream-joined"))) {
        System.out.println("joined: did not run");
      } else {
        Dataset<Row> want =
            locations
                .where(col("timestamp").between(from, to))
                .alias("l")
                .join(
                    accelerations.alias("a"),
                    expr(
                        "a.uuid = l.uuid AND a.timestamp >= l.timestamp"
                            + " AND a.timestamp < l.timestamp + interval 1 second"))
                .selectExpr("l.uuid", "l.timestamp AS loc", "a.timestamp AS acc");
        Dataset<Row> got =
            spark
                .read()
                .parquet(results.resolve("output/stream-joined").toString())
                .where(col("loc_timestamp").between(from, to).and(col("acc_timestamp").isNotNull()))
                .selectExpr("uuid", "loc_timestamp AS loc", "acc_timestamp AS acc");
        long pairs = want.count();
        long differ = want.exceptAll(got).count() + got.exceptAll(want).count();
        System.out.printf(
            "joined: %,d matched pairs of fixes inside the range, %d differences%n", pairs, differ);
        problems += differ > 0 || pairs == 0 ? 1 : 0;
      }
    } finally {
      QueryOutputs.release(spark);
    }
    System.out.println(
        problems == 0 ? "exact for the retained laps" : problems + " outputs differ");
    System.exit(problems == 0 ? 0 : 1);
  }

  private static Dataset<Row> input(SparkSession spark, Path results, String topic) {
    return spark
        .read()
        .schema(Topics.schema(topic))
        .option("recursiveFileLookup", "true")
        .parquet(results.resolve("input").resolve(topic).toString());
  }
}
