package edu.dsc650.parquet;

import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.format.ConvertedType;
import org.apache.parquet.format.FieldRepetitionType;
import org.apache.parquet.format.LogicalType;
import org.apache.parquet.format.MicroSeconds;
import org.apache.parquet.format.SchemaElement;
import org.apache.parquet.format.TimeUnit;
import org.apache.parquet.format.TimestampType;
import org.apache.parquet.format.Type;

/**
 * The two columns a replay depends on, found in a parquet schema (the format's flat list of schema
 * elements: the root, then every field depth-first), and the schema of a rewritten file.
 */
public final class ReplaySchema {
  public static final String OFFSET = "offset";
  public static final String TIMESTAMP = "timestamp";

  /** The columns that name a ride; {@code --scale} gives each copy of a ride new values in them. */
  public static final List<String> RIDE_KEYS = List.of("uuid", "ride_id");

  /**
   * Where the replay's columns are. Leaves are numbered in schema order, which is also the order of
   * the column chunks in every row group.
   *
   * @param offsetElement the index of {@code offset} in the schema list
   * @param timestampLeaf the leaf of an existing {@code timestamp} column, or -1 if it has none
   * @param timestampElement its index in the schema list, or -1
   * @param rideKeys the top-level {@link #RIDE_KEYS} columns the file has, in schema order
   */
  record Layout(
      int leaves,
      int offsetLeaf,
      SchemaElement offset,
      int offsetElement,
      int timestampLeaf,
      int timestampElement,
      List<RideKey> rideKeys) {

    /** The ride key column at {@code leaf}, or null. */
    RideKey rideKey(int leaf) {
      for (RideKey key : rideKeys) {
        if (key.leaf() == leaf) {
          return key;
        }
      }
      return null;
    }
  }

  /** A ride key column: its leaf and schema element. */
  record RideKey(int leaf, SchemaElement element) {}

  private ReplaySchema() {}

  /**
   * The schema a source file's rewrite has: files of one slice merge into one file only if theirs
   * are equal.
   */
  public record Rewritten(List<SchemaElement> elements) {}

  /**
   * Checks that a source file can be replayed (and its rides copied, for {@code --scale}) and
   * returns the schema of its rewrite.
   *
   * @throws IllegalArgumentException saying what is wrong, as "has no 'offset' column" and the like
   */
  public static Rewritten check(ParquetFile file, boolean rideKeys) {
    Layout layout = layout(file.footer().getSchema());
    if (rideKeys) {
      requireRideKeys(layout);
    }
    return new Rewritten(rewritten(file.footer().getSchema(), layout));
  }

  /** The event time of a row: the run's start plus the row's offset, rounded to the microsecond. */
  /**
   * The largest offset (and the negative the smallest) a row may have, in seconds: about 31 years,
   * so that start + offset stays far from the year 9000 (where end-of-stream markers are) and from
   * the overflow of microseconds in a long. An offset in milliseconds of a long recording passes;
   * one of a later unit, or a clock time, does not.
   */
  public static final double MAX_OFFSET_SECONDS = 1e9;

  public static long timestampMicros(long startMicros, double offsetSeconds) {
    return startMicros + Math.round(offsetSeconds * 1_000_000d);
  }

  /**
   * Finds the replay's columns.
   *
   * @throws IllegalArgumentException saying what is wrong when the schema cannot be replayed:
   *     {@code offset} must be a top-level double or float, {@code timestamp} (if any) a top-level
   *     non-repeated primitive
   */
  static Layout layout(List<SchemaElement> schema) {
    if (schema.isEmpty()) {
      throw new IllegalArgumentException("has an empty schema");
    }
    int children = schema.get(0).getNum_children();
    int element = 1;
    int leaf = 0;
    int offsetLeaf = -1;
    SchemaElement offset = null;
    int offsetElement = -1;
    int timestampLeaf = -1;
    int timestampElement = -1;
    List<RideKey> rideKeys = new ArrayList<>();
    for (int child = 0; child < children; child++) {
      SchemaElement field = schema.get(element);
      int[] size = subtreeSize(schema, element);
      if (field.getName().equals(OFFSET)) {
        if (size[1] != 1
            || field.isSetNum_children()
            || isRepeated(field)
            || !(field.getType() == Type.DOUBLE || field.getType() == Type.FLOAT)) {
          throw new IllegalArgumentException(
              "has an '"
                  + OFFSET
                  + "' column of type "
                  + (field.isSetType() ? field.getType() : "group")
                  + (isRepeated(field) ? " (repeated)" : "")
                  + "; it must be a double or float (seconds since the simulation start)");
        }
        offsetLeaf = leaf;
        offset = field;
        offsetElement = element;
      } else if (field.getName().equals(TIMESTAMP)) {
        if (field.isSetNum_children() || isRepeated(field)) {
          throw new IllegalArgumentException(
              "has a '" + TIMESTAMP + "' column that is nested or repeated");
        }
        timestampLeaf = leaf;
        timestampElement = element;
      } else if (RIDE_KEYS.contains(field.getName())) {
        rideKeys.add(new RideKey(leaf, field));
      }
      element += size[0];
      leaf += size[1];
    }
    if (offset == null) {
      throw new IllegalArgumentException("has no '" + OFFSET + "' column");
    }
    return new Layout(
        leaf,
        offsetLeaf,
        offset,
        offsetElement,
        timestampLeaf,
        timestampElement,
        List.copyOf(rideKeys));
  }

