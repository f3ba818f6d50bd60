package edu.dsc650.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import edu.dsc650.cli.CommandRunner;
import edu.dsc650.testing.BddLikeData;
import edu.dsc650.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.parquet.column.ParquetProperties.WriterVersion;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code run-query --sql FILE}: the examples that ship, over a generated replay, against answers
 * computed in plain Java from what was published; and bad queries, each refused in one line before
 * any query starts.
 */
@Tag("cli")
public class SqlQueriesTest {
  private static final Path EXAMPLES = Path.of("examples/sql");

  @TempDir Path tmp;

  @Test
  void theExamplesGiveTheAnswersComputedFromThePublishedRows() throws Exception {
    Path source = tmp.resolve("source");
    Path results = tmp.resolve("results");
    BddLikeData.write(source);
    // a calm ride beside them: samples of |a| about 1 (in g, as the bundled data), and two bumps
    TestData.write(
        source.resolve("accelerations/t=10.0/calm.parquet"),
        BddLikeData.ACCELERATIONS,
        CompressionCodecName.SNAPPY,
        true,
        WriterVersion.PARQUET_1_0,
        w -> {
          for (int i = 0; i < 30; i++) {
            double t = 10.05 + i * 0.05;
            double z = i == 7 || i == 21 ? 1.9 : 1.0;
            w.write(
                w.row()
                    .append("id", "calm-" + i)
                    .append("ride_id", "r-calm")
                    .append("uuid", "calm")
                    .append("timestamp", 7L)
                    .append("offset", t)
                    .append("x", 0.02)
                    .append("y", -0.03)
                    .append("z", z)
                    .append("timelapse", false)
                    .append("filename", "calm.json"));
          }
        });
    RunQueryCorrectnessTest.replay(source, results, "--max-speed");
    CommandRunner append = new CommandRunner();
    assertEquals(
        0,
        append.run(
            "run-query",
            "--sql",
            EXAMPLES.resolve("hard_braking.sql").toString(),
            "--sql",
            EXAMPLES.resolve("distance_per_minute.sql").toString(),
            "--sql",
            EXAMPLES.resolve("fixes_and_samples.sql").toString(),
            "--sql",
            EXAMPLES.resolve("copy_of_locations.sql").toString(),
            "--until-replay-complete",
            "--results",
            results.toString(),
            "--master",
            "local[2]"),
        append.err.toString());
    CommandRunner update = new CommandRunner();
    assertEquals(
        0,
        update.run(
            "run-query",
            "--sql",
            EXAMPLES.resolve("mean_speed_per_window.sql").toString(),
            "--output-mode",
            "update",
            "--until-replay-complete",
            "--results",
            results.toString(),
            "--master",
            "local[2]"),
        update.err.toString());
    assertTrue(update.out.toString().contains("mean_speed_per_window ("), update.out.toString());

    ExpectedAnswers answers = ExpectedAnswers.ofPublished(results.resolve("input"));
    SparkSession spark = QueryOutputs.batchSession();
    try {
      Path out = results.resolve("output");
      assertTrue(
          hardBraking(answers).keySet().stream().filter(k -> k.startsWith("calm|")).count() == 2,
          "of the calm ride, the two bumps only: " + hardBraking(answers).size());
      assertTrue(
          !hardBraking(answers).isEmpty()
              && !distances(answers).isEmpty()
              && !answers.windows().isEmpty()
              && !answers.unmatched().isEmpty(),
          "the generated data gives each example rows to find: "
              + hardBraking(answers).size()
              + ", "
              + distances(answers).size()
              + ", "
              + answers.windows().size()
              + ", "
              + answers.unmatched().size());
      assertEquals(
          hardBraking(answers), rows(spark, out.resolve("hard_braking"), "uuid", "timestamp"));
      assertEquals(
          distances(answers),
          rows(spark, out.resolve("distance_per_minute"), "minute", "uuid", "metres", "fixes"));

      Map<String, Long> copied = new TreeMap<>();
      for (Row r :
          spark
              .read()
              .schema(Topics.LOCATIONS_SCHEMA)
              .parquet(out.resolve("copy_of_locations").toString())
              .collectAsList()) {
        copied.merge(
            r.getAs("id") + "|" + QueryOutputs.micros(r.getAs("timestamp")), 1L, Long::sum);
      }
      Map<String, Long> published = new TreeMap<>();
      for (Map<String, Object> row : answers.rows.get(Topics.LOCATIONS)) {
        published.merge(row.get("id") + "|" + row.get("timestamp"), 1L, Long::sum);
      }
      assertEquals(published, copied, "every fix once");

      Map<String, Long> matched = new TreeMap<>();
      Map<String, Long> unmatched = new TreeMap<>();
      QueryOutputs.readJoined(spark, out.resolve("fixes_and_samples"), matched, unmatched);
      assertEquals(answers.matchedPairs(), matched, "the SQL join's pairs are the built-in join's");
      assertEquals(
          answers.unmatched(), unmatched, "and so are its null-extended rows, after the drain");

      Map<String, String> windows = new TreeMap<>();
      for (Row r :
          WindowedQuery.latest(
                  spark,
                  new org.apache.hadoop.fs.Path(out.resolve("mean_speed_per_window").toUri()))
              .collectAsList()) {
        windows.put(
            QueryOutputs.micros(r.getAs("window_start")) + "|" + r.getAs("uuid"),
            String.format("%.9f|%d", (Double) r.getAs("mean_speed"), (Long) r.getAs("fixes")));
      }
      Map<String, String> expected = new TreeMap<>();
      answers
          .windows()
          .forEach((k, w) -> expected.put(k, String.format("%.9f|%d", w.meanSpeed(), w.fixes())));
      assertEquals(expected, windows, "the latest value of every window");
    } finally {
      QueryOutputs.release(spark);
    }

    // report: a section per --sql query, with the rows its output holds
    Path page = tmp.resolve("page.html");
    CommandRunner report = new CommandRunner();
    assertEquals(
        0,
        report.run("report", "--results", results.toString(), "--out", page.toString()),
        report.err.toString());
    String html = Files.readString(page);
    String json =
        html.substring(
            html.indexOf("application/json\">") + 18,
            html.indexOf("</script>", html.indexOf("application/json\">")));
    com.fasterxml.jackson.databind.JsonNode own =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(json).get("own");
    long braking = hardBraking(answers).values().stream().mapToLong(Long::longValue).sum();
    assertEquals(braking, own.get("hard_braking").get("total").asLong(), own.toString());
    assertEquals(Math.min(20, braking), own.get("hard_braking").get("rows").size());
    assertEquals(5, own.size(), "a section for each of the five queries: " + own.fieldNames());
  }

