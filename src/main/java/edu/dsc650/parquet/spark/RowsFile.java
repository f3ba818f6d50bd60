package edu.dsc650.parquet.spark;

import java.io.IOException;
import java.sql.Timestamp;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroup;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.execution.datasources.parquet.SparkToParquetSchemaConverter;
import org.apache.spark.sql.internal.SQLConf;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A handful of rows of a Spark schema as one parquet file, written with parquet-mr: what run-query
 * writes itself (the warm-up's generated slice, the end-of-stream markers) is a few rows, for which
 * a Spark job (planning, a task, an output committer and its folders) costs a second when the JVM
 * is cold. The columns are the ones Spark writes for these types (timestamps as INT64 microseconds,
 * UTC), so Spark reads the file as it reads its own.
 */
public final class RowsFile {
  private RowsFile() {}

  /**
   * Writes {@code rows} to {@code file}, which must not exist.
   *
   * @throws IllegalArgumentException for a column type other than string, timestamp, double, float,
   *     long, int or boolean
   */
  public static void write(Configuration conf, Path file, StructType schema, List<Row> rows)
      throws IOException {
    MessageType parquet = parquetSchema(schema);
    try (ParquetWriter<Group> writer =
        ExampleParquetWriter.builder(HadoopOutputFile.fromPath(file, conf))
            .withConf(conf)
            .withType(parquet)
            .build()) {
      for (Row row : rows) {
        writer.write(group(parquet, schema, row));
      }
    }
  }

  /**
   * The parquet schema Spark writes for {@code schema} (its own converter, timestamps as INT64
   * microseconds, as run-query's sessions write them): any column type, so that a user's schema
   * with dates or decimals still gets its markers, whose other columns are null.
   */
  static MessageType parquetSchema(StructType schema) {
    return new SparkToParquetSchemaConverter(
            false, SQLConf.ParquetOutputTimestampType$.MODULE$.TIMESTAMP_MICROS(), false)
        .convert(schema);
  }

  private static Group group(MessageType parquet, StructType schema, Row row) {
    Group g = new SimpleGroup(parquet);
    for (int i = 0; i < schema.size(); i++) {
      if (row.isNullAt(i)) {
        continue; // an optional column without a value
      }
      Object v = row.get(i);
      DataType t = schema.fields()[i].dataType();
      if (t.equals(DataTypes.StringType)) {
        g.add(i, (String) v);
      } else if (t.equals(DataTypes.TimestampType)) {
        g.add(i, micros((Timestamp) v));
      } else if (t.equals(DataTypes.DoubleType)) {
        g.add(i, (Double) v);
      } else if (t.equals(DataTypes.FloatType)) {
        g.add(i, (Float) v);
      } else if (t.equals(DataTypes.LongType)) {
        g.add(i, (Long) v);
      } else if (t.equals(DataTypes.IntegerType)) {
        g.add(i, (Integer) v);
      } else if (t.equals(DataTypes.BooleanType)) {
        g.add(i, (Boolean) v);
      } else {
        throw new IllegalArgumentException(
            "column "
                + schema.fields()[i].name()
                + ": RowsFile writes nulls only for "
                + t.simpleString());
      }
    }
    return g;
  }

  private static long micros(Timestamp t) {
    return Math.addExact(
        Math.multiplyExact(Math.floorDiv(t.getTime(), 1000L), 1_000_000L),
        TimeUnit.NANOSECONDS.toMicros(t.getNanos()));
  }
}