  /**
   * Checks that copies of the file's rides can be told apart ({@code --scale}): it has a top-level
   * {@code uuid} string column, and {@code ride_id}, if it has one, is a string too.
   *
   * @throws IllegalArgumentException saying what is missing
   */
  static void requireRideKeys(Layout layout) {
    if (layout.rideKeys().stream().noneMatch(k -> k.element().getName().equals("uuid"))) {
      throw new IllegalArgumentException(
          "has no 'uuid' column, so the copies of its rides that --scale makes "
              + "could not be told apart");
    }
    for (RideKey key : layout.rideKeys()) {
      SchemaElement e = key.element();
      if (e.isSetNum_children() || isRepeated(e) || e.getType() != Type.BYTE_ARRAY) {
        throw new IllegalArgumentException(
            "has a '"
                + e.getName()
                + "' column that is not a string; --scale "
                + "gives each copy of a ride a new "
                + e.getName()
                + " and needs one");
      }
    }
  }

  /** {elements, leaves} of the field starting at {@code element}, itself included. */
  private static int[] subtreeSize(List<SchemaElement> schema, int element) {
    if (element >= schema.size()) {
      throw new IllegalArgumentException("has a truncated schema");
    }
    SchemaElement field = schema.get(element);
    if (!field.isSetNum_children()) {
      return new int[] {1, 1};
    }
    int elements = 1;
    int leaves = 0;
    for (int child = 0; child < field.getNum_children(); child++) {
      int[] size = subtreeSize(schema, element + elements);
      elements += size[0];
      leaves += size[1];
    }
    return new int[] {elements, leaves};
  }

  private static boolean isRepeated(SchemaElement field) {
    return field.isSetRepetition_type()
        && field.getRepetition_type() == FieldRepetitionType.REPEATED;
  }

  /** The schema with {@code timestamp} replaced in place, or appended as the last column. */
  static List<SchemaElement> rewritten(List<SchemaElement> schema, Layout layout) {
    List<SchemaElement> out = new ArrayList<>(schema.size() + 1);
    for (SchemaElement element : schema) {
      out.add(element.deepCopy());
    }
    if (layout.offset().getType() == Type.FLOAT) {
      // widened to an optional double: one type for the readers of every replayed file
      SchemaElement element = out.get(layout.offsetElement());
      element.setType(Type.DOUBLE);
      element.setRepetition_type(FieldRepetitionType.OPTIONAL);
      element.unsetConverted_type();
      element.unsetLogicalType();
    }
    if (layout.timestampElement() >= 0) {
      SchemaElement old = schema.get(layout.timestampElement());
      out.set(
          layout.timestampElement(),
          timestampElement(old.isSetField_id() ? old.getField_id() : null));
    } else {
      out.add(timestampElement(null));
      out.get(0).setNum_children(out.get(0).getNum_children() + 1);
    }
    return out;
  }

  /** {@code optional int64 timestamp (TIMESTAMP(MICROS, true))}, as Spark writes timestamps. */
  private static SchemaElement timestampElement(Integer fieldId) {
    SchemaElement ts = new SchemaElement(TIMESTAMP);
    ts.setType(Type.INT64);
    ts.setRepetition_type(FieldRepetitionType.OPTIONAL);
    ts.setConverted_type(ConvertedType.TIMESTAMP_MICROS);
    ts.setLogicalType(
        LogicalType.TIMESTAMP(new TimestampType(true, TimeUnit.MICROS(new MicroSeconds()))));
    if (fieldId != null) {
      ts.setField_id(fieldId);
    }
    return ts;
  }
}
