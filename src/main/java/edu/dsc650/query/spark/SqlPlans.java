package edu.dsc650.query.spark;

import edu.dsc650.FirstLine;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.analysis.UnresolvedRelation;
import org.apache.spark.sql.catalyst.analysis.UnsupportedOperationChecker;
import org.apache.spark.sql.catalyst.optimizer.PushDownPredicates;
import org.apache.spark.sql.catalyst.parser.CatalystSqlParser$;
import org.apache.spark.sql.catalyst.parser.ParseException;
import org.apache.spark.sql.catalyst.plans.logical.EventTimeWatermark;
import org.apache.spark.sql.catalyst.plans.logical.Filter;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.UnresolvedWith;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.datasources.parquet.ParquetFileFormat;
import org.apache.spark.sql.execution.streaming.IncrementalExecution;
import org.apache.spark.sql.execution.streaming.MemoryStream$;
import org.apache.spark.sql.execution.streaming.OffsetSeqMetadata$;
import org.apache.spark.sql.execution.streaming.StatefulOperator;
import org.apache.spark.sql.execution.streaming.WatermarkPropagator$;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;
import scala.Option;
import scala.collection.JavaConverters;

/**
 * What Spark's parser, analyzer and planners say of a SQL query over streams, asked before it runs.
 * Spark's public API has no way to ask: these go through its parser, its streaming checks and the
 * planner of a micro-batch, as {@code explain()} does.
 */
public final class SqlPlans {
  private SqlPlans() {}

  /**
   * The tables a query reads and the names its WITH clauses define, subqueries included.
   *
   * @param read the table names, in order, as written (a name may come more than once)
   */
  public record Tables(List<String> read, Set<String> ctes) {}

  /** A text Spark's parser refuses; the message is Spark's, on one line, with where it is. */
  public static final class SyntaxError extends RuntimeException {
    SyntaxError(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * The tables of a {@code SELECT}, parsed without a session.
   *
   * @throws SyntaxError if Spark's parser refuses it
   */
  public static Tables tables(String select) {
    LogicalPlan plan;
    try {
      plan = CatalystSqlParser$.MODULE$.parsePlan(select);
    } catch (Exception e) { // a ParseException, undeclared (Scala)
      if (!(e instanceof ParseException parse)) {
        throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
      }
      throw new SyntaxError(parseError(parse), parse);
    }
    List<String> read = new ArrayList<>();
    Set<String> ctes = new LinkedHashSet<>();
    relations(plan, read, ctes);
    return new Tables(read, ctes);
  }

  /** A stream of rows of {@code schema} that reads nothing: for planning only. */
  public static Dataset<Row> emptyStream(SparkSession spark, StructType schema) {
    return MemoryStream$.MODULE$.apply(Encoders.row(schema), spark.sqlContext()).toDF();
  }

  /**
   * Spark's checks of a streaming query for an output mode (what its streaming planner refuses).
   *
   * @throws org.apache.spark.sql.AnalysisException if it refuses it
   */
  public static void checkStreaming(Dataset<Row> rows, OutputMode mode) {
    UnsupportedOperationChecker.checkForStreaming(rows.queryExecution().analyzed(), mode);
  }

  /**
   * True if Spark plans state for a micro-batch of {@code rows}: an aggregate (a DISTINCT or a
   * UNION turned into one), a dedup, a join, a limit... what the physical plan holds, not what the
   * query's nodes are called.
   */
  public static boolean holdsState(SparkSession spark, Dataset<Row> rows, OutputMode mode) {
    return hasStatefulOperator(microBatch(spark, rows, mode).sparkPlan());
  }

  /**
   * True if Spark's optimizer, as the session is set, moves a filter of {@code rows} below its
   * watermark.
   */
  public static boolean filtersBelowTheWatermark(
      SparkSession spark, Dataset<Row> rows, OutputMode mode) {
    return filteredBelowAWatermark(microBatch(spark, rows, mode).optimizedPlan(), false);
  }

  /** The name of Spark's optimizer rule that pushes filters down, as excludedRules takes it. */
  public static String pushDownPredicatesRule() {
    return PushDownPredicates.class.getName().replace("$", "");
  }

  /** True if a parquet file can hold a column of this type. */
  public static boolean parquetCanHold(DataType type) {
    return new ParquetFileFormat().supportDataType(type);
  }

  /** True if Spark's physical plan keeps state between micro-batches anywhere. */
  public static boolean hasStatefulOperator(SparkPlan plan) {
    if (plan instanceof StatefulOperator) {
      return true;
    }
    for (SparkPlan child : JavaConverters.seqAsJavaList(plan.children())) {
      if (hasStatefulOperator(child)) {
        return true;
      }
    }
    return false;
  }

  /**
   * True if a filter sits below a watermark: it would drop an end-of-stream marker (whose columns
   * but the event time are null) before the watermark saw it.
   */
  public static boolean filteredBelowAWatermark(LogicalPlan plan, boolean belowWatermark) {
    if (belowWatermark && plan instanceof Filter) {
      return true;
    }
    boolean below = belowWatermark || plan instanceof EventTimeWatermark;
    for (LogicalPlan child : JavaConverters.seqAsJavaList(plan.children())) {
      if (filteredBelowAWatermark(child, below)) {
        return true;
      }
    }
    return false;
  }

  /**
   * How Spark plans a micro-batch of {@code rows}, as {@code explain()} does it for a stream: with
   * the streaming strategies (state stores, stream-stream joins, dedup).
   */
  private static IncrementalExecution microBatch(
      SparkSession spark, Dataset<Row> rows, OutputMode mode) {
    return new IncrementalExecution(
        spark,
        rows.queryExecution().analyzed(),
        mode,
        "<unknown>",
        UUID.randomUUID(),
        UUID.randomUUID(),
        0,
        Option.empty(),
        OffsetSeqMetadata$.MODULE$.apply(0L, 0L, spark.conf()),
        WatermarkPropagator$.MODULE$.noop());
  }

  /** Spark's own message, on one line, with where in the text it is ("line 2, pos 7"). */
  private static String parseError(ParseException e) {
    String message = e.getMessage().strip();
    int sqlPart = message.indexOf("== SQL");
    String head =
        (sqlPart < 0 ? message : message.substring(0, sqlPart)).replaceAll("\\s+", " ").strip();
    return head.isEmpty() ? FirstLine.of(e) : head;
  }

  private static void relations(LogicalPlan plan, List<String> read, Set<String> ctes) {
    if (plan instanceof UnresolvedRelation r) {
      List<String> parts = JavaConverters.seqAsJavaList(r.multipartIdentifier());
      read.add(String.join(".", parts));
    }
    if (plan instanceof UnresolvedWith with) {
      for (scala.Tuple2<String, ?> cte : JavaConverters.seqAsJavaList(with.cteRelations())) {
        ctes.add(cte._1());
      }
    }
    for (LogicalPlan child : JavaConverters.seqAsJavaList(plan.children())) {
      relations(child, read, ctes);
    }
    for (Object inner : JavaConverters.seqAsJavaList(plan.innerChildren())) {
      if (inner instanceof LogicalPlan p) {
        relations(p, read, ctes);
      }
    }
    for (LogicalPlan sub : JavaConverters.seqAsJavaList(plan.subqueries())) {
      relations(sub, read, ctes);
    }
  }
}
