package edu.dsc650.parquet.spark;

import edu.dsc650.parquet.Codecs;
import edu.dsc650.parquet.ColumnPages;
import edu.dsc650.parquet.ParquetBytes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.impl.ColumnReaderImpl;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.ConvertedType;
import org.apache.parquet.format.FieldRepetitionType;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.KeyValue;
import org.apache.parquet.format.LogicalType;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.SchemaElement;
import org.apache.parquet.format.TimeUnit;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type.Repetition;
import org.apache.parquet.schema.Types;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.catalyst.expressions.codegen.UnsafeRowWriter;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Decodes a whole parquet file held in memory into Spark rows: the requested columns, then the
 * partition values. It handles flat files of the plain types the queries use and answers {@code
 * null} for anything else (nested columns, INT96, decimals, old dates that Spark may rebase, files
 * written by Spark 2), so that the caller hands those files to Spark's own reader and gets Spark's
 * behaviour, errors included.
 *
 * <p>Not thread-safe: use one instance per thread.
 */
public final class SmallFileParquetReader {
  // Spark rebases (or refuses) timestamps from before the Gregorian switch, depending on the writer
  // and settings; leave every file with a timestamp before 1900 to Spark's reader.
  private static final long EARLIEST_PLAIN_TIMESTAMP_MICROS = -2_208_988_800_000_000L;

  /** How a column's values are decoded and written into a row. */
  private enum Kind {
    STRING,
    DOUBLE,
    FLOAT,
    LONG,
    INT,
    BOOLEAN,
    TIMESTAMP_MICROS,
    TIMESTAMP_MILLIS
  }

  /**
   * A requested column: where it is in the file (-1 when absent: all nulls) and how to decode it.
   */
  private record Column(int leaf, Kind kind, ColumnDescriptor descriptor) {}

  /** What {@link #decode} answers when a value needs Spark's reader. */
  private static final Values NEEDS_SPARKS_READER = new Values(Kind.BOOLEAN, 0);

  private final StructType required;
  private final Kind[] partitionKinds;
  private final ColumnPages pages = new ColumnPages(new Codecs());

  public SmallFileParquetReader(StructType required, StructType partition) {
    this.required = required;
    this.partitionKinds = new Kind[partition.size()];
    for (int p = 0; p < partitionKinds.length; p++) {
      partitionKinds[p] = kindOf(partition.fields()[p].dataType());
    }
  }

  /** Whether partition values of these types can be written by this reader. */
  public static boolean supportsPartitionSchema(StructType partition) {
    for (StructField f : partition.fields()) {
      if (kindOf(f.dataType()) == null) {
        return false;
      }
    }
    return true;
  }

  /**
   * The rows of a whole file, or {@code null} when the file needs Spark's reader.
   *
   * @throws IOException if the bytes are not a readable parquet file
   */
  public Iterator<InternalRow> read(byte[] file, InternalRow partitionValues) throws IOException {
    FileMetaData footer = ParquetBytes.footer(file, false);
    if (writtenBySparkWithLegacyDates(footer)) {
      return null;
    }
    List<Column> columns = columnsOf(footer.getSchema());
    if (columns == null) {
      return null;
    }
    List<Values[]> groups = new ArrayList<>();
    List<Integer> groupRows = new ArrayList<>();
    for (RowGroup group : footer.getRow_groups()) {
      int rows = Math.toIntExact(group.getNum_rows());
      Values[] values = new Values[columns.size()];
      for (int c = 0; c < columns.size(); c++) {
        Column column = columns.get(c);
        values[c] =
            column.leaf < 0
                ? null
                : decode(file, group.getColumns().get(column.leaf), column, rows);
        if (values[c] == NEEDS_SPARKS_READER) {
          return null;
        }
      }
      groups.add(values);
      groupRows.add(rows);
    }
    return new Rows(columns, groups, groupRows, partitionValues);
  }

