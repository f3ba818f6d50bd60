package edu.dsc650.parquet;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.impl.ColumnReaderImpl;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.FieldRepetitionType;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.SchemaElement;
import org.apache.parquet.format.Type;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;

/**
 * The ride key columns ({@code uuid}, {@code ride_id}) of the copies that {@code --scale} replays:
 * read once from a source row group, then written anew for each copy with every value renamed.
 */
public final class CopyKeyColumns {
  /** The key of copy {@code copy} of a ride whose key is {@code original}. */
  @FunctionalInterface
  public interface Names {
    String of(String original, int copy);
  }

  private final Names names;
  private final ColumnPages pages;
  private final DictionaryStringColumnWriter strings;

  /** Keys of copies already derived: "copy:key" to the copy's key; cleared when it grows large. */
  private final Map<String, String> copyKeys = new HashMap<>();

  CopyKeyColumns(Names names, ColumnPages pages, DictionaryStringColumnWriter strings) {
    this.names = names;
    this.pages = pages;
    this.strings = strings;
  }

  /** The values of each ride key column of a row group (null for a null). */
  String[][] read(byte[] source, RowGroup group, ReplaySchema.Layout layout) throws IOException {
    String[][] keys = new String[layout.rideKeys().size()][];
    for (int k = 0; k < keys.length; k++) {
      SchemaElement element = layout.rideKeys().get(k).element();
      if (element.getType() != Type.BYTE_ARRAY) {
        throw new IOException(
            "its '"
                + element.getName()
                + "' column is not a string, so its copies cannot be named");
      }
      boolean optional = element.getRepetition_type() != FieldRepetitionType.REQUIRED;
      PrimitiveType type =
          Types.primitive(
                  PrimitiveTypeName.BINARY,
                  optional
                      ? org.apache.parquet.schema.Type.Repetition.OPTIONAL
                      : org.apache.parquet.schema.Type.Repetition.REQUIRED)
              .named(element.getName());
      ColumnDescriptor column =
          new ColumnDescriptor(new String[] {element.getName()}, type, 0, optional ? 1 : 0);
      ColumnMetaData chunk = group.getColumns().get(layout.rideKeys().get(k).leaf()).getMeta_data();
      ColumnReaderImpl reader = pages.reader(source, chunk, column);
      if (reader.getTotalValueCount() != group.getNum_rows()) {
        throw new IOException(
            "the "
                + element.getName()
                + " column has "
                + reader.getTotalValueCount()
                + " values for "
                + group.getNum_rows()
                + " rows");
      }
      String[] values = new String[Math.toIntExact(group.getNum_rows())];
      org.apache.parquet.io.api.Binary previous =
          null; // a ride's rows come in runs: one string per run
      String previousString = null;
      for (int row = 0; row < values.length; row++) {
        if (reader.getCurrentDefinitionLevel() == column.getMaxDefinitionLevel()) {
          org.apache.parquet.io.api.Binary value = reader.getBinary();
          if (!value.equals(previous)) {
            previous = value.copy();
            previousString = previous.toStringUsingUTF8();
          }
          values[row] = previousString;
        }
        reader.consume();
      }
      keys[k] = values;
    }
    return keys;
  }

  /**
   * Writes a ride key column into {@code out} with each value replaced by that of copy {@code
   * copy}.
   */
  ColumnChunk write(
      String[] originals,
      SchemaElement element,
      int copy,
      CompressionCodecName codec,
      Positioned out)
      throws IOException {
    if (copyKeys.size() > 100_000) {
      copyKeys.clear();
    }
    String[] values = new String[originals.length];
    for (int row = 0; row < values.length; row++) {
      String original = originals[row];
      if (original == null) {
        continue;
      }
      values[row] =
          row > 0 && original == originals[row - 1]
              ? values[row - 1]
              : copyKeys.computeIfAbsent(copy + ":" + original, k -> names.of(original, copy));
    }
    boolean optional = element.getRepetition_type() != FieldRepetitionType.REQUIRED;
    return strings.write(values, optional, element.getName(), codec, out);
  }
}
