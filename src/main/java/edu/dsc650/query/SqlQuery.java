package edu.dsc650.query;

import edu.dsc650.BadInputException;
import edu.dsc650.FirstLine;
import edu.dsc650.io.ResultsLayout;
import edu.dsc650.query.spark.SqlPlans;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.DataStreamWriter;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A query of the user's own: one {@code SELECT} in a file ({@code run-query --sql FILE}) over the
 * replay's topics, each a streaming view named after its topic with a watermark on {@code
 * timestamp}. It gets what the built-in queries get: a checkpoint (exactly once, restarts), the
 * drain at the end of a complete replay (end-of-stream markers move its watermark past everything
 * and never reach its rows), progress lines, Kafka input. Everything about the file that can be
 * wrong is found before any query starts: {@link #load} before Spark starts, {@link #prepare} in
 * the session before anything is changed. Immutable: {@link #prepare} returns the analysed query.
 */
public final class SqlQuery implements StreamingQueryDef {
  /** Names the built-in queries and their outputs use. */
  private static final Set<String> TAKEN =
      Set.of("simple", "windowed", "joined", "all", "stream-joined");

  private static final String EXCLUDED_RULES = "spark.sql.optimizer.excludedRules";

  /**
   * How the rows come out: appended to a file sink, or each micro-batch into {@code batch_id=<n>}.
   */
  public enum Mode {
    append,
    update,
    complete;

    OutputMode spark() {
      return switch (this) {
        case append -> OutputMode.Append();
        case update -> OutputMode.Update();
        case complete -> OutputMode.Complete();
      };
    }
  }

  private final String name;
  private final String file;
  private final String sql;
  private final Mode mode;
  private final String watermark;
  private final List<String> topics;

  /** What {@link #prepare} found, null before: each topic's schema, and whether it holds rows. */
  private final Analysis analysis;

  /**
   * What Spark says of the query.
   *
   * @param schemas the schema of each topic it reads (a topic of your own data: its first published
   *     file's)
   * @param holdsRows whether it holds rows until the watermark passes them: then it is drained
   * @param session the session it runs in ({@link SparkSessions#ownSession})
   */
  private record Analysis(
      Map<String, StructType> schemas, boolean holdsRows, SparkSession session) {}

  private SqlQuery(
      String name,
      String file,
      String sql,
      Mode mode,
      String watermark,
      List<String> topics,
      Analysis analysis) {
    this.name = name;
    this.file = file;
    this.sql = sql;
    this.mode = mode;
    this.watermark = watermark;
    this.topics = topics;
    this.analysis = analysis;
  }

  /**
   * Reads and parses {@code file}: its name must be usable for output folders and its text one
   * {@code SELECT} over topics of the replay ({@code topics}).
   *
   * @param watermark the views' watermark delay, as Spark reads it ("30 seconds")
   * @throws BadInputException saying what is wrong, in one line
   */
  public static SqlQuery load(String file, Mode mode, String watermark, Set<String> topics) {
    String name = nameOf(file);
    String statement = select(file);
    SqlPlans.Tables tables;
    try {
      tables = SqlPlans.tables(statement);
    } catch (SqlPlans.SyntaxError e) {
      throw new BadInputException("--sql " + file + ": " + e.getMessage());
    }
    return new SqlQuery(
        name, file, statement, mode, watermark, topicsRead(file, tables, topics), null);
  }

  /** The query's name: its file's, which must be usable for its folders. */
  private static String nameOf(String file) {
    String base = java.nio.file.Path.of(file).getFileName().toString();
    String name = base.endsWith(".sql") ? base.substring(0, base.length() - 4) : base;
    if (!name.matches("[A-Za-z0-9_-]+")) {
      throw new BadInputException(
          "--sql "
              + file
              + ": the query is named after its file, and '"
              + name
              + "' is not a name of letters, digits, '-' and '_'");
    }
    if (name.startsWith("_") || name.startsWith("-")) {
      // a folder named "_..." is hidden from Hadoop's readers, and the tool keeps such names for
      // its own scratch files (_writing-..., _warm-up-...)
      throw new BadInputException(
          "--sql "
              + file
              + ": the query is named after its file, and '"
              + name
              + "' begins with '"
              + name.charAt(0)
              + "', which the tool keeps for its own files; rename the file");
    }
    if (TAKEN.contains(name.toLowerCase(Locale.ROOT))) {
      throw new BadInputException(
          "--sql "
              + file
              + ": '"
              + name
              + "' is the name of a built-in query or output; rename the file");
    }
    return name;
  }

  /** The file's one SELECT, without a trailing semicolon. */
  private static String select(String file) {
    String sql;
    try {
      sql = Files.readString(java.nio.file.Path.of(file), StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      throw new BadInputException("--sql " + file + ": cannot read it (" + FirstLine.of(e) + ")");
    }
    if (SqlText.statements(sql) > 1) {
      throw new BadInputException(
          "--sql " + file + ": holds more than one statement; one SELECT per file");
    }
    String statement = SqlText.withoutTrailingSemicolon(sql);
    if (!SqlText.isQuery(statement)) {
      throw new BadInputException(
          "--sql " + file + ": is not a SELECT (a query: SELECT, WITH, FROM, VALUES)");
    }
    return statement;
  }

  /** The topics the query reads, each once: every table it names must be one (or a WITH's). */
  private static List<String> topicsRead(String file, SqlPlans.Tables tables, Set<String> topics) {
    List<String> used = new ArrayList<>();
    for (String table : tables.read()) {
      if (tables.ctes().contains(table)) {
        continue;
      }
      if (!topics.contains(table)) {
        throw new BadInputException(
            "--sql "
                + file
                + ": table '"
                + table
                + "' is not a topic of the replay (the views are "
                + String.join(", ", topics)
                + ")");
      }
      if (!used.contains(table)) {
        used.add(table);
      }
    }
    if (used.isEmpty()) {
      throw new BadInputException(
          "--sql " + file + ": reads no topic (the views are " + String.join(", ", topics) + ")");
    }
    return List.copyOf(used);
  }

  /**
   * The checks that need Spark, on streams that read nothing (so nothing is touched): unknown
   * columns and functions, an output mode the query does not allow, an operation Spark's streaming
   * planner refuses, a filter the drain could not pass, and a column type a parquet file cannot
   * hold.
   *
   * @return this query, analysed: what it reads and whether it holds rows
   */
  @Override
  public SqlQuery prepare(SparkSession run, QueryInput input) {
    SparkSession spark = SparkSessions.ownSession(run);
    Map<String, StructType> schemas = new LinkedHashMap<>();
    for (String topic : topics) {
      schemas.put(
          topic, Topics.isBuiltIn(topic) ? Topics.schema(topic) : ownTopic(spark, input, topic));
    }
    for (String topic : topics) {
      view(SqlPlans.emptyStream(spark, schemas.get(topic))).createOrReplaceTempView(topic);
    }
    Dataset<Row> rows;
    try {
      rows = spark.sql(sql);
      SqlPlans.checkStreaming(rows, mode.spark());
    } catch (Exception e) { // an AnalysisException, undeclared (Scala)
      if (e instanceof AnalysisException || e.getCause() instanceof AnalysisException) {
        throw new BadInputException("--sql " + file + ": " + oneLine(e.getMessage()));
      }
      throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
    }
    // what Spark itself plans as state (an aggregate, a DISTINCT or UNION turned into one, a
    // dedup, a join, a limit, ...), not what the analyzed plan's nodes are called
    boolean holdsRows = SqlPlans.holdsState(spark, rows, mode.spark());
    if (holdsRows) {
      keepFiltersAboveTheWatermark(spark);
    }
    if (holdsRows && SqlPlans.filtersBelowTheWatermark(spark, spark.sql(sql), mode.spark())) {
      throw new BadInputException(
          "--sql "
              + file
              + ": Spark's optimizer moves a filter below the watermark, so the end-of-stream"
              + " markers could not move it and the rows it holds would never come out;"
              + " this query cannot be drained");
    }
    checkParquetTypes(rows.schema());
    return new SqlQuery(
        name, file, sql, mode, watermark, topics, new Analysis(schemas, holdsRows, spark));
  }

  private void checkParquetTypes(StructType schema) {
    for (StructField field : schema.fields()) {
      if (!SqlPlans.parquetCanHold(field.dataType())) {
        throw new BadInputException(
            "--sql "
                + file
                + ": column '"
                + field.name()
                + "' is of type "
                + field.dataType().simpleString()
                + ", which a parquet file cannot hold; cast it (e.g. to string)");
      }
    }
  }

  /** A topic of the user's own data: its schema, which must have the views' event time. */
  private StructType ownTopic(SparkSession spark, QueryInput input, String topic) {
    StructType schema;
    try {
      schema = input.publishedSchema(spark, topic);
    } catch (BadInputException e) {
      throw new BadInputException("--sql " + file + ": " + e.getMessage(), e);
    }
    if (schema.getFieldIndex("timestamp").isEmpty()) {
      throw new BadInputException(
          "--sql " + file + ": topic '" + topic + "' has no timestamp column");
    }
    return schema;
  }

  private Analysis analysis() {
    if (analysis == null) {
      throw new IllegalStateException("--sql " + file + " is not analysed yet (prepare)");
    }
    return analysis;
  }

  /** Its own session ({@link SparkSessions#ownSession}), made when it was analysed. */
  @Override
  public SparkSession session(SparkSession run) {
    return analysis().session();
  }

  @Override
  public StructType schema(String topic) {
    return analysis().schemas().get(topic);
  }

  @Override
  public java.util.Map<String, List<String>> requiredColumns() {
    java.util.Map<String, List<String>> columns = new java.util.LinkedHashMap<>();
    topics.forEach(t -> columns.put(t, List.of("timestamp"))); // the views' watermark
    return columns;
  }

  /**
   * Turns Spark's {@code PushDownPredicates} rule off in the query's own session. The rule pushes a
   * filter that does not name the event time (WHERE speed >= 0) below the watermark, where it would
   * drop the end-of-stream marker before the watermark sees it, and the query could never be
   * drained. The rule is added to whatever a {@code --conf} excludes already.
   */
  static void keepFiltersAboveTheWatermark(SparkSession own) {
    String rule = SqlPlans.pushDownPredicatesRule();
    String excluded = own.conf().contains(EXCLUDED_RULES) ? own.conf().get(EXCLUDED_RULES) : "";
    if (!java.util.Arrays.asList(excluded.split(",")).contains(rule)) {
      own.conf().set(EXCLUDED_RULES, excluded.isBlank() ? rule : excluded + "," + rule);
    }
  }

  private static String oneLine(String message) {
    return message.replaceAll("\\s+", " ").strip();
  }

  /** A topic as the query sees it: a watermark on its event time, and no end-of-stream marker. */
  private Dataset<Row> view(Dataset<Row> topic) {
    return topic.withWatermark("timestamp", watermark).where(EndOfStream.notAMarker("timestamp"));
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public List<String> topics() {
    return topics;
  }

  @Override
  public List<String> drainedTopics() {
    // a stateless query holds nothing back: nothing to drain (and it reports no watermark to check)
    return analysis().holdsRows() ? topics : List.of();
  }

  @Override
  public List<Path> ownedPaths(ResultsLayout layout) {
    return List.of(
        layout.output(name),
        layout.checkpoint(name),
        new Path(layout.control(), name),
        layout.progress(name));
  }

  @Override
  public List<StreamingQuery> start(
      SparkSession run, ResultsLayout layout, QueryInput input, Trigger trigger)
      throws TimeoutException {
    SparkSession spark = session(run);
    boolean holdsRows = analysis().holdsRows();
    // the views are the session's: each query registers its own just before its plan is made
    for (String topic : topics) {
      Dataset<Row> rows =
          holdsRows
              ? EndOfStream.withMarkers(spark, layout, input, name, topic, schema(topic))
              : input.stream(spark, topic, schema(topic));
      view(rows).createOrReplaceTempView(topic);
    }
    Path out = layout.output(name);
    DataStreamWriter<Row> writer =
        spark
            .sql(sql)
            .writeStream()
            .queryName(name)
            .outputMode(mode.spark())
            .option("checkpointLocation", layout.checkpoint(name).toString())
            .trigger(trigger);
    if (mode == Mode.append) {
      writer = writer.format("parquet").option("path", out.toString());
    } else {
      WindowedQuery.removeUnfinishedBatches(SparkSessions.fileSystem(spark, out), out);
      writer =
          writer.foreachBatch(
              (VoidFunction2<Dataset<Row>, Long>)
                  (batch, batchId) -> WindowedQuery.writeBatch(batch, batchId, out));
    }
    return List.of(writer.start());
  }

  @Override
  public List<String> summarize(SparkSession spark, ResultsLayout layout) {
    Path out = layout.output(name);
    if (!SparkSessions.exists(spark, out)) {
      return List.of(name + ": no output yet in " + out);
    }
    long rows = spark.read().parquet(out.toString()).count();
    return List.of(
        String.format(
            Locale.ROOT,
            "%s (%s, %s): %,d rows in %s%s",
            name,
            file,
            mode,
            rows,
            out,
            mode == Mode.append
                ? ""
                : " (each batch_id=<n> a micro-batch's rows; the highest is the latest)"));
  }
}