  @Test
  void aQueryReadsTheTopicsOfYourOwnData() throws Exception {
    org.apache.parquet.schema.MessageType trips =
        org.apache.parquet.schema.MessageTypeParser.parseMessageType(
            "message trip { required binary trip (STRING); required double offset; optional double fare; }");
    Path source = tmp.resolve("source");
    double[][] slices = {{0, 3}, {2.5, 2}, {7, 4}, {12.25, 3}};
    Map<Long, double[]> expected = new TreeMap<>(); // window start (s) -> {sum of fares, trips}
    for (double[] slice : slices) {
      TestData.write(
          source.resolve("trips/t=" + slice[0] + "/part.parquet"),
          trips,
          CompressionCodecName.GZIP,
          true,
          WriterVersion.PARQUET_1_0,
          w -> {
            for (int i = 0; i < slice[1]; i++) {
              double offset = slice[0] + i * 0.9;
              org.apache.parquet.example.data.Group g =
                  w.row().append("trip", "t" + offset).append("offset", offset);
              if (i != 1) {
                g.append("fare", 5.0 + i);
              }
              w.write(g);
            }
          });
    }
    Path results = tmp.resolve("results");
    RunQueryCorrectnessTest.replay(source, results, "--max-speed");
    long start = edu.dsc650.testing.Replayed.startMicros(results);
    for (double[] slice : slices) {
      for (int i = 0; i < slice[1]; i++) {
        if (i == 1) {
          continue; // no fare
        }
        long micros = start + Math.round((slice[0] + i * 0.9) * 1_000_000d);
        double[] w =
            expected.computeIfAbsent(
                Math.floorDiv(micros, 5_000_000L) * 5_000_000L, k -> new double[2]);
        w[0] += 5.0 + i;
        w[1]++;
      }
    }
    Path sql = tmp.resolve("fares.sql");
    Files.writeString(
        sql,
        "SELECT window.start AS window_start, sum(fare) AS fares, count(*) AS trips\n"
            + "FROM trips WHERE fare IS NOT NULL GROUP BY window(timestamp, '5 seconds')\n");
    CommandRunner cli = new CommandRunner();
    assertEquals(
        0,
        cli.run(
            "run-query",
            "--sql",
            sql.toString(),
            "--until-replay-complete",
            "--results",
            results.toString(),
            "--master",
            "local[2]"),
        cli.err.toString());
    Map<String, Long> want = new TreeMap<>();
    expected.forEach(
        (k, w) ->
            want.merge(k + "|" + String.format("%.6f", w[0]) + "|" + (long) w[1], 1L, Long::sum));
    SparkSession spark = QueryOutputs.batchSession();
    try {
      assertEquals(
          want,
          rows(spark, results.resolve("output/fares"), "window_start", "fares", "trips"),
          "every window, drained at the end of the replay");
    } finally {
      QueryOutputs.release(spark);
    }
  }

