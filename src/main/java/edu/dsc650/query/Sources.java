package edu.dsc650.query;

import edu.dsc650.BadInputException;
import edu.dsc650.io.ResultsLayout;
import edu.dsc650.parquet.spark.SmallFileParquetFormat;
import edu.dsc650.query.spark.PublishedSourceProvider;
import java.util.Locale;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/** The file stream sources over what {@code stream-data} publishes. */
public final class Sources {
  /**
   * Which parquet reader the sources use: {@code small-files} (default, {@link
   * SmallFileParquetFormat}) or {@code spark} (Spark's built-in reader, for comparison or as a way
   * out).
   */
  public static final String READER_KEY = "spark.dsc650.parquetReader";

  private Sources() {}

  /**
   * Which source reads the replay's topics: {@code published} (default, {@link PublishedSource}:
   * the replay's publish log, a batch at a time) or {@code files} (Spark's file source over the
   * file-sink log, as any other Spark reader; its cost and checkpoint grow with every file
   * published).
   */
  public static final String SOURCE_KEY = "spark.dsc650.inputSource";

  /**
   * A topic as a stream: every parquet file the replay publishes under {@code
   * <results>/input/<topic>/}.
   */
  public static Dataset<Row> stream(
      SparkSession spark, ResultsLayout layout, String topic, StructType schema) {
    if (usesFileSource(spark)) {
      return stream(spark, layout.input(topic), schema);
    }
    return spark
        .readStream()
        .format(PublishedSourceProvider.class.getName())
        .schema(schema)
        .option("format", format(spark.conf().get(READER_KEY, "small-files")))
        .load(layout.input(topic).toString());
  }

  /** True if the topics are read with Spark's file source ({@link #SOURCE_KEY} = files). */
  static boolean usesFileSource(SparkSession spark) {
    String source = spark.conf().get(SOURCE_KEY, "published").toLowerCase(Locale.ROOT);
    return switch (source) {
      case "files" -> true;
      case "published" -> false;
      default ->
          throw new BadInputException(
              SOURCE_KEY + " must be published or files, not '" + source + "'");
    };
  }

  /** The parquet files that appear under {@code folder}, as a stream of rows of {@code schema}. */
  static Dataset<Row> stream(SparkSession spark, Path folder, StructType schema) {
    return spark
        .readStream()
        .format(format(spark.conf().get(READER_KEY, "small-files")))
        .schema(schema)
        .option("recursiveFileLookup", "true")
        .load(folder.toString());
  }

  /**
   * What has been published under {@code <results>/input/<topic>/} so far, as a batch with {@code
   * topic}'s schema (the report reads it; thousands of small files, so the same reader as the
   * stream).
   */
  public static Dataset<Row> published(SparkSession spark, ResultsLayout layout, String topic) {
    return spark
        .read()
        .format(format(spark.conf().get(READER_KEY, "small-files")))
        .schema(Topics.schema(topic))
        .option("recursiveFileLookup", "true")
        .load(layout.input(topic).toString());
  }

  /** Checks the reader setting before anything starts: a bad value is bad input. */
  static void checkReader(SparkSession spark) {
    format(spark.conf().get(READER_KEY, "small-files"));
    usesFileSource(spark);
  }

  private static String format(String reader) {
    return switch (reader.toLowerCase(Locale.ROOT)) {
      case "small-files" -> SmallFileParquetFormat.class.getName();
      case "spark" -> "parquet";
      default ->
          throw new BadInputException(
              READER_KEY + " must be small-files or spark, not '" + reader + "'");
    };
  }
}
