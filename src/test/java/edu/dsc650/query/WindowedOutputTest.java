package edu.dsc650.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The windowed output while a killed run's unfinished batch is still lying next to it. */
class WindowedOutputTest {
  private static final StructType ROW =
      new StructType().add("uuid", DataTypes.StringType).add("fixes", DataTypes.LongType);

  private static SparkSession spark;

  @TempDir Path tmp;

  @BeforeAll
  static void startSpark() {
    spark = QueryOutputs.batchSession();
  }

  @AfterAll
  static void stopSpark() {
    QueryOutputs.release(spark);
  }

  @Test
  void readersSkipTheFolderOfAnUnfinishedBatch() throws Exception {
    Path out = tmp.resolve("windowed");
    write(out.resolve("batch_id=0"), RowFactory.create("ride-a", 3L));
    // what a run killed inside writeBatch leaves: its batch written, not yet renamed
    write(out.resolve(WindowedQuery.UNFINISHED + "1-0d1f"), RowFactory.create("ride-a", 4L));

    List<Row> rows = spark.read().parquet(out.toString()).collectAsList();
    assertEquals(
        List.of(RowFactory.create("ride-a", 3L, 0)), rows, "only the finished batch is read");

    WindowedQuery.removeUnfinishedBatches(
        FileSystem.getLocal(new org.apache.hadoop.conf.Configuration()),
        new org.apache.hadoop.fs.Path(out.toUri()));
    assertFalse(
        Files.exists(out.resolve(WindowedQuery.UNFINISHED + "1-0d1f")),
        "removed at the next start");
  }

  /**
   * Issue 34: writeBatch writes in one job and asks afterwards whether the batch updated a window;
   * one that did not (the drain's markers) leaves no batch folder and nothing unfinished.
   */
  @Test
  void aBatchWithRowsBecomesItsFolderAndOneWithoutLeavesNothing() throws Exception {
    Path out = tmp.resolve("windowed");
    org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(out.toUri());
    WindowedQuery.writeBatch(
        spark.createDataFrame(
            List.of(RowFactory.create("ride-a", 3L), RowFactory.create("ride-b", 1L)), ROW),
        4,
        target);
    WindowedQuery.writeBatch(spark.createDataFrame(List.of(), ROW), 5, target);

    try (var listing = Files.list(out)) {
      assertEquals(
          List.of("batch_id=4"),
          listing.map(p -> p.getFileName().toString()).sorted().toList(),
          "the batch with rows only");
    }
    assertEquals(
        List.of(RowFactory.create("ride-a", 3L), RowFactory.create("ride-b", 1L)),
        spark.read().parquet(out.resolve("batch_id=4").toString()).orderBy("uuid").collectAsList());
  }

  private static void write(Path dir, Row row) {
    spark.createDataFrame(List.of(row), ROW).coalesce(1).write().parquet(dir.toString());
  }
}
