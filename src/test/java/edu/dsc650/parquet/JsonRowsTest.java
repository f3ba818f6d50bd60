package edu.dsc650.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import edu.dsc650.testing.ParquetRows;
import edu.dsc650.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.parquet.column.ParquetProperties.WriterVersion;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rows as Kafka records: each JSON value, parsed back, must be the row parquet-mr's record reader
 * reads from the same file (every type, nulls, NaN, -0.0, infinities, non-ASCII and empty strings,
 * dictionary or plain, page v1/v2, several row groups; flat and nested schemas), the key its uuid,
 * the record timestamp its timestamp.
 */
class JsonRowsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final MessageType FLAT =
      MessageTypeParser.parseMessageType(
          """
      message m {
        optional binary uuid (STRING);
        optional int64 timestamp (TIMESTAMP(MICROS,true));
        optional double offset;
        required binary raw;
        optional float f;
        optional int64 l;
        optional int32 i;
        optional boolean b;
        optional int64 millis (TIMESTAMP(MILLIS,true));
      }""");
  private static final MessageType NESTED =
      MessageTypeParser.parseMessageType(
          """
      message m {
        optional binary uuid (STRING);
        optional int64 timestamp (TIMESTAMP(MICROS,true));
        optional double offset;
        optional group g { optional double d; }
      }""");

  @TempDir Path tmp;

  @Test
  void everyValueOfAFlatFileAsParquetMrReadsIt() throws Exception {
    int n = 0;
    for (CompressionCodecName codec :
        List.of(
            CompressionCodecName.GZIP,
            CompressionCodecName.SNAPPY,
            CompressionCodecName.UNCOMPRESSED)) {
      for (boolean dictionary : List.of(true, false)) {
        for (WriterVersion version : WriterVersion.values()) {
          Path file = tmp.resolve("f" + n++ + ".parquet");
          writeFlat(file, codec, dictionary, version, 230, n);
          assertRecordsAreTheRows(file);
        }
      }
    }
  }

  @Test
  void aNestedFileTooWithoutAKeyOrATimestampWhereNull() throws Exception {
    Path file = tmp.resolve("nested.parquet");
    Random random = new Random(7);
    TestData.write(
        file,
        NESTED,
        CompressionCodecName.GZIP,
        true,
        WriterVersion.PARQUET_1_0,
        w -> {
          for (int r = 0; r < 120; r++) {
            Group g = w.row();
            if (r % 5 > 0) {
              g.append("uuid", "ride-" + (r % 3));
            }
            if (r % 7 > 0) {
              g.append("timestamp", 1_795_000_000_000_000L + r * 1_000L);
            }
            g.append("offset", r / 10.0);
            if (r % 2 == 0) {
              g.addGroup("g").append("d", random.nextGaussian());
            }
            w.write(g);
          }
        });
    List<JsonRows.Row> records = decode(file);
    List<Map<String, Object>> rows = ParquetRows.read(file);
    assertEquals(rows.size(), records.size());
    for (int r = 0; r < rows.size(); r++) {
      Map<String, Object> value = parse(records.get(r));
      assertEquals(rows.get(r).get("uuid"), value.get("uuid"));
      assertEquals(
          rows.get(r).get("uuid") == null ? null : rows.get(r).get("uuid"), key(records.get(r)));
      assertEquals(
          rows.get(r).get("timestamp") == null
              ? null
              : Math.floorDiv((Long) rows.get(r).get("timestamp"), 1000L),
          records.get(r).timestampMillis());
      assertEquals(rows.get(r).get("offset"), value.get("offset"));
      assertEquals(rows.get(r).get("g") != null, value.get("g") != null, "row " + r);
    }
  }

  static void writeFlat(
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
        FLAT,
        codec,
        dictionary,
        version,
        w -> {
          for (int r = 0; r < rows; r++) {
            Group g = w.row().append("raw", "raw-" + (r % 11));
            if (random.nextInt(5) > 0) {
              g.append(
                  "uuid",
                  switch (r % 4) {
                    case 0 -> "";
                    case 1 -> "Straße ✓ " + r;
                    default -> "ride-" + (r % 13);
                  });
            }
            if (random.nextInt(5) > 0) {
              // before and after the epoch, whole seconds and not
              g.append(
                  "timestamp",
                  r % 10 == 0
                      ? -1_234_567L
                      : 1_795_000_000_000_000L + r * 20_000L + random.nextInt(1000));
            }
            if (random.nextInt(5) > 0) {
              g.append(
                  "offset",
                  switch (r % 9) {
                    case 0 -> Double.NaN;
                    case 1 -> -0.0;
                    case 2 -> Double.POSITIVE_INFINITY;
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
              g.append("millis", 1_795_000_000_000L + r * 7L);
            }
            w.write(g);
          }
        });
  }

  static void assertRecordsAreTheRows(Path file) throws Exception {
    List<JsonRows.Row> records = decode(file);
    List<Map<String, Object>> rows = ParquetRows.read(file);
    assertEquals(rows.size(), records.size(), file.toString());
    for (int r = 0; r < rows.size(); r++) {
      Map<String, Object> expected = rows.get(r);
      JsonRows.Row record = records.get(r);
      Map<String, Object> value = parse(record);
      assertEquals(
          new ArrayList<>(expected.keySet()),
          new ArrayList<>(value.keySet()),
          "every column, in order");
      String where = file.getFileName() + " row " + r + ": " + new String(record.value(), "UTF-8");
      assertEquals(expected.get("uuid"), value.get("uuid"), where);
      assertEquals(expected.get("uuid"), key(record), where);
      assertEquals(expected.get("timestamp"), micros(value.get("timestamp")), where);
      assertEquals(
          expected.get("timestamp") == null
              ? null
              : Math.floorDiv((Long) expected.get("timestamp"), 1000L),
          record.timestampMillis(),
          where);
      assertSameDouble(expected.get("offset"), value.get("offset"), where);
      assertEquals(
          expected.get("raw"),
          Arrays.toString(Base64.getDecoder().decode((String) value.get("raw"))),
          where);
      assertSameDouble(
          expected.get("f") == null ? null : ((Float) expected.get("f")).doubleValue(),
          value.get("f") == null ? null : floatOf(value.get("f")),
          where);
      assertEquals(
          expected.get("l"),
          value.get("l") == null ? null : ((Number) value.get("l")).longValue(),
          where);
      assertEquals(expected.get("i"), value.get("i"), where);
      assertEquals(expected.get("b"), value.get("b"), where);
      Long millis = (Long) expected.get("millis");
      assertEquals(millis == null ? null : millis * 1000, micros(value.get("millis")), where);
    }
  }

  static List<JsonRows.Row> decode(Path file) throws Exception {
    byte[] bytes = Files.readAllBytes(file);
    // in a buffer longer than the file, as the rewriter hands them over
    byte[] buffer = Arrays.copyOf(bytes, bytes.length + 100);
    Arrays.fill(buffer, bytes.length, buffer.length, (byte) 0x55);
    List<JsonRows.Row> rows = new ArrayList<>();
    new JsonRows().decode(buffer, bytes.length, ParquetBytes.footer(bytes, false), rows);
    return rows;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> parse(JsonRows.Row record) throws Exception {
    return JSON.readValue(record.value(), LinkedHashMap.class);
  }

  static String key(JsonRows.Row record) {
    return record.key() == null
        ? null
        : new String(record.key(), java.nio.charset.StandardCharsets.UTF_8);
  }

  /** An ISO-8601 timestamp with six fraction digits, as microseconds since the epoch. */
  static Long micros(Object iso) {
    if (iso == null) {
      return null;
    }
    String s = (String) iso;
    assertTrue(s.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{6}Z"), s);
    return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.parse(s));
  }

  /** JSON has no NaN or infinities: they come as the strings Spark's JSON reader takes for them. */
  static Double doubleOf(Object json) {
    return json instanceof String s ? Double.valueOf(s) : ((Number) json).doubleValue();
  }

  static Double floatOf(Object json) {
    return (double) (json instanceof String s ? Float.parseFloat(s) : ((Number) json).floatValue());
  }

  static void assertSameDouble(Object expected, Object json, String where) {
    if (expected == null || json == null) {
      assertEquals(expected, json, where);
      return;
    }
    Double actual = json instanceof Double d ? d : doubleOf(json);
    assertEquals(
        0, Double.compare((Double) expected, actual), where + ": " + expected + " vs " + actual);
  }
}