  /**
   * A DISTINCT and a UNION hold their groups in state as an aggregate does (Spark plans them as
   * one), so the end of the replay drains them: every (ride, window) pair comes out, the last ones
   * included.
   */
  @Test
  void distinctAndUnionAreDrainedToTheirLastWindow() throws Exception {
    Path source = tmp.resolve("source");
    Path results = tmp.resolve("results");
    BddLikeData.write(source);
    RunQueryCorrectnessTest.replay(source, results, "--max-speed");
    Path distinct = tmp.resolve("ride_windows.sql");
    Files.writeString(
        distinct,
        "SELECT DISTINCT uuid, window(timestamp, '10 seconds') AS w FROM locations"
            + " WHERE speed >= 0");
    Path union = tmp.resolve("both_windows.sql");
    Files.writeString(
        union,
        "SELECT uuid, window(timestamp, '10 seconds') AS w FROM locations UNION"
            + " SELECT uuid, window(timestamp, '10 seconds') AS w FROM accelerations");
    CommandRunner cli = new CommandRunner();
    assertEquals(
        0,
        cli.run(
            "run-query",
            "--sql",
            distinct.toString(),
            "--sql",
            union.toString(),
            "--until-replay-complete",
            "--results",
            results.toString(),
            "--master",
            "local[2]"),
        cli.err.toString());

    ExpectedAnswers answers = ExpectedAnswers.ofPublished(results.resolve("input"));
    Map<String, Long> fixWindows = new TreeMap<>();
    Map<String, Long> bothWindows = new TreeMap<>();
    for (String topic : List.of(Topics.LOCATIONS, Topics.ACCELERATIONS)) {
      for (Map<String, Object> row : answers.rows.get(topic)) {
        long w = Math.floorDiv((Long) row.get("timestamp"), 10_000_000L) * 10_000_000L;
        String key = row.get("uuid") + "|" + w;
        bothWindows.put(key, 1L);
        Double speed = (Double) row.get("speed");
        if (topic.equals(Topics.LOCATIONS) && speed != null && speed >= 0) {
          fixWindows.put(key, 1L);
        }
      }
    }
    SparkSession spark = QueryOutputs.batchSession();
    try {
      Path out = results.resolve("output");
      for (Object[] check :
          new Object[][] {{"ride_windows", fixWindows}, {"both_windows", bothWindows}}) {
        Dataset<Row> written =
            spark
                .read()
                .parquet(out.resolve((String) check[0]).toString())
                .selectExpr("uuid", "w.start AS w");
        assertEquals(check[1], rows(written, "uuid", "w"), (String) check[0]);
      }
    } finally {
      QueryOutputs.release(spark);
    }
  }

  /** Samples with |a| above 1.5, as "uuid|micros", each once. */
  public static Map<String, Long> hardBraking(ExpectedAnswers answers) {
    Map<String, Long> out = new TreeMap<>();
    for (Map<String, Object> row : answers.rows.get(Topics.ACCELERATIONS)) {
      Object x = row.get("x");
      Object y = row.get("y");
      Object z = row.get("z");
      if (x == null || y == null || z == null) {
        continue; // SQL: a null coordinate makes the magnitude null, and the filter false
      }
      double a = Math.sqrt(sq(x) + sq(y) + sq(z));
      if (a > 1.5) {
        out.merge(row.get("uuid") + "|" + row.get("timestamp"), 1L, Long::sum);
      }
    }
    return out;
  }

