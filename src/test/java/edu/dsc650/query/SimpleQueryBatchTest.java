package edu.dsc650.query;

import static org.apache.spark.sql.functions.callUDF;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.catalyst.encoders.ExpressionEncoder;
import org.apache.spark.sql.execution.streaming.sources.ForeachBatchSink;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import scala.runtime.AbstractFunction2;
import scala.runtime.BoxedUnit;

/**
 * One micro-batch of {@code simple}, handed over as Spark's foreachBatch sink hands it (an already
 * planned batch): each topic's rows in its own output, and each input row computed once, however
 * many outputs there are.
 */
class SimpleQueryBatchTest {
  @RegisterExtension static final LocalSpark SPARK = new LocalSpark();

  @TempDir Path tmp;

  private Dataset<Row> rows(StructType schema, String prefix, int n, String counter) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Object[] values = new Object[schema.size()];
      values[schema.fieldIndex("id")] = prefix + i;
      values[schema.fieldIndex("uuid")] = "ride";
      values[schema.fieldIndex("timestamp")] = new Timestamp(1_000_000L + i);
      rows.add(RowFactory.create(values));
    }
    // read from files, as a micro-batch is; a filter that counts the rows it sees: how often the
    // batch's input is computed
    String files = tmp.resolve("source-" + prefix).toString();
    SPARK.session().createDataFrame(rows, schema).write().parquet(files);
    return SPARK.session().read().schema(schema).parquet(files).where(callUDF(counter, col("id")));
  }

  @Test
  void eachTopicGoesToItsOutputAndTheBatchIsComputedOnce() throws Exception {
    LongAccumulator computed = SPARK.session().sparkContext().longAccumulator("computed");
    SPARK
        .session()
        .udf()
        .register(
            "counted",
            ((UDF1<String, Boolean>)
                id -> {
                  computed.add(1);
                  return true;
                }),
            DataTypes.BooleanType);
    Dataset<Row> batch =
        rows(Topics.ACCELERATIONS_SCHEMA, "a", 5, "counted")
            .select(SimpleQuery.tagged(Topics.ACCELERATIONS))
            .union(
                rows(Topics.LOCATIONS_SCHEMA, "l", 7, "counted")
                    .select(SimpleQuery.tagged(Topics.LOCATIONS)));
    Map<String, String> outputs = new LinkedHashMap<>();
    for (String topic : List.of(Topics.ACCELERATIONS, Topics.LOCATIONS)) {
      outputs.put(topic, tmp.resolve(topic).toString());
    }
    VoidFunction2<Dataset<Row>, Long> copy = new SimpleQuery.CopyToFileSinks(outputs);
    ForeachBatchSink<Row> sink =
        new ForeachBatchSink<>(
            new AbstractFunction2<Dataset<Row>, Object, BoxedUnit>() {
              @Override
              public BoxedUnit apply(Dataset<Row> rows, Object id) {
                try {
                  copy.call(rows, (Long) id);
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
                return BoxedUnit.UNIT;
              }
            },
            (ExpressionEncoder<Row>) Encoders.row(batch.schema()));
    sink.addBatch(0, batch);

    assertEquals(12, computed.value(), "each of the 12 input rows computed once");
    assertEquals(ids("a", 5), written(tmp.resolve(Topics.ACCELERATIONS)));
    assertEquals(ids("l", 7), written(tmp.resolve(Topics.LOCATIONS)));
  }

  private static TreeSet<String> ids(String prefix, int n) {
    TreeSet<String> ids = new TreeSet<>();
    for (int i = 0; i < n; i++) {
      ids.add(prefix + i);
    }
    return ids;
  }

  private static TreeSet<String> written(Path dir) {
    TreeSet<String> ids = new TreeSet<>();
    for (Row r : SPARK.session().read().parquet(dir.toString()).select("id").collectAsList()) {
      ids.add(r.getString(0));
    }
    return ids;
  }
}
