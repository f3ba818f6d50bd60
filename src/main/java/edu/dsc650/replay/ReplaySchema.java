package edu.dsc650.replay;

import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/** The two columns the replay depends on, and the schema of a rewritten file. */
public final class ReplaySchema {
  public static final String OFFSET = "offset";
  public static final String TIMESTAMP = "timestamp";

  /** The rewritten event time: microseconds since the epoch, UTC-adjusted, as Spark writes timestamps. */
  static final PrimitiveType TIMESTAMP_TYPE = Types.optional(PrimitiveTypeName.INT64)
      .as(LogicalTypeAnnotation.timestampType(true, TimeUnit.MICROS))
      .named(TIMESTAMP);

  private ReplaySchema() {}

  /**
   * Why a file's schema cannot be replayed, or null if it can: {@code offset} must be a top-level
   * double or float, and a {@code timestamp}, if present, a top-level non-repeated column.
   */
  static String problemWith(MessageType schema) {
    if (!schema.containsField(OFFSET)) {
      return "has no '" + OFFSET + "' column";
    }
    Type offset = schema.getType(OFFSET);
    if (!offset.isPrimitive()
        || offset.isRepetition(Type.Repetition.REPEATED)
        || !(offset.asPrimitiveType().getPrimitiveTypeName() == PrimitiveTypeName.DOUBLE
            || offset.asPrimitiveType().getPrimitiveTypeName() == PrimitiveTypeName.FLOAT)) {
      return "has an '" + OFFSET + "' column of type " + offset.toString().trim()
          + "; it must be a double or float (seconds since the simulation start)";
    }
    if (schema.containsField(TIMESTAMP)) {
      Type ts = schema.getType(TIMESTAMP);
      if (!ts.isPrimitive() || ts.isRepetition(Type.Repetition.REPEATED)) {
        return "has a '" + TIMESTAMP + "' column that is nested or repeated: " + ts.toString().trim();
      }
    }
    return null;
  }

  /** The source schema with {@code timestamp} replaced in place, or appended if it had none. */
  static MessageType rewritten(MessageType source) {
    List<Type> fields = new ArrayList<>(source.getFields().size() + 1);
    boolean replaced = false;
    for (Type field : source.getFields()) {
      if (field.getName().equals(TIMESTAMP)) {
        fields.add(TIMESTAMP_TYPE);
        replaced = true;
      } else {
        fields.add(field);
      }
    }
    if (!replaced) {
      fields.add(TIMESTAMP_TYPE);
    }
    return new MessageType(source.getName(), fields);
  }

  /** The event time of a row: the run's start plus the row's offset, rounded to the microsecond. */
  public static long timestampMicros(long startMicros, double offsetSeconds) {
    return startMicros + Math.round(offsetSeconds * 1_000_000d);
  }
}
