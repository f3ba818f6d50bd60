package edu.dsc650.parquet;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import edu.dsc650.io.HadoopConf;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.SchemaElement;
import org.apache.parquet.format.converter.ParquetMetadataConverter;
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
 * file's order (timestamps as ISO-8601 UTC strings with microseconds, nulls as null), the key is
 * the row's {@code uuid}, the record's timestamp the row's {@code timestamp}.
 */
public final class JsonRows {
  /**
   * A row as a record: key (null if the file has no string uuid), JSON value, event time (null if
   * none).
   */
  public record Row(byte[] key, byte[] value, Long timestampMillis) {}

  public static final String KEY_COLUMN = "uuid";
  public static final String TIME_COLUMN = "timestamp";

  /**
   * Always six fraction digits: what Spark's {@code from_json} reads back with the same pattern.
   */
  public static final String TIMESTAMP_PATTERN = "yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX";

  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);
  private static final JsonFactory JSON = new JsonFactory();

  /** parquet-mr's view of each file schema seen (a topic's files share one). */
  private final java.util.Map<List<SchemaElement>, MessageType> schemas = new java.util.HashMap<>();

  /** The project's page decoder: its codecs keep one reused decompressor each. */
  private final ColumnPages pages = new ColumnPages(new Codecs());

  /** A codec factory: it caches one decompressor per codec. */
  private final ParquetReadOptions options =
      ParquetReadOptions.builder()
          .withCodecFactory(new CodecFactory(HadoopConf.shared(), 0))
          .build();

  /** A decoder with its caches: one per thread (its decompressors are not thread-safe). */
  public JsonRows() {}

  /**
   * Decodes the first {@code length} bytes of {@code bytes}, a whole parquet file whose footer is
   * {@code footer}, into {@code rows}.
   */
  public void decode(byte[] bytes, int length, FileMetaData footer, List<Row> rows)
      throws IOException {
    MessageType schema = schemas.computeIfAbsent(footer.getSchema(), s -> messageType(footer));
    if (isFlat(schema)) {
      new FlatRows(schema).decode(bytes, footer, rows, pages);
      return;
    }
    try (ParquetFileReader reader =
        ParquetFileReader.open(new ByteArrayInputFile(bytes, length), options)) {
      decodeRecords(reader, schema, rows);
    }
  }

  /** The footer's schema as parquet-mr's type, converted from a footer without its row groups. */
  private static MessageType messageType(FileMetaData footer) {
    FileMetaData schemaOnly =
        new FileMetaData(footer.getVersion(), footer.getSchema(), 0, List.of());
    if (footer.isSetColumn_orders()) {
      schemaOnly.setColumn_orders(footer.getColumn_orders());
    }
    try {
      return new ParquetMetadataConverter()
          .fromParquetMetadata(schemaOnly)
          .getFileMetaData()
          .getSchema();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Every column a plain value (no groups, no lists): the ride data, read column by column. */
  private static boolean isFlat(MessageType schema) {
    return schema.getFields().stream()
        .allMatch(f -> f.isPrimitive() && !f.isRepetition(Type.Repetition.REPEATED));
  }

  /** Any schema, through parquet-mr's record assembly (slower: an object per row and value). */
  private static void decodeRecords(ParquetFileReader reader, MessageType schema, List<Row> rows)
      throws IOException {
    int key = stringColumn(schema, KEY_COLUMN);
    int time = timestampColumn(schema, TIME_COLUMN);
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    for (PageReadStore pages = reader.readNextRowGroup();
        pages != null;
        pages = reader.readNextRowGroup()) {
      RecordReader<Group> records =
          new ColumnIOFactory()
              .getColumnIO(schema)
              .getRecordReader(pages, new GroupRecordConverter(schema));
      for (long i = 0; i < pages.getRowCount(); i++) {
        Group g = records.read();
        out.reset();
        try (JsonGenerator json = JSON.createGenerator(out)) {
          writeObject(json, g);
        }
        byte[] k =
            key < 0 || g.getFieldRepetitionCount(key) == 0
                ? null
                : g.getBinary(key, 0).toStringUsingUTF8().getBytes(StandardCharsets.UTF_8);
        Long millis =
            time < 0 || g.getFieldRepetitionCount(time) == 0
                ? null
                : Math.floorDiv(micros(g.getLong(time, 0), schema.getType(time)), 1000L);
        rows.add(new Row(k, out.toByteArray(), millis));
      }
    }
  }

  /**
   * A flat file's rows, read a column value at a time with parquet-mr's column readers over the
   * file's own bytes ({@link ColumnPages}), and written as JSON by one generator: no object per row
   * or value.
   */
  private static final class FlatRows {
    private final List<ColumnDescriptor> columns;
    private final SerializedString[] names;
    private final int key;
    private final int time;

    FlatRows(MessageType schema) {
      this.columns = schema.getColumns();
      this.names = new SerializedString[columns.size()];
      for (int c = 0; c < names.length; c++) {
        names[c] = new SerializedString(schema.getFieldName(c));
      }
      this.key = stringColumn(schema, KEY_COLUMN);
      this.time = timestampColumn(schema, TIME_COLUMN);
    }

    void decode(byte[] file, FileMetaData footer, List<Row> rows, ColumnPages pages)
        throws IOException {
      ByteArrayOutputStream out = new ByteArrayOutputStream(512);
      try (JsonGenerator json = JSON.createGenerator(out)) {
        json.setRootValueSeparator(null);
        for (RowGroup group : footer.getRow_groups()) {
          ColumnReader[] readers = new ColumnReader[columns.size()];
          for (int c = 0; c < readers.length; c++) {
            readers[c] =
                pages.reader(file, group.getColumns().get(c).getMeta_data(), columns.get(c));
          }
          for (long i = 0; i < group.getNum_rows(); i++) {
            byte[] k = null;
            Long millis = null;
            json.writeStartObject();
            for (int c = 0; c < readers.length; c++) {
              ColumnReader r = readers[c];
              json.writeFieldName(names[c]);
              if (r.getCurrentDefinitionLevel() < columns.get(c).getMaxDefinitionLevel()) {
                json.writeNull();
              } else {
                PrimitiveType type = columns.get(c).getPrimitiveType();
                if (c == key) {
                  String uuid = r.getBinary().toStringUsingUTF8();
                  k = uuid.getBytes(StandardCharsets.UTF_8);
                  json.writeString(uuid);
                } else if (c == time) {
                  long micros = micros(r.getLong(), type);
                  millis = Math.floorDiv(micros, 1000L);
                  json.writeString(isoTimestamp(micros));
                } else {
                  writeValue(json, r, type);
                }
              }
              r.consume();
            }
            json.writeEndObject();
            json.flush();
            rows.add(new Row(k, out.toByteArray(), millis));
            out.reset();
          }
        }
      }
    }
  }

  private static void writeValue(JsonGenerator json, ColumnReader r, PrimitiveType type)
      throws IOException {
    LogicalTypeAnnotation logical = type.getLogicalTypeAnnotation();
    switch (type.getPrimitiveTypeName()) {
      case BOOLEAN -> json.writeBoolean(r.getBoolean());
      case INT32 -> {
        if (logical instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation) {
          json.writeString(LocalDate.ofEpochDay(r.getInteger()).toString());
        } else {
          json.writeNumber(r.getInteger());
        }
      }
      case INT64 -> {
        if (logical instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation) {
          json.writeString(isoTimestamp(micros(r.getLong(), type)));
        } else {
          json.writeNumber(r.getLong());
        }
      }
      case FLOAT -> json.writeNumber(r.getFloat());
      case DOUBLE -> json.writeNumber(r.getDouble());
      case BINARY -> {
        if (isText(logical)) {
          json.writeString(r.getBinary().toStringUsingUTF8());
        } else {
          json.writeBinary(r.getBinary().getBytes()); // base64
        }
      }
      case INT96, FIXED_LEN_BYTE_ARRAY -> json.writeBinary(r.getBinary().getBytes());
    }
  }

  private static boolean isText(LogicalTypeAnnotation logical) {
    return logical instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
        || logical instanceof LogicalTypeAnnotation.EnumLogicalTypeAnnotation
        || logical instanceof LogicalTypeAnnotation.JsonLogicalTypeAnnotation;
  }

  private static void writeObject(JsonGenerator json, Group g) throws IOException {
    json.writeStartObject();
    for (int f = 0; f < g.getType().getFieldCount(); f++) {
      Type field = g.getType().getType(f);
      json.writeFieldName(field.getName());
      if (g.getFieldRepetitionCount(f) == 0) {
        json.writeNull();
      } else if (!field.isPrimitive()) {
        json.writeString(
            g.getGroup(f, 0).toString()); // nested: not in the ride data; kept readable
      } else {
        writeValue(json, g, f, field.asPrimitiveType());
      }
    }
    json.writeEndObject();
  }

  private static void writeValue(JsonGenerator json, Group g, int f, PrimitiveType type)
      throws IOException {
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
        if (isText(logical)) {
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
    if (type.getLogicalTypeAnnotation()
        instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation ts) {
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
    long seconds = Math.floorDiv(micros, 1_000_000L);
    LocalDate day = LocalDate.ofEpochDay(Math.floorDiv(seconds, 86_400L));
    if (day.getYear() < 0
        || day.getYear() > 9999) { // four digits below: others through the formatter
      return TIMESTAMP.format(
          Instant.ofEpochSecond(seconds, Math.floorMod(micros, 1_000_000L) * 1000L));
    }
    // by hand: a formatter per value was a tenth of the replay's CPU into Kafka
    char[] c = "0000-00-00T00:00:00.000000Z".toCharArray();
    digits(c, 0, 4, day.getYear());
    digits(c, 5, 2, day.getMonthValue());
    digits(c, 8, 2, day.getDayOfMonth());
    int second = (int) Math.floorMod(seconds, 86_400L);
    digits(c, 11, 2, second / 3600);
    digits(c, 14, 2, second / 60 % 60);
    digits(c, 17, 2, second % 60);
    digits(c, 20, 6, (int) Math.floorMod(micros, 1_000_000L));
    return new String(c);
  }

  /** Writes {@code value} as {@code width} decimal digits ending at {@code at + width}. */
  private static void digits(char[] c, int at, int width, int value) {
    for (int i = at + width - 1; i >= at; i--) {
      c[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }

  private static int stringColumn(MessageType schema, String name) {
    if (!schema.containsField(name)) {
      return -1;
    }
    Type t = schema.getType(name);
    return t.isPrimitive()
            && t.asPrimitiveType().getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.BINARY
        ? schema.getFieldIndex(name)
        : -1;
  }

  private static int timestampColumn(MessageType schema, String name) {
    if (!schema.containsField(name)) {
      return -1;
    }
    Type t = schema.getType(name);
    return t.isPrimitive()
            && t.asPrimitiveType().getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.INT64
            && t.getLogicalTypeAnnotation()
                instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation
        ? schema.getFieldIndex(name)
        : -1;
  }
}
