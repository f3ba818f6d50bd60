package edu.dsc650.parquet.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import edu.dsc650.query.LocalSpark;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Rows written with parquet-mr read back by Spark's own parquet reader, as written. */
class RowsFileTest {
  @RegisterExtension static final LocalSpark SPARK = new LocalSpark();

  @TempDir Path tmp;

  private static final StructType SCHEMA =
      new StructType()
          .add("id", DataTypes.StringType)
          .add("timestamp", DataTypes.TimestampType)
          .add("speed", DataTypes.DoubleType)
          .add("x", DataTypes.FloatType)
          .add("n", DataTypes.LongType)
          .add("i", DataTypes.IntegerType)
          .add("b", DataTypes.BooleanType);

  @Test
  void sparkReadsTheRowsAndTheSchemaAsWritten() throws Exception {
    List<Row> rows =
        List.of(
            RowFactory.create(
                "a",
                Timestamp.from(Instant.parse("2026-12-06T10:00:01.234567Z")),
                -1.5,
                2.25f,
                7L,
                3,
                true),
            // nulls everywhere but the time, and a time before 1970 and one in the year 9000
            RowFactory.create(
                null,
                Timestamp.from(Instant.parse("1969-12-31T23:59:59.999999Z")),
                null,
                null,
                null,
                null,
                null),
            RowFactory.create(
                "end",
                Timestamp.from(Instant.parse("9000-01-01T00:00:00Z")),
                null,
                null,
                null,
                null,
                false));
    org.apache.hadoop.fs.Path file =
        new org.apache.hadoop.fs.Path(tmp.resolve("rows.parquet").toUri());
    RowsFile.write(SPARK.session().sparkContext().hadoopConfiguration(), file, SCHEMA, rows);

    var read = SPARK.session().read().parquet(file.toString());
    assertEquals(SCHEMA, read.schema(), "the schema Spark finds in the footer");
    assertEquals(rows, read.collectAsList());
  }

  /** A user's schema may hold any type: its columns are written, and may hold nulls. */
  @Test
  void columnsOfOtherTypesAreWrittenAndHoldNulls() throws Exception {
    StructType schema =
        new StructType()
            .add("timestamp", DataTypes.TimestampType)
            .add("day", DataTypes.DateType)
            .add("amount", DataTypes.createDecimalType(12, 3))
            .add("tags", DataTypes.createArrayType(DataTypes.StringType));
    List<Row> rows =
        List.of(
            RowFactory.create(
                Timestamp.from(Instant.parse("9000-01-01T00:00:00Z")), null, null, null));
    org.apache.hadoop.fs.Path file =
        new org.apache.hadoop.fs.Path(tmp.resolve("other.parquet").toUri());
    RowsFile.write(SPARK.session().sparkContext().hadoopConfiguration(), file, schema, rows);

    var read = SPARK.session().read().parquet(file.toString());
    assertEquals(schema, read.schema());
    assertEquals(rows, read.collectAsList());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            RowsFile.write(
                SPARK.session().sparkContext().hadoopConfiguration(),
                new org.apache.hadoop.fs.Path(tmp.resolve("day.parquet").toUri()),
                schema,
                List.of(RowFactory.create(null, java.sql.Date.valueOf("2026-12-06"), null, null))),
        "a value it does not write");
  }
}
