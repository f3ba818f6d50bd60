package edu.dsc650.parquet.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import edu.dsc650.query.QueryOutputs;
import edu.dsc650.query.Topics;
import edu.dsc650.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.apache.parquet.column.ParquetProperties.WriterVersion;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The small-file reader against Spark's own parquet reader, the reference: the same files, read
 * both ways, must give the same rows. Files are written with parquet-mr in every layout the reader
 * must decode (codecs, dictionary or plain, page v1/v2, several row groups, nulls).
 */
class SmallFileParquetFormatTest {
  private static final MessageType EVERY_TYPE =
      MessageTypeParser.parseMessageType(
          """
      message m {
        optional binary s (STRING);
        required binary raw;
        optional double d;
        optional float f;
        optional int64 l;
        optional int32 i;
        optional boolean b;
        optional int64 micros (TIMESTAMP(MICROS,true));
        optional int64 millis (TIMESTAMP(MILLIS,true));
      }""");

  // What the queries ask for: a projection, in another order, a column the files lack, a name in
  // another case (Spark matches names case-insensitively by default).
  private static final StructType REQUESTED =
      new StructType()
          .add("micros", DataTypes.TimestampType)
          .add("s", DataTypes.StringType)
          .add("raw", DataTypes.StringType)
          .add("D", DataTypes.DoubleType)
          .add("f", DataTypes.FloatType)
          .add("l", DataTypes.LongType)
          .add("i", DataTypes.IntegerType)
          .add("b", DataTypes.BooleanType)
          .add("millis", DataTypes.TimestampType)
          .add("absent", DataTypes.StringType);

  private static SparkSession spark;

  @TempDir Path tmp;

  @BeforeAll
  static void startSpark() {
    spark = QueryOutputs.batchSession();
  }

  @AfterAll
  static void stopSpark() {
    QueryOutputs.release(spark);
  }

  @Test
  void readsEveryLayoutLikeSparksReader() throws Exception {
    int n = 0;
    for (CompressionCodecName codec :
        List.of(
            CompressionCodecName.UNCOMPRESSED,
            CompressionCodecName.SNAPPY,
            CompressionCodecName.GZIP)) {
      for (boolean dictionary : List.of(true, false)) {
        for (WriterVersion version : WriterVersion.values()) {
          Path file = tmp.resolve("every/" + (n++) + ".parquet");
          writeEveryType(file, codec, dictionary, version, 300 + n, n);
          assertSameRows(file, REQUESTED);
          assertEquals(
              300 + n,
              decodedByTheSmallFileReader(file, REQUESTED),
              "the small-file reader decoded " + file + " itself");
        }
      }
    }
  }

  @Test
  void readsTheBundledDataLikeSparksReader() throws Exception {
    for (String topic : List.of(Topics.ACCELERATIONS, Topics.LOCATIONS)) {
      List<Path> files = edu.dsc650.testing.ParquetRows.files(Path.of("data/processed/bdd", topic));
      for (int k = 0; k < files.size(); k += 97) {
        // the bundled files have no timestamp values Spark would rebase, so all are decoded here
        assertSameRows(files.get(k), Topics.schema(topic));
        assertTrue(decodedByTheSmallFileReader(files.get(k), Topics.schema(topic)) > 0);
      }
    }
  }

  @Test
  void appendsPartitionValuesLikeSparksReader() throws Exception {
    // folders named column=value become partition columns (here t, a double, and day, a string)
    writeEveryType(
        tmp.resolve("parted/t=1.5/day=mon/a.parquet"),
        CompressionCodecName.SNAPPY,
        true,
        WriterVersion.PARQUET_1_0,
        40,
        11);
    writeEveryType(
        tmp.resolve("parted/t=12/day=tue/b.parquet"),
        CompressionCodecName.GZIP,
        false,
        WriterVersion.PARQUET_2_0,
        30,
        12);
    long decoded = SmallFileParquetFormat.DECODED.sum();
    long handedOver = SmallFileParquetFormat.HANDED_OVER.sum();
    assertSameRows(
        tmp.resolve("parted"),
        REQUESTED.add("t", DataTypes.DoubleType).add("day", DataTypes.StringType));
    assertEquals(
        2,
        SmallFileParquetFormat.DECODED.sum() - decoded,
        "both files decoded by the small-file reader");
    assertEquals(
        0, SmallFileParquetFormat.HANDED_OVER.sum() - handedOver, "none handed to Spark's reader");
  }

