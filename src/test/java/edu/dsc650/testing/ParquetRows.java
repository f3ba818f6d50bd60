package edu.dsc650.testing;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * Reads parquet rows with parquet-mr's record API, independently of the replayer's byte-level code:
 * the reference the tests compare against.
 */
public final class ParquetRows {
  private static final Configuration CONF = new Configuration();

  /** A codec factory per thread: it reuses its decompressors, which are not thread-safe. */
  private static final ThreadLocal<ParquetReadOptions> OPTIONS =
      ThreadLocal.withInitial(
          () -> ParquetReadOptions.builder().withCodecFactory(new CodecFactory(CONF, 0)).build());

  private ParquetRows() {}

  /**
   * Each row as column name to value (null for a missing optional value); binary as String or
   * bytes.
   */
  public static List<Map<String, Object>> read(java.nio.file.Path file) throws IOException {
    List<Map<String, Object>> rows = new ArrayList<>();
    // parquet-mr's own record assembly over the file's bytes, with a codec factory kept per thread:
    // the Hadoop-path reader builds a Configuration per file, which makes reading thousands slow.
    InputFile in =
        new edu.dsc650.parquet.ByteArrayInputFile(java.nio.file.Files.readAllBytes(file));
    try (ParquetFileReader reader = ParquetFileReader.open(in, OPTIONS.get())) {
      MessageType schema = reader.getFooter().getFileMetaData().getSchema();
      for (PageReadStore pages = reader.readNextRowGroup();
          pages != null;
          pages = reader.readNextRowGroup()) {
        RecordReader<Group> records =
            new ColumnIOFactory()
                .getColumnIO(schema)
                .getRecordReader(pages, new GroupRecordConverter(schema));
        for (long i = 0; i < pages.getRowCount(); i++) {
          Group g = records.read();
          Map<String, Object> row = new LinkedHashMap<>();
          for (int f = 0; f < g.getType().getFieldCount(); f++) {
            Type field = g.getType().getType(f);
            row.put(field.getName(), g.getFieldRepetitionCount(f) == 0 ? null : value(g, f, field));
          }
          rows.add(row);
        }
      }
    }
    return rows;
  }

  /** The parquet files under {@code dir} (any depth), hidden ones left out, in path order. */
  public static List<java.nio.file.Path> files(java.nio.file.Path dir) throws IOException {
    try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(dir)) {
      return files
          .filter(
              p -> p.toString().endsWith(".parquet") && !p.getFileName().toString().startsWith("."))
          .sorted()
          .toList();
    }
  }

  /** The schema of a file as parquet-mr prints it. */
  public static org.apache.parquet.schema.MessageType schema(java.nio.file.Path file)
      throws IOException {
    try (var reader =
        org.apache.parquet.hadoop.ParquetFileReader.open(
            org.apache.parquet.hadoop.util.HadoopInputFile.fromPath(
                new org.apache.hadoop.fs.Path(file.toUri()), CONF))) {
      return reader.getFooter().getFileMetaData().getSchema();
    }
  }

  private static Object value(Group g, int i, Type field) {
    if (!field.isPrimitive()) {
      return g.getGroup(i, 0).toString();
    }
    PrimitiveType p = field.asPrimitiveType();
    return switch (p.getPrimitiveTypeName()) {
      case BOOLEAN -> g.getBoolean(i, 0);
      case INT32 -> g.getInteger(i, 0);
      case INT64 -> g.getLong(i, 0);
      case FLOAT -> g.getFloat(i, 0);
      case DOUBLE -> g.getDouble(i, 0);
      case INT96, FIXED_LEN_BYTE_ARRAY -> Arrays.toString(g.getBinary(i, 0).getBytes());
      case BINARY -> binary(g.getBinary(i, 0), p);
    };
  }

  private static Object binary(Binary b, PrimitiveType p) {
    return p.getLogicalTypeAnnotation() != null
        ? b.toStringUsingUTF8()
        : Arrays.toString(b.getBytes());
  }
}
