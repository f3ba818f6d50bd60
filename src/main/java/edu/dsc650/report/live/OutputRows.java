package edu.dsc650.report.live;

import edu.dsc650.io.Storage;
import edu.dsc650.parquet.ByteArrayInputFile;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * The rows of a query's output file, a few columns of them, with parquet-mr's record API: the live
 * page reads each micro-batch's new files once, without Spark. Timestamps (Spark writes them as
 * microseconds) come back as epoch milliseconds, strings as strings, a missing value as null.
 */
final class OutputRows {
  private OutputRows() {}

  /** A file's columns and its first rows, for a query whose columns are not known beforehand. */
  record Table(
      List<String> columns, List<String> timestamps, List<List<Object>> rows, long total) {}

  /**
   * Every column of {@code file}, in its order, and its first {@code shown} rows; a nested value as
   * text.
   */
  static Table first(Storage storage, Path file, int shown) throws IOException {
    return table(storage, file, column -> true, shown);
  }

  /** Every row of {@code file}, with the {@code columns} it has, by name. */
  static List<Map<String, Object>> read(Storage storage, Path file, Set<String> columns)
      throws IOException {
    Table t = table(storage, file, columns::contains, Integer.MAX_VALUE);
    List<Map<String, Object>> rows = new ArrayList<>(t.rows().size());
    for (List<Object> values : t.rows()) {
      Map<String, Object> row = new HashMap<>();
      for (int f = 0; f < values.size(); f++) {
        row.put(t.columns().get(f), values.get(f));
      }
      rows.add(row);
    }
    return rows;
  }

  /** The columns {@code keep} names (only those are read), in file order, and the first rows. */
  private static Table table(
      Storage storage, Path file, java.util.function.Predicate<String> keep, int limit)
      throws IOException {
    try (ParquetFileReader reader =
        ParquetFileReader.open(
            new ByteArrayInputFile(storage.readAll(file)), ParquetReadOptions.builder().build())) {
      MessageType schema = reader.getFooter().getFileMetaData().getSchema();
      MessageType requested =
          new MessageType(
              schema.getName(),
              schema.getFields().stream().filter(f -> keep.test(f.getName())).toList());
      reader.setRequestedSchema(requested);
      List<String> columns = new ArrayList<>();
      List<String> timestamps = new ArrayList<>();
      for (Type f : requested.getFields()) {
        columns.add(f.getName());
        if (f.isPrimitive() && isTimestamp(f.asPrimitiveType())) {
          timestamps.add(f.getName());
        }
      }
      List<List<Object>> rows = new ArrayList<>();
      for (PageReadStore pages = reader.readNextRowGroup();
          pages != null && rows.size() < limit;
          pages = reader.readNextRowGroup()) {
        RecordReader<Group> records =
            new ColumnIOFactory()
                .getColumnIO(requested, schema)
                .getRecordReader(pages, new GroupRecordConverter(requested));
        for (long i = 0; i < pages.getRowCount() && rows.size() < limit; i++) {
          Group g = records.read();
          List<Object> row = new ArrayList<>(requested.getFieldCount());
          for (int f = 0; f < requested.getFieldCount(); f++) {
            row.add(g.getFieldRepetitionCount(f) == 0 ? null : value(g, f, requested.getType(f)));
          }
          rows.add(row);
        }
      }
      return new Table(columns, timestamps, rows, reader.getRecordCount());
    }
  }

  private static Object value(Group g, int i, Type field) {
    if (!field.isPrimitive()) {
      return g.getGroup(i, 0).toString().strip().replace('\n', ' '); // a struct, a list: as text
    }
    PrimitiveType p = field.asPrimitiveType();
    return switch (p.getPrimitiveTypeName()) {
      case INT64 -> isTimestamp(p) ? g.getLong(i, 0) / 1000 : g.getLong(i, 0);
      case INT32 -> (long) g.getInteger(i, 0);
      case DOUBLE -> g.getDouble(i, 0);
      case FLOAT -> (double) g.getFloat(i, 0);
      case BINARY -> g.getString(i, 0);
      case BOOLEAN -> g.getBoolean(i, 0);
      default -> g.getValueToString(i, 0);
    };
  }

  private static boolean isTimestamp(PrimitiveType p) {
    return p.getLogicalTypeAnnotation()
        instanceof org.apache.parquet.schema.LogicalTypeAnnotation.TimestampLogicalTypeAnnotation;
  }
}
