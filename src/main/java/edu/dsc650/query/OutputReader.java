package edu.dsc650.query;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/** Small file-system helpers on Spark's Hadoop configuration (local paths and HDFS alike). */
public final class OutputReader {
  private OutputReader() {}

  public static FileSystem fs(SparkSession spark, Path path) {
    try {
      return path.getFileSystem(spark.sparkContext().hadoopConfiguration());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static boolean exists(SparkSession spark, Path path) {
    try {
      return fs(spark, path).exists(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
