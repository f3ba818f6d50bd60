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
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
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

  /** The parquet schema Spark writes for {@code schema}: every column optional. */
  static MessageType parquetSchema(StructType schema) {
    Types.MessageTypeBuilder message = Types.buildMessage();
    for (StructField f : schema.fields()) {
      message.addField(column(f));
    }
    return message.named("spark_schema");
  }

  private static Type column(StructField f) {
    DataType t = f.dataType();
    if (t.equals(DataTypes.StringType)) {
      return Types.optional(PrimitiveTypeName.BINARY)
          .as(LogicalTypeAnnotation.stringType())
          .named(f.name());
    } else if (t.equals(DataTypes.TimestampType)) {
      return Types.optional(PrimitiveTypeName.INT64)
          .as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS))
          .named(f.name());
    } else if (t.equals(DataTypes.DoubleType)) {
      return Types.optional(PrimitiveTypeName.DOUBLE).named(f.name());
    } else if (t.equals(DataTypes.FloatType)) {
      return Types.optional(PrimitiveTypeName.FLOAT).named(f.name());
    } else if (t.equals(DataTypes.LongType)) {
      return Types.optional(PrimitiveTypeName.INT64).named(f.name());
    } else if (t.equals(DataTypes.IntegerType)) {
      return Types.optional(PrimitiveTypeName.INT32).named(f.name());
    } else if (t.equals(DataTypes.BooleanType)) {
      return Types.optional(PrimitiveTypeName.BOOLEAN).named(f.name());
    }
    throw new IllegalArgumentException(
        "column " + f.name() + ": " + t.simpleString() + " is not written by RowsFile");
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
      } else {
        g.add(i, (Boolean) v);
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
