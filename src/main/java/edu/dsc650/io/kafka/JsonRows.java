package edu.dsc650.io.kafka;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import edu.dsc650.io.parquet.ByteArrayInputFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import edu.dsc650.io.HadoopConf;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * The rows of a parquet file as Kafka records: the value is a JSON object with every column, in the
 * file's order (timestamps as ISO-8601 UTC strings with microseconds, nulls as null), the key is the
 * row's {@code uuid}, the record's timestamp the row's {@code timestamp}.
 */
public final class JsonRows {
  /** A row as a record: key (null if the file has no string uuid), JSON value, event time (null if none). */
  public record Row(byte[] key, byte[] value, Long timestampMillis) {}

  public static final String KEY_COLUMN = "uuid";
  public static final String TIME_COLUMN = "timestamp";
  /** Always six fraction digits: what Spark's {@code from_json} reads back with the same pattern. */
  public static final String TIMESTAMP_PATTERN = "yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX";
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final JsonFactory JSON = new JsonFactory();
  /** A codec factory per thread: it caches one decompressor per codec, and those are not thread-safe. */
  private static final ThreadLocal<ParquetReadOptions> OPTIONS = ThreadLocal.withInitial(() ->
      ParquetReadOptions.builder().withCodecFactory(new CodecFactory(HadoopConf.shared(), 0)).build());

  private JsonRows() {}

  /** Decodes the first {@code length} bytes of {@code bytes}, a whole parquet file, into {@code rows}. */
  public static void decode(byte[] bytes, int length, List<Row> rows) throws IOException {
    try (ParquetFileReader reader = ParquetFileReader.open(new ByteArrayInputFile(bytes, length), OPTIONS.get())) {
      MessageType schema = reader.getFooter().getFileMetaData().getSchema();
      int key = stringColumn(schema, KEY_COLUMN);
      int time = timestampColumn(schema, TIME_COLUMN);
      ByteArrayOutputStream out = new ByteArrayOutputStream(512);
      for (PageReadStore pages = reader.readNextRowGroup(); pages != null; pages = reader.readNextRowGroup()) {
        RecordReader<Group> records = new ColumnIOFactory().getColumnIO(schema)
            .getRecordReader(pages, new GroupRecordConverter(schema));
        for (long i = 0; i < pages.getRowCount(); i++) {
          Group g = records.read();
          out.reset();
          try (JsonGenerator json = JSON.createGenerator(out)) {
            writeObject(json, g);
          }
          byte[] k = key < 0 || g.getFieldRepetitionCount(key) == 0 ? null
              : g.getBinary(key, 0).toStringUsingUTF8().getBytes(StandardCharsets.UTF_8);
          Long millis = time < 0 || g.getFieldRepetitionCount(time) == 0 ? null
              : Math.floorDiv(micros(g.getLong(time, 0), schema.getType(time)), 1000L);
          rows.add(new Row(k, out.toByteArray(), millis));
        }
      }
    }
  }

  private static void writeObject(JsonGenerator json, Group g) throws IOException {
    json.writeStartObject();
    for (int f = 0; f < g.getType().getFieldCount(); f++) {
      Type field = g.getType().getType(f);
      json.writeFieldName(field.getName());
      if (g.getFieldRepetitionCount(f) == 0) {
        json.writeNull();
      } else if (!field.isPrimitive()) {
        json.writeString(g.getGroup(f, 0).toString()); // nested: not in the ride data; kept readable
      } else {
        writeValue(json, g, f, field.asPrimitiveType());
      }
    }
    json.writeEndObject();
  }

  private static void writeValue(JsonGenerator json, Group g, int f, PrimitiveType type) throws IOException {
    LogicalTypeAnnotation logical = type.getLogicalTypeAnnotation();
    switch (type.getPrimitiveTypeName()) {
      case BOOLEAN -> json.writeBoolean(g.getBoolean(f, 0));
      case INT32 -> {
        if (logical instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation) {
          json.writeString(LocalDate.ofEpochDay(g.getInteger(f, 0)).toString());
        } else {
          json.writeNumber(g.getInteger(f, 0));
        }
      }
      case INT64 -> {
        if (logical instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation) {
          json.writeString(isoTimestamp(micros(g.getLong(f, 0), type)));
        } else {
          json.writeNumber(g.getLong(f, 0));
        }
      }
      case FLOAT -> json.writeNumber(g.getFloat(f, 0));
      case DOUBLE -> json.writeNumber(g.getDouble(f, 0));
      case BINARY -> {
        Binary b = g.getBinary(f, 0);
        if (logical instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
            || logical instanceof LogicalTypeAnnotation.EnumLogicalTypeAnnotation
            || logical instanceof LogicalTypeAnnotation.JsonLogicalTypeAnnotation) {
          json.writeString(b.toStringUsingUTF8());
        } else {
          json.writeBinary(b.getBytes()); // base64
        }
      }
      case INT96, FIXED_LEN_BYTE_ARRAY -> json.writeBinary(g.getBinary(f, 0).getBytes());
    }
  }

  /** A timestamp column's value in microseconds since the epoch, whatever its unit. */
  private static long micros(long value, Type type) {
    if (type.getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation ts) {
      return switch (ts.getUnit()) {
        case MILLIS -> Math.multiplyExact(value, 1000L);
        case MICROS -> value;
        case NANOS -> Math.floorDiv(value, 1000L);
      };
    }
    return value;
  }

  /** {@code 2026-12-02T07:10:11.123456Z}: UTC, always six fraction digits. */
  public static String isoTimestamp(long micros) {
    Instant t = Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
    return TIMESTAMP.format(t);
  }

  private static int stringColumn(MessageType schema, String name) {
    if (!schema.containsField(name)) {
      return -1;
    }
    Type t = schema.getType(name);
    return t.isPrimitive() && t.asPrimitiveType().getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.BINARY
        ? schema.getFieldIndex(name) : -1;
  }

  private static int timestampColumn(MessageType schema, String name) {
    if (!schema.containsField(name)) {
      return -1;
    }
    Type t = schema.getType(name);
    return t.isPrimitive() && t.asPrimitiveType().getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.INT64
        && t.getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation
        ? schema.getFieldIndex(name) : -1;
  }
}
