package edu.dsc650.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The results folder as Spark resolves a path: one without a scheme is on the default file system
 * of Spark's Hadoop configuration (a cluster's HDFS under spark-submit), not on the local disk.
 * Every class of run-query then reaches the same folder: the locks, the checks, the checkpoints.
 */
class ResultsFolderTest {
  @Test
  void aPathWithoutSchemeIsOnSparksDefaultFileSystem() throws Exception {
    assertEquals(
        "hdfs://localhost:8020/data/results",
        SparkSessions.resultsRoot(
                "/data/results", Map.of("spark.hadoop.fs.defaultFS", "hdfs://localhost:8020"))
            .toString());
  }

  @Test
  void aPathWithASchemeIsKept() throws Exception {
    assertEquals(
        "file:/data/results",
        SparkSessions.resultsRoot(
                "file:/data/results", Map.of("spark.hadoop.fs.defaultFS", "hdfs://localhost:8020"))
            .toString());
  }

  @Test
  void aRelativeLocalPathIsFromTheWorkingFolder() throws Exception {
    assertEquals(
        Path.of("results").toAbsolutePath().toUri().toString().replaceAll("/$", ""),
        SparkSessions.resultsRoot("results", Map.of())
            .toUri()
            .toString()
            .replace("file:/", "file:///"));
  }
}
