package edu.dsc650.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import edu.dsc650.BadInputException;
import edu.dsc650.io.ResultsLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which {@code --sql} queries hold rows in state until the watermark passes them, so that the end
 * of a complete replay must drain them: every kind of state Spark plans for a SQL query, each with
 * a filter that Spark's optimizer would push below the watermark; and the stateless ones, which
 * hold nothing. Decided by hand for each query, not by the code under test.
 */
class SqlQueryStateTest {
  private static final String W = "window(timestamp, '10 seconds')";
  @RegisterExtension static final LocalSpark SPARK = new LocalSpark();

  @TempDir Path tmp;

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "distinct|append|SELECT DISTINCT uuid, "
            + W
            + " AS w FROM locations WHERE speed >= 0"
            + "|locations",
        "union|append|SELECT uuid, "
            + W
            + " AS w FROM locations WHERE speed >= 0 UNION"
            + " SELECT uuid, "
            + W
            + " AS w FROM accelerations WHERE z > 0|accelerations,locations",
        "window|append|SELECT uuid, "
            + W
            + " AS w, avg(speed) AS s FROM locations"
            + " WHERE speed >= 0 GROUP BY uuid, "
            + W
            + "|locations",
        "no window|update|SELECT uuid, count(*) AS n FROM locations WHERE speed >= 0"
            + " GROUP BY uuid|locations",
        "dedup|append|SELECT DISTINCT uuid, timestamp FROM locations WHERE speed >= 0|locations",
        "outer join|append|SELECT l.uuid, l.timestamp AS fix, a.timestamp AS sample FROM locations l"
            + " LEFT OUTER JOIN accelerations a ON l.uuid = a.uuid AND a.timestamp BETWEEN"
            + " l.timestamp AND l.timestamp + INTERVAL 1 SECOND WHERE l.speed >= 0"
            + "|accelerations,locations",
        "inner join|append|SELECT l.uuid, a.z FROM locations l JOIN accelerations a"
            + " ON l.uuid = a.uuid AND a.timestamp BETWEEN l.timestamp AND l.timestamp"
            + " + INTERVAL 1 SECOND WHERE a.z > 0.5|accelerations,locations",
        "filter|append|SELECT * FROM locations WHERE speed >= 0|",
        "union all|append|SELECT uuid, timestamp FROM locations WHERE speed >= 0 UNION ALL"
            + " SELECT uuid, timestamp FROM accelerations|",
      })
  void aQueryIsDrainedExactlyWhenSparkPlansStateForIt(
      String kind, SqlQuery.Mode mode, String sql, String drained) throws Exception {
    SqlQuery query = checked(sql, mode);
    List<String> expected = drained == null ? List.of() : List.of(drained.split(","));
    assertEquals(
        Set.copyOf(expected), Set.copyOf(query.drainedTopics()), kind + ": the topics drained");
  }

  @org.junit.jupiter.api.Test
  void theFilterIsKeptAboveTheWatermarkWhateverTheSessionExcludesAlready() throws Exception {
    String key = "spark.sql.optimizer.excludedRules";
    String folding = "org.apache.spark.sql.catalyst.optimizer.ConstantFolding";
    SPARK.session().conf().set(key, folding); // as --conf would
    try {
      SqlQuery query =
          checked(
              "SELECT DISTINCT uuid, " + W + " AS w FROM locations WHERE speed >= 0",
              SqlQuery.Mode.append);
      assertEquals(List.of("locations"), query.drainedTopics(), "analysed, not refused");
      SparkSession own = query.session(SPARK.session());
      assertNotSame(SPARK.session(), own);
      assertEquals(
          Set.of(folding, "org.apache.spark.sql.catalyst.optimizer.PushDownPredicates"),
          Set.of(own.conf().get(key).split(",")),
          "the user's exclusion is kept in the query's session, and the rule added");
      assertEquals(folding, SPARK.session().conf().get(key), "the run's session is as it was");
    } finally {
      SPARK.session().conf().unset(key);
    }
  }

  @org.junit.jupiter.api.Test
  void aFilterPushedBelowTheWatermarkIsSeen() {
    org.apache.spark.sql.execution.streaming.MemoryStream<org.apache.spark.sql.Row> fixes =
        new org.apache.spark.sql.execution.streaming.MemoryStream<>(
            4242,
            SPARK.session().sqlContext(),
            scala.Option.empty(),
            org.apache.spark.sql.Encoders.row(Topics.LOCATIONS_SCHEMA));
    // the optimizer as it is by default: the filter on speed goes below the watermark
    var plan =
        fixes
            .toDF()
            .withWatermark("timestamp", "30 seconds")
            .where("speed >= 0")
            .groupBy("uuid")
            .count()
            .queryExecution()
            .analyzed();
    var optimized =
        new org.apache.spark.sql.execution.streaming.IncrementalExecution(
                SPARK.session(),
                plan,
                org.apache.spark.sql.streaming.OutputMode.Update(),
                "<unknown>",
                java.util.UUID.randomUUID(),
                java.util.UUID.randomUUID(),
                0,
                scala.Option.empty(),
                org.apache.spark.sql.execution.streaming.OffsetSeqMetadata$.MODULE$.apply(
                    0L, 0L, SPARK.session().conf()),
                org.apache.spark.sql.execution.streaming.WatermarkPropagator$.MODULE$.noop())
            .optimizedPlan();
    assertTrue(
        edu.dsc650.query.spark.SqlPlans.filteredBelowAWatermark(optimized, false),
        optimized.toString());
  }

  private SqlQuery checked(String sql, SqlQuery.Mode mode) throws Exception {
    Path file = tmp.resolve("q.sql");
    Files.writeString(file, sql);
    SqlQuery query =
        SqlQuery.load(
            file.toString(), mode, "30 seconds", Set.of(Topics.ACCELERATIONS, Topics.LOCATIONS));
    ResultsLayout layout = new ResultsLayout(new org.apache.hadoop.fs.Path(tmp.toUri()));
    return query.prepare(SPARK.session(), new FileInput(layout));
  }

  @org.junit.jupiter.api.Test
  void aReservedNameIsRefused() throws Exception {
    for (String name : List.of("_writing-x", "_warm-up-joined", "_hidden", ".dot")) {
      Path file = tmp.resolve(name + ".sql");
      Files.writeString(file, "SELECT * FROM locations");
      assertThrows(
          BadInputException.class,
          () ->
              SqlQuery.load(
                  file.toString(), SqlQuery.Mode.append, "30 seconds", Set.of("locations")),
          name);
    }
  }
}
