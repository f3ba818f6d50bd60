package edu.dsc650.query.spark;

import java.util.ArrayList;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.datasources.parquet.ParquetFileFormat;
import org.apache.spark.sql.execution.streaming.FileStreamSink;
import scala.collection.immutable.Map$;

/**
 * Spark's parquet file sink for one folder, written to from a {@code foreachBatch}: what a batch
 * writes is committed in the folder's {@code _spark_metadata} log, and a batch id it has committed
 * is skipped, so a retried batch writes nothing twice. Spark's public API offers this sink only as
 * the sink of a whole streaming query.
 */
public final class ParquetFileSink {
  private final FileStreamSink sink;

  public ParquetFileSink(SparkSession spark, String folder) {
    this.sink =
        new FileStreamSink(
            spark,
            folder,
            new ParquetFileFormat(),
            scala.collection.JavaConverters.asScalaBuffer(new ArrayList<String>()),
            Map$.MODULE$.<String, String>empty());
  }

  /** Writes batch {@code batchId}'s rows, unless the folder's log has committed it already. */
  public void addBatch(long batchId, Dataset<Row> rows) {
    sink.addBatch(batchId, rows);
  }
}