  /** Per minute and ride: the sum of the valid speeds and their number. */
  private static Map<String, Long> distances(ExpectedAnswers answers) {
    Map<String, double[]> sums = new TreeMap<>();
    for (Map<String, Object> row : answers.rows.get(Topics.LOCATIONS)) {
      Double speed = (Double) row.get("speed");
      if (speed == null || speed < 0) {
        continue;
      }
      long minute = Math.floorDiv((Long) row.get("timestamp"), 60_000_000L) * 60_000_000L;
      double[] s = sums.computeIfAbsent(minute + "|" + row.get("uuid"), k -> new double[2]);
      s[0] += speed;
      s[1]++;
    }
    Map<String, Long> out = new TreeMap<>();
    sums.forEach(
        (k, s) ->
            out.merge(k + "|" + String.format("%.6f", s[0]) + "|" + (long) s[1], 1L, Long::sum));
    return out;
  }

  private static double sq(Object v) {
    double d = ((Number) v).doubleValue();
    return d * d;
  }

  /**
   * The output's rows as "a|b|..." of the given columns (timestamps in micros, doubles to 6
   * places).
   */
  public static Map<String, Long> rows(SparkSession spark, Path dir, String... columns) {
    return rows(spark.read().parquet(dir.toString()), columns);
  }

  /**
   * The rows of {@code rows} as "a|b|..." of the given columns, as {@link #rows(SparkSession, Path,
   * String...)}.
   */
  public static Map<String, Long> rows(Dataset<Row> rows, String... columns) {
    Map<String, Long> out = new TreeMap<>();
    for (Row r : rows.collectAsList()) {
      StringBuilder b = new StringBuilder();
      for (String c : columns) {
        Object v = r.getAs(c);
        b.append(b.length() == 0 ? "" : "|")
            .append(
                v instanceof Timestamp t
                    ? Long.toString(QueryOutputs.micros(t))
                    : v instanceof Double d ? String.format("%.6f", d) : v);
      }
      out.merge(b.toString(), 1L, Long::sum);
    }
    return out;
  }

  /** Each bad query: exit 2, one line that says what, before any query starts, nothing changed. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "two.sql|SELECT * FROM locations; SELECT * FROM accelerations|more than one statement",
        "typo.sql|SELECT * FORM locations|(line 2, pos 14)",
        "trips.sql|SELECT * FROM trips|table 'trips' is not a topic",
        "column.sql|SELECT nope FROM locations|nope",
        "counts.sql|SELECT uuid, count(*) FROM locations GROUP BY uuid|Append output mode not supported",
        "sorted.sql|SELECT * FROM locations ORDER BY timestamp|Sorting is not supported",
        "unbounded.sql|SELECT * FROM locations l FULL OUTER JOIN accelerations a ON l.uuid = a.uuid|not supported",
        "interval.sql|SELECT uuid, make_interval(0, 0, 0, 0, 0, 0, 1) AS i FROM locations|a parquet file cannot hold",
        "drop.sql|DROP TABLE locations|is not a SELECT",
        "simple.sql|SELECT * FROM locations|name of a built-in query",
        "my query.sql|SELECT * FROM locations|is not a name",
      })
  void aBadQueryIsOneLineAndExitTwoBeforeAnyQueryStarts(String name, String sql, String says)
      throws Exception {
    Path file = tmp.resolve(name);
    Files.writeString(file, "-- a query nobody here has written; comments are fine\n" + sql + "\n");
    Path results = tmp.resolve("results");
    CommandRunner cli = new CommandRunner();
    int rc =
        cli.run(
            "run-query",
            "--sql",
            file.toString(),
            "--trigger",
            "available-now",
            "--results",
            results.toString(),
            "--master",
            "local[1]");
    assertEquals(2, rc, cli.err.toString());
    List<String> errors = cli.errors().lines().toList();
    assertEquals(1, errors.size(), cli.err.toString());
    assertTrue(errors.get(0).contains(says), errors.get(0));
    assertFalse(cli.err.toString().contains("] started"), "no query started: " + cli.err);
    assertFalse(
        (cli.out.toString() + cli.err).contains(", master "), "nor Spark's banner: " + cli.err);
    assertFalse(Files.exists(results.resolve("checkpoints")), "nothing changed");
  }

  @Test
  void aMissingFileIsOneLineAndExitTwo() {
    CommandRunner cli = new CommandRunner();
    assertEquals(2, cli.run("run-query", "--sql", tmp.resolve("nowhere.sql").toString()));
    assertTrue(cli.errors().contains("cannot read it"), cli.err.toString());
  }
}
