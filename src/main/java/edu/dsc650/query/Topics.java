package edu.dsc650.query;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The two streams and their schemas. The file stream source needs its schema up front; these are
 * the columns of the published files (the BDD data, with {@code timestamp} set by the replay).
 */
public final class Topics {
  public static final String ACCELERATIONS = "accelerations";
  public static final String LOCATIONS = "locations";

  public static final StructType ACCELERATIONS_SCHEMA =
      new StructType()
          .add("id", DataTypes.StringType)
          .add("ride_id", DataTypes.StringType)
          .add("uuid", DataTypes.StringType)
          .add("timestamp", DataTypes.TimestampType)
          .add("offset", DataTypes.DoubleType)
          .add("x", DataTypes.DoubleType)
          .add("y", DataTypes.DoubleType)
          .add("z", DataTypes.DoubleType)
          .add("timelapse", DataTypes.BooleanType)
          .add("filename", DataTypes.StringType);

  public static final StructType LOCATIONS_SCHEMA =
      new StructType()
          .add("id", DataTypes.StringType)
          .add("ride_id", DataTypes.StringType)
          .add("uuid", DataTypes.StringType)
          .add("timestamp", DataTypes.TimestampType)
          .add("offset", DataTypes.DoubleType)
          .add("course", DataTypes.DoubleType)
          .add("latitude", DataTypes.DoubleType)
          .add("longitude", DataTypes.DoubleType)
          .add("geohash", DataTypes.StringType)
          .add("speed", DataTypes.DoubleType)
          .add("accuracy", DataTypes.DoubleType)
          .add("timelapse", DataTypes.BooleanType)
          .add("filename", DataTypes.StringType);

  private Topics() {}

  /** True for the BDD topics, whose schemas are fixed here. */
  public static boolean isBuiltIn(String topic) {
    return topic.equals(ACCELERATIONS) || topic.equals(LOCATIONS);
  }

  /** A BDD topic's schema. */
  public static StructType schema(String topic) {
    return switch (topic) {
      case ACCELERATIONS -> ACCELERATIONS_SCHEMA;
      case LOCATIONS -> LOCATIONS_SCHEMA;
      default ->
          throw new IllegalArgumentException(
              "not a BDD topic: " + topic + " (its schema is the run's: TopicSchemas)");
    };
  }
}
