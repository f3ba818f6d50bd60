package edu.dsc650.report;

import edu.dsc650.io.ResultsLayout;
import edu.dsc650.io.Storage;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A results folder as the report reads it, with what it did not find and what it left out to keep
 * the page small: each section notes its own, and the page lists them.
 */
final class ResultsReader {
  /** A ride's points on the page, at most (the latest). */
  static final int MAX_POINTS_PER_RIDE = 2_000;

  final SparkSession spark;
  final Storage storage;
  final ResultsLayout layout;
  final List<String> missing = new ArrayList<>();
  final List<String> leftOut = new ArrayList<>();

  ResultsReader(SparkSession spark, Storage storage, ResultsLayout layout) {
    this.spark = spark;
    this.storage = storage;
    this.layout = layout;
  }

  void missing(String what) {
    missing.add(what);
  }

  /** Notes once that the page shows less than there is. */
  void leftOut(String note) {
    if (!leftOut.contains(note)) {
      leftOut.add(note);
    }
  }

  /** A ride's latest {@link #MAX_POINTS_PER_RIDE} points (in time order); said once if cut. */
  <T> List<T> latestPoints(List<T> points, String what) {
    if (points.size() <= MAX_POINTS_PER_RIDE) {
      return points;
    }
    leftOut("each ride's latest " + MAX_POINTS_PER_RIDE + " " + what + " only");
    return new ArrayList<>(points.subList(points.size() - MAX_POINTS_PER_RIDE, points.size()));
  }

  /** An output folder as Spark reads it, or null (noted as missing, as {@code what}). */
  Dataset<Row> output(Path folder, String what) {
    try {
      if (storage.isDirectory(folder)) {
        Dataset<Row> rows = spark.read().parquet(folder.toString());
        if (!rows.isEmpty()) {
          return rows;
        }
      }
    } catch (Exception e) {
      // AnalysisException too (Scala: undeclared), e.g. a sink log that names no file yet: an
      // unreadable folder is reported as missing, with the reason
      missing(what + ": " + e.getMessage().lines().findFirst().orElse(""));
      return null;
    }
    missing(what);
    return null;
  }
}
