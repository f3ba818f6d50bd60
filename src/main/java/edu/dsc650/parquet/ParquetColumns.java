package edu.dsc650.parquet;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.format.SchemaElement;

/**
 * The top-level columns of a parquet file as its footer declares them, for checks before reading
 * it.
 */
public final class ParquetColumns {
  /** A column's physical type; {@code GROUP} for a nested one. */
  public enum Kind {
    BOOLEAN,
    INT32,
    INT64,
    INT96,
    FLOAT,
    DOUBLE,
    BYTE_ARRAY,
    FIXED_LEN_BYTE_ARRAY,
    GROUP
  }

  /** One column: its kind and how the footer describes it ("INT64 (TIMESTAMP_MICROS)"). */
  public record Column(String name, Kind kind, String description) {}

  private ParquetColumns() {}

  /** The top-level columns of the whole file {@code bytes}, by name, in schema order. */
  public static Map<String, Column> of(byte[] bytes) throws IOException {
    List<SchemaElement> schema = ParquetBytes.footer(bytes, true).getSchema();
    Map<String, Column> columns = new LinkedHashMap<>();
    int element = 1;
    for (int child = 0; child < schema.get(0).getNum_children(); child++) {
      SchemaElement e = schema.get(element);
      Kind kind = e.isSetType() ? Kind.valueOf(e.getType().name()) : Kind.GROUP;
      String description =
          e.isSetType()
              ? e.getType().name()
                  + (e.isSetConverted_type() ? " (" + e.getConverted_type() + ")" : "")
              : "a group of " + e.getNum_children() + " fields";
      columns.put(e.getName(), new Column(e.getName(), kind, description));
      element += subtree(schema, element);
    }
    return columns;
  }

  /** How many schema elements the field at {@code element} spans, itself included. */
  private static int subtree(List<SchemaElement> schema, int element) {
    int size = 1;
    for (int child = 0; child < schema.get(element).getNum_children(); child++) {
      size += subtree(schema, element + size);
    }
    return size;
  }
}