  @Test
  void leavesWhatItDoesNotDecodeToSparksReader() throws Exception {
    Path old = tmp.resolve("mixed/old.parquet");
    TestData.write(
        old,
        EVERY_TYPE,
        CompressionCodecName.SNAPPY,
        true,
        WriterVersion.PARQUET_1_0,
        w -> {
          // 1850: a timestamp Spark may rebase between calendars
          w.write(w.row().append("raw", "x").append("micros", -3_786_825_600_000_000L));
        });
    Path int96 = tmp.resolve("mixed/int96.parquet");
    MessageType int96Schema =
        MessageTypeParser.parseMessageType(
            "message m { optional int96 micros; required binary raw; }");
    TestData.write(
        int96,
        int96Schema,
        CompressionCodecName.SNAPPY,
        true,
        WriterVersion.PARQUET_1_0,
        w ->
            w.write(
                w.row()
                    .append("micros", Binary.fromConstantByteArray(new byte[12]))
                    .append("raw", "y")));
    Path nested = tmp.resolve("mixed/nested.parquet");
    MessageType nestedSchema =
        MessageTypeParser.parseMessageType(
            "message m { optional group g { optional double d; } required binary raw; }");
    TestData.write(
        nested,
        nestedSchema,
        CompressionCodecName.SNAPPY,
        true,
        WriterVersion.PARQUET_1_0,
        w -> {
          Group row = w.row().append("raw", "z");
          row.addGroup("g").append("d", 1.5);
          w.write(row);
        });
    StructType rawAndTime =
        new StructType().add("raw", DataTypes.StringType).add("micros", DataTypes.TimestampType);
    assertNull(
        new SmallFileParquetReader(rawAndTime, new StructType())
            .read(Files.readAllBytes(old), InternalRow.empty()));
    assertNull(
        new SmallFileParquetReader(rawAndTime, new StructType())
            .read(Files.readAllBytes(int96), InternalRow.empty()));
    assertNull(
        new SmallFileParquetReader(
                new StructType().add("raw", DataTypes.StringType), new StructType())
            .read(Files.readAllBytes(nested), InternalRow.empty()));

    // and through the format, those files and decoded ones in one scan give Spark's rows, with
    // Spark's options applied to the files it reads (without this one it refuses the year 1850)
    writeEveryType(
        tmp.resolve("mixed/plain.parquet"),
        CompressionCodecName.GZIP,
        true,
        WriterVersion.PARQUET_2_0,
        50,
        7);
    Files.delete(int96); // Spark reads INT96 as a timestamp only with its own schema conversion
    long decoded = SmallFileParquetFormat.DECODED.sum();
    long handedOver = SmallFileParquetFormat.HANDED_OVER.sum();
    assertSameRows(tmp.resolve("mixed"), rawAndTime, "datetimeRebaseMode", "CORRECTED");
    assertEquals(
        1,
        SmallFileParquetFormat.DECODED.sum() - decoded,
        "plain.parquet decoded by the small-file reader");
    assertEquals(
        2,
        SmallFileParquetFormat.HANDED_OVER.sum() - handedOver,
        "old and nested handed to Spark's reader");
  }

  /** Both readers over the same path (a file or a folder), compared row by row in file order. */
  private static void assertSameRows(Path path, StructType schema, String... option) {
    java.util.Map<String, String> options =
        option.length == 0 ? java.util.Map.of() : java.util.Map.of(option[0], option[1]);
    List<String> expected =
        rows(spark.read().options(options).schema(schema).parquet(path.toString()).collectAsList());
    List<String> actual =
        rows(
            spark
                .read()
                .options(options)
                .format(SmallFileParquetFormat.class.getName())
                .schema(schema)
                .load(path.toString())
                .collectAsList());
    assertEquals(expected.size(), actual.size(), "rows of " + path);
    List<String> want = sorted(expected);
    List<String> got = sorted(actual);
    for (int i = 0; i < want.size(); i++) {
      assertEquals(want.get(i), got.get(i), "row " + i + " (sorted) of " + path);
    }
  }

  /**
   * How many rows the small-file reader decoded itself (it answers null when it would hand over).
   */
  private static int decodedByTheSmallFileReader(Path file, StructType schema) throws Exception {
    Iterator<InternalRow> rows =
        new SmallFileParquetReader(schema, new StructType())
            .read(Files.readAllBytes(file), InternalRow.empty());
    assertNotNull(rows, file + " was handed to Spark's reader");
    int n = 0;
    while (rows.hasNext()) {
      rows.next();
      n++;
    }
    return n;
  }

  private static List<String> rows(List<Row> rows) {
    List<String> out = new ArrayList<>();
    rows.forEach(r -> out.add(r.toString()));
    return out;
  }

  private static List<String> sorted(List<String> rows) {
    List<String> copy = new ArrayList<>(rows);
    copy.sort(null);
    return copy;
  }

  /**
   * Rows with every type, nulls in every optional column, NaN, -0.0, empty and non-ASCII strings.
   */
  private static void writeEveryType(
      Path file,
      CompressionCodecName codec,
      boolean dictionary,
      WriterVersion version,
      int rows,
      long seed)
      throws Exception {
    Random random = new Random(seed);
    TestData.write(
        file,
        EVERY_TYPE,
        codec,
        dictionary,
        version,
        w -> {
          for (int r = 0; r < rows; r++) {
            Group g = w.row().append("raw", "raw-" + (r % 11));
            if (random.nextInt(5) > 0) {
              g.append(
                  "s",
                  switch (r % 4) {
                    case 0 -> "";
                    case 1 -> "Straße ✓ " + r;
                    default -> "ride-" + (r % 13);
                  });
            }
            if (random.nextInt(5) > 0) {
              g.append(
                  "d",
                  switch (r % 9) {
                    case 0 -> Double.NaN;
                    case 1 -> -0.0;
                    default -> random.nextGaussian() * 1e3;
                  });
            }
            if (random.nextInt(5) > 0) {
              g.append("f", r % 10 == 0 ? Float.NEGATIVE_INFINITY : (float) random.nextGaussian());
            }
            if (random.nextInt(5) > 0) {
              g.append("l", r % 6 == 0 ? Long.MIN_VALUE : random.nextLong());
            }
            if (random.nextInt(5) > 0) {
              g.append("i", r % 6 == 0 ? Integer.MAX_VALUE : random.nextInt());
            }
            if (random.nextInt(5) > 0) {
              g.append("b", random.nextBoolean());
            }
            if (random.nextInt(5) > 0) {
              g.append("micros", 1_795_000_000_000_000L + r * 20_000L + random.nextInt(1000));
            }
            if (random.nextInt(5) > 0) {
              g.append("millis", 1_795_000_000_000L + r * 7L);
            }
            w.write(g);
          }
        });
  }
}