  /** Files written by Spark with its legacy (hybrid calendar) dates need Spark's rebasing. */
  private static boolean writtenBySparkWithLegacyDates(FileMetaData footer) {
    if (!footer.isSetKey_value_metadata()) {
      return false;
    }
    for (KeyValue kv : footer.getKey_value_metadata()) {
      if (kv.getKey().startsWith("org.apache.spark.legacy")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Matches the requested fields to the file's top-level columns, or null if one cannot be read
   * here.
   */
  private List<Column> columnsOf(List<SchemaElement> schema) {
    List<SchemaElement> leaves = schema.subList(1, schema.size());
    for (SchemaElement e : leaves) {
      if (e.isSetNum_children() && e.getNum_children() > 0) {
        return null; // nested: leaf positions are not top-level positions
      }
    }
    List<Column> columns = new ArrayList<>();
    for (StructField field : required.fields()) {
      int leaf = find(leaves, field.name());
      if (leaf == -2) {
        return null;
      }
      if (leaf == -1) {
        columns.add(new Column(-1, kindOf(field.dataType()), null));
        continue;
      }
      SchemaElement e = leaves.get(leaf);
      Kind kind = kindOf(field.dataType(), e);
      if (kind == null || e.getRepetition_type() == FieldRepetitionType.REPEATED) {
        return null;
      }
      boolean optional = e.getRepetition_type() == FieldRepetitionType.OPTIONAL;
      ColumnDescriptor descriptor =
          new ColumnDescriptor(
              new String[] {e.getName()},
              Types.primitive(physical(kind), optional ? Repetition.OPTIONAL : Repetition.REQUIRED)
                  .named(e.getName()),
              0,
              optional ? 1 : 0);
      columns.add(new Column(leaf, kind, descriptor));
    }
    return columns;
  }

  /**
   * The leaf with this name: exact match first, then the one case-insensitive match; -1 none, -2
   * ambiguous.
   */
  private static int find(List<SchemaElement> leaves, String name) {
    int found = -1;
    for (int i = 0; i < leaves.size(); i++) {
      if (leaves.get(i).getName().equals(name)) {
        return i;
      }
    }
    for (int i = 0; i < leaves.size(); i++) {
      if (leaves.get(i).getName().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
        if (found >= 0) {
          return -2;
        }
        found = i;
      }
    }
    return found;
  }

  /** The kind for a Spark type, or null if this reader does not write it. */
  private static Kind kindOf(DataType type) {
    if (type.equals(DataTypes.StringType)) {
      return Kind.STRING;
    } else if (type.equals(DataTypes.DoubleType)) {
      return Kind.DOUBLE;
    } else if (type.equals(DataTypes.FloatType)) {
      return Kind.FLOAT;
    } else if (type.equals(DataTypes.LongType)) {
      return Kind.LONG;
    } else if (type.equals(DataTypes.IntegerType)) {
      return Kind.INT;
    } else if (type.equals(DataTypes.BooleanType)) {
      return Kind.BOOLEAN;
    } else if (type.equals(DataTypes.TimestampType)) {
      return Kind.TIMESTAMP_MICROS;
    }
    return null;
  }

  /** The kind when the file's column holds exactly what Spark reads as this type, else null. */
  private static Kind kindOf(DataType type, SchemaElement e) {
    Kind wanted = kindOf(type);
    if (wanted == null || !e.isSetType()) {
      return null;
    }
    boolean plain = !e.isSetConverted_type() && !e.isSetLogicalType();
    return switch (e.getType()) {
      case BYTE_ARRAY -> wanted == Kind.STRING && (plain || isString(e)) ? Kind.STRING : null;
      case DOUBLE -> wanted == Kind.DOUBLE && plain ? Kind.DOUBLE : null;
      case FLOAT -> wanted == Kind.FLOAT && plain ? Kind.FLOAT : null;
      case BOOLEAN -> wanted == Kind.BOOLEAN && plain ? Kind.BOOLEAN : null;
      case INT32 ->
          wanted == Kind.INT && (plain || e.getConverted_type() == ConvertedType.INT_32)
              ? Kind.INT
              : null;
      case INT64 -> {
        if (wanted == Kind.LONG) {
          yield plain || e.getConverted_type() == ConvertedType.INT_64 ? Kind.LONG : null;
        }
        yield wanted == Kind.TIMESTAMP_MICROS ? timestampKind(e) : null;
      }
      default -> null;
    };
  }

  private static boolean isString(SchemaElement e) {
    if (e.isSetLogicalType()) {
      LogicalType t = e.getLogicalType();
      return t.isSetSTRING() || t.isSetENUM() || t.isSetJSON();
    }
    ConvertedType c = e.getConverted_type();
    return c == ConvertedType.UTF8 || c == ConvertedType.ENUM || c == ConvertedType.JSON;
  }

  /** UTC-adjusted micros or millis; local (NTZ) and nanosecond timestamps are left to Spark. */
  private static Kind timestampKind(SchemaElement e) {
    if (e.isSetLogicalType()) {
      if (!e.getLogicalType().isSetTIMESTAMP()
          || !e.getLogicalType().getTIMESTAMP().isIsAdjustedToUTC()) {
        return null;
      }
      TimeUnit unit = e.getLogicalType().getTIMESTAMP().getUnit();
      return unit.isSetMICROS()
          ? Kind.TIMESTAMP_MICROS
          : unit.isSetMILLIS() ? Kind.TIMESTAMP_MILLIS : null;
    }
    if (e.getConverted_type() == ConvertedType.TIMESTAMP_MICROS) {
      return Kind.TIMESTAMP_MICROS;
    }
    return e.getConverted_type() == ConvertedType.TIMESTAMP_MILLIS ? Kind.TIMESTAMP_MILLIS : null;
  }

  private static PrimitiveTypeName physical(Kind kind) {
    return switch (kind) {
      case STRING -> PrimitiveTypeName.BINARY;
      case DOUBLE -> PrimitiveTypeName.DOUBLE;
      case FLOAT -> PrimitiveTypeName.FLOAT;
      case LONG, TIMESTAMP_MICROS, TIMESTAMP_MILLIS -> PrimitiveTypeName.INT64;
      case INT -> PrimitiveTypeName.INT32;
      case BOOLEAN -> PrimitiveTypeName.BOOLEAN;
    };
  }

  /** One column chunk's values, or {@link #NEEDS_SPARKS_READER}. */
  private Values decode(byte[] file, ColumnChunk chunk, Column column, int rows)
      throws IOException {
    ColumnReaderImpl reader = pages.reader(file, chunk.getMeta_data(), column.descriptor);
    if (reader.getTotalValueCount() != rows) {
      throw new IOException(
          "column "
              + column.descriptor.getPath()[0]
              + " has "
              + reader.getTotalValueCount()
              + " values for "
              + rows
              + " rows");
    }
    int max = column.descriptor.getMaxDefinitionLevel();
    Values values = new Values(column.kind, rows);
    for (int row = 0; row < rows; row++) {
      if (reader.getCurrentDefinitionLevel() < max) {
        values.nulls[row] = true;
      } else {
        switch (column.kind) {
          case STRING -> values.strings[row] = UTF8String.fromBytes(reader.getBinary().getBytes());
          case DOUBLE -> values.longs[row] = Double.doubleToRawLongBits(reader.getDouble());
          case FLOAT -> values.longs[row] = Float.floatToRawIntBits(reader.getFloat());
          case LONG -> values.longs[row] = reader.getLong();
          case INT -> values.longs[row] = reader.getInteger();
          case BOOLEAN -> values.longs[row] = reader.getBoolean() ? 1 : 0;
          case TIMESTAMP_MICROS, TIMESTAMP_MILLIS -> {
            long v = reader.getLong();
            long micros = column.kind == Kind.TIMESTAMP_MILLIS ? Math.multiplyExact(v, 1000L) : v;
            if (micros < EARLIEST_PLAIN_TIMESTAMP_MICROS) {
              return NEEDS_SPARKS_READER;
            }
            values.longs[row] = micros;
          }
        }
      }
      reader.consume();
    }
    return values;
  }

  /** A decoded column: strings, or every other kind as the bits of a long; a null flag per row. */
  private static final class Values {
    final boolean[] nulls;
    final long[] longs;
    final UTF8String[] strings;

    Values(Kind kind, int rows) {
      nulls = new boolean[rows];
      longs = kind == Kind.STRING ? null : new long[rows];
      strings = kind == Kind.STRING ? new UTF8String[rows] : null;
    }
  }

  /**
   * The rows of the decoded row groups, written one at a time into one reused {@link UnsafeRow}.
   */
  private final class Rows implements Iterator<InternalRow> {
    private final List<Column> columns;
    private final List<Values[]> groups;
    private final List<Integer> groupRows;
    private final InternalRow partitionValues;
    private final UnsafeRowWriter writer;
    private int group;
    private int row;

    Rows(
        List<Column> columns,
        List<Values[]> groups,
        List<Integer> groupRows,
        InternalRow partitionValues) {
      this.columns = columns;
      this.groups = groups;
      this.groupRows = groupRows;
      this.partitionValues = partitionValues;
      this.writer = new UnsafeRowWriter(columns.size() + partitionKinds.length, 256);
    }

    @Override
    public boolean hasNext() {
      while (group < groups.size() && row >= groupRows.get(group)) {
        group++;
        row = 0;
      }
      return group < groups.size();
    }

    @Override
    public InternalRow next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Values[] values = groups.get(group);
      writer.reset();
      writer.zeroOutNullBytes();
      for (int c = 0; c < columns.size(); c++) {
        Values v = values[c];
        if (v == null || v.nulls[row]) {
          writer.setNullAt(c);
        } else {
          write(c, columns.get(c).kind, v, row);
        }
      }
      for (int p = 0; p < partitionKinds.length; p++) {
        writePartitionValue(columns.size() + p, p);
      }
      row++;
      return writer.getRow();
    }

    private void write(int ordinal, Kind kind, Values v, int r) {
      long bits = kind == Kind.STRING ? 0 : v.longs[r];
      switch (kind) {
        case STRING -> writer.write(ordinal, v.strings[r]);
        case DOUBLE -> writer.write(ordinal, Double.longBitsToDouble(bits));
        case FLOAT -> writer.write(ordinal, Float.intBitsToFloat((int) bits));
        case LONG, TIMESTAMP_MICROS, TIMESTAMP_MILLIS -> writer.write(ordinal, bits);
        case INT -> writer.write(ordinal, (int) bits);
        case BOOLEAN -> writer.write(ordinal, bits != 0);
      }
    }

    private void writePartitionValue(int ordinal, int p) {
      if (partitionValues.isNullAt(p)) {
        writer.setNullAt(ordinal);
        return;
      }
      switch (partitionKinds[p]) {
        case STRING -> writer.write(ordinal, partitionValues.getUTF8String(p));
        case DOUBLE -> writer.write(ordinal, partitionValues.getDouble(p));
        case FLOAT -> writer.write(ordinal, partitionValues.getFloat(p));
        case LONG, TIMESTAMP_MICROS, TIMESTAMP_MILLIS ->
            writer.write(ordinal, partitionValues.getLong(p));
        case INT -> writer.write(ordinal, partitionValues.getInt(p));
        case BOOLEAN -> writer.write(ordinal, partitionValues.getBoolean(p));
      }
    }
  }
}
