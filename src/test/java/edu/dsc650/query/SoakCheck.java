package edu.dsc650.query;

import edu.dsc650.io.ResultsLayout;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * After a soak (scripts/soak.sh: run-query all beside an endless replay, both stopped): are the
 * outputs exact for what the replay's retention left in input? Answers computed in plain Java from
 * the retained input files (parquet-mr), compared with the outputs as Spark reads them:
 * <ul>
 *   <li>simple: every retained row is in the output exactly once, and no output row twice;
 *   <li>windowed: every window that lies wholly in the retained time range and behind the final
 *       watermark has its exact mean and count;
 *   <li>joined: the matched pairs of every fix in that range.
 * </ul>
 * Prints what it checked; exit 1 on a difference. Run with the packaged jar on the class path:
 * {@code java -cp target/test-classes:target/dsc650.jar edu.dsc650.query.SoakCheck <results>}.
 */
public final class SoakCheck {
  private SoakCheck() {}

  public static void main(String[] args) throws Exception {
    Path results = Path.of(args[0]).toAbsolutePath();
    ExpectedAnswers expected = ExpectedAnswers.ofPublished(results.resolve("input"));
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (Map<String, Object> row : expected.rows.get(Topics.LOCATIONS)) {
      min = Math.min(min, ExpectedAnswers.micros(row));
      max = Math.max(max, ExpectedAnswers.micros(row));
    }
    // rows of a deleted slice reach a little past the first retained slice; the watermark is 30 s behind
    long from = min + 5_000_000L;
    long to = max - 35_000_000L;
    int problems = 0;
    SparkSession spark = QueryOutputs.batchSession();
    try {
      for (String topic : List.of(Topics.ACCELERATIONS, Topics.LOCATIONS)) {
        Map<String, Long> want = expected.simple(topic);
        Map<String, Long> got = QueryOutputs.simpleRows(spark, results.resolve("output/simple").resolve(topic), topic);
        long missing = 0;
        long twice = got.values().stream().filter(n -> n > 1).count();
        for (Map.Entry<String, Long> e : want.entrySet()) {
          if (!e.getValue().equals(got.getOrDefault(e.getKey(), 0L))) {
            missing++;
          }
        }
        System.out.printf("simple/%s: %,d retained rows, %,d output rows; %d retained rows not there exactly once, "
            + "%d output rows twice%n", topic, sum(want), sum(got), missing, twice);
        problems += missing > 0 || twice > 0 ? 1 : 0;
      }

      if (!java.nio.file.Files.isDirectory(results.resolve("output/windowed"))) {
        System.out.println("windowed: did not run");
      } else {
      Map<String, Row> latest = new TreeMap<>();
      for (Row r : WindowedQuery.latest(spark, new org.apache.hadoop.fs.Path(results.resolve("output/windowed")
          .toUri())).collectAsList()) {
        latest.put(QueryOutputs.micros(r.getAs("window_start")) + "|" + r.getAs("uuid"), r);
      }
      int windows = 0;
      int wrong = 0;
      for (ExpectedAnswers.Window w : expected.windows().values()) {
        if (w.startMicros() < from || w.startMicros() + ExpectedAnswers.WINDOW_MICROS > to) {
          continue;
        }
        windows++;
        Row r = latest.get(w.startMicros() + "|" + w.uuid());
        if (r == null || Math.abs((Double) r.getAs("mean_speed") - w.meanSpeed()) > 1e-9
            || (Long) r.getAs("fixes") != w.fixes()) {
          wrong++;
        }
      }
      System.out.printf("windowed: %,d windows inside the retained range, %d not exact%n", windows, wrong);
      problems += wrong > 0 || windows == 0 ? 1 : 0;
      }

      if (!java.nio.file.Files.isDirectory(results.resolve("output/stream-joined"))) {
        System.out.println("joined: did not run");
      } else {
      Map<String, Long> matched = new HashMap<>();
      QueryOutputs.readJoined(spark, results.resolve("output/stream-joined"), matched, new HashMap<>());
      long pairs = 0;
      long differ = 0;
      for (Map.Entry<String, Long> e : expected.matchedPairs().entrySet()) {
        long loc = Long.parseLong(e.getKey().split("\\|")[1]);
        if (loc < from || loc > to) {
          continue;
        }
        pairs++;
        differ += e.getValue().equals(matched.get(e.getKey())) ? 0 : 1;
      }
      System.out.printf("joined: %,d matched pairs of fixes inside the retained range, %d not there exactly once%n",
          pairs, differ);
      problems += differ > 0 || pairs == 0 ? 1 : 0;
      }
    } finally {
      spark.stop();
    }
    System.out.println(problems == 0 ? "exact for the retained laps" : problems + " outputs differ");
    System.exit(problems == 0 ? 0 : 1);
  }

  private static long sum(Map<String, Long> counts) {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }
}
