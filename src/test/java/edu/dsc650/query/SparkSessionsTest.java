package edu.dsc650.query;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.window;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.codahale.metrics.Histogram;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.spark.metrics.source.CodegenMetrics;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.streaming.MemoryStream;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import scala.Option;
import scala.collection.JavaConverters;

/** What run-query's SparkSession exposes to the network in local mode. */
class SparkSessionsTest {

  /** This machine's first address that is not a loopback one, as another host would reach it. */
  private static InetAddress externalAddress() throws IOException {
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!nic.isUp() || nic.isLoopback()) {
        continue;
      }
      for (InetAddress a : Collections.list(nic.getInetAddresses())) {
        if (a instanceof Inet4Address && !a.isLoopbackAddress()) {
          return a;
        }
      }
    }
    return null;
  }

  private static boolean answers(InetAddress host, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 2000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Test
  void inLocalModeTheUiAndTheDriverListenOnLoopbackOnlyAndCannotKill() throws Exception {
    InetAddress external = externalAddress();
    Assumptions.assumeTrue(
        external != null, "this machine has no network address other than loopback");
    SparkSession spark =
        SparkSessions.create("local[1]", "127.0.0.1", SparkSessions.FILE_POLLING_DELAY, Map.of());
    try {
      int ui = URI.create(spark.sparkContext().uiWebUrl().get()).getPort();
      assertEquals(
          true, answers(InetAddress.getLoopbackAddress(), ui), "the UI answers on 127.0.0.1");
      assertEquals(false, answers(external, ui), "the UI must not answer on " + external);
      int driver = Integer.parseInt(spark.sparkContext().getConf().get("spark.driver.port"));
      assertEquals(false, answers(external, driver), "the driver must not answer on " + external);
      assertEquals("false", spark.sparkContext().getConf().get("spark.ui.killEnabled"));
    } finally {
      spark.stop();
    }
  }

  @Test
  void aBindAddressOpensTheUiOnPurpose() throws Exception {
    InetAddress external = externalAddress();
    Assumptions.assumeTrue(
        external != null, "this machine has no network address other than loopback");
    SparkSession spark =
        SparkSessions.create("local[1]", "0.0.0.0", SparkSessions.FILE_POLLING_DELAY, Map.of());
    try {
      int ui = URI.create(spark.sparkContext().uiWebUrl().get()).getPort();
      assertEquals(true, answers(external, ui), "the UI answers on " + external);
    } finally {
      spark.stop();
    }
  }

  /**
   * Spark splits a scan into the files' bytes over the cores by default: two tasks for a few small
   * files on two cores. Each task has a fixed cost, so a micro-batch of small files is one task,
   * and only a large one is split (in 8 MB parts).
   */
  @Test
  void aScanOfSmallFilesIsOneTaskAndALargeOneIsSplit(@org.junit.jupiter.api.io.TempDir Path tmp) {
    SparkSession spark =
        SparkSessions.create("local[2]", "127.0.0.1", SparkSessions.FILE_POLLING_DELAY, Map.of());
    try {
      String small = tmp.resolve("small").toString();
      spark.range(0, 60, 1, 30).write().parquet(small); // 30 files of 2 rows
      assertEquals(30, new java.io.File(small).list((d, n) -> n.endsWith(".parquet")).length);
      assertEquals(1, spark.read().parquet(small).rdd().getNumPartitions());

      // ~24 MB of doubles that do not compress: three or four parts of at most 8 MB
      String large = tmp.resolve("large").toString();
      spark.range(0, 3_000_000, 1, 1).selectExpr("rand(7) AS x").write().parquet(large);
      long bytes = 0;
      for (java.io.File f : new java.io.File(large).listFiles((d, n) -> n.endsWith(".parquet"))) {
        bytes += f.length();
      }
      assertTrue(bytes > 16L << 20, bytes + " bytes");
      assertEquals(
          (bytes + (8L << 20) - 1) / (8L << 20),
          spark.read().parquet(large).rdd().getNumPartitions());
    } finally {
      spark.stop();
    }
  }

  @Test
  void oneShufflePartitionPerTaskSlotUnlessGiven() {
    SparkSession spark =
        SparkSessions.create("local[3]", "127.0.0.1", SparkSessions.FILE_POLLING_DELAY, Map.of());
    try {
      assertEquals("3", spark.conf().get("spark.sql.shuffle.partitions"), "local[3]: three slots");
    } finally {
      spark.stop();
    }
    System.setProperty("spark.sql.shuffle.partitions", "7");
    try {
      spark =
          SparkSessions.create("local[3]", "127.0.0.1", SparkSessions.FILE_POLLING_DELAY, Map.of());
      assertEquals("7", spark.conf().get("spark.sql.shuffle.partitions"), "a given number wins");
    } finally {
      System.clearProperty("spark.sql.shuffle.partitions");
      spark.stop();
    }
    assertEquals(2, SparkSessions.shufflePartitions(1), "at least two");
  }

  /**
   * Issue 21, item 12: java -jar run-query --master spark://127.0.0.1:7077 keeps its UI on
   * loopback.
   */
  @org.junit.jupiter.api.Test
  void aMasterOnLoopbackKeepsTheDriverOnLoopback() {
    org.junit.jupiter.api.Assertions.assertTrue(SparkSessions.onThisMachineOnly("local[*]"));
    org.junit.jupiter.api.Assertions.assertTrue(
        SparkSessions.onThisMachineOnly("spark://127.0.0.1:7077"));
    org.junit.jupiter.api.Assertions.assertTrue(
        SparkSessions.onThisMachineOnly("spark://localhost:7077"));
    org.junit.jupiter.api.Assertions.assertFalse(
        SparkSessions.onThisMachineOnly("spark://10.0.0.5:7077"));
    org.junit.jupiter.api.Assertions.assertFalse(
        SparkSessions.onThisMachineOnly("spark://a:7077,b:7077"));
    org.junit.jupiter.api.Assertions.assertFalse(SparkSessions.onThisMachineOnly("yarn"));
  }

  /**
   * Issue 34: a stateful query's micro-batches compile no new classes once its first batches ran.
   * Spark puts the watermark into the predicates it builds for each batch as a literal, so with its
   * default every batch that moves the watermark compiled (and loaded, and JIT-compiled) new code;
   * run-query's sessions interpret those expressions. Both are checked, on Spark's count of
   * compilations, so that the test shows what the setting changes.
   */
  @Test
  void aStatefulQueryCompilesNoNewCodeOnceItsFirstBatchesRan() throws Exception {
    assertEquals(0, compilationsOfLaterBatches(Map.of()), "run-query's default");
    long spark = compilationsOfLaterBatches(Map.of(SparkSessions.CODEGEN_FACTORY_MODE, "FALLBACK"));
    assertTrue(spark >= 3, "Spark's default compiles code in each later batch: " + spark);
  }

  /**
   * Janino compilations during batches 4-6 of a windowed count whose watermark moves each batch.
   */
  private static long compilationsOfLaterBatches(Map<String, String> given) throws Exception {
    SparkSession spark =
        SparkSessions.create("local[2]", "127.0.0.1", SparkSessions.FILE_POLLING_DELAY, given);
    StructType schema =
        new StructType().add("ts", DataTypes.TimestampType).add("k", DataTypes.StringType);
    MemoryStream<Row> input =
        new MemoryStream<>(34, spark.sqlContext(), Option.empty(), Encoders.row(schema));
    StreamingQuery query =
        input
            .toDF()
            .withWatermark("ts", "10 seconds")
            .groupBy(window(col("ts"), "5 seconds"), col("k"))
            .count()
            .writeStream()
            .format("noop")
            .outputMode("update")
            .start();
    Histogram compilations = CodegenMetrics.METRIC_COMPILATION_TIME();
    try {
      long before = 0;
      for (int batch = 1; batch <= 6; batch++) {
        if (batch == 4) {
          before = compilations.getCount();
        }
        Timestamp ts = new Timestamp(1_700_000_000_000L + batch * 20_000L);
        input.addData(
            JavaConverters.asScalaBuffer(List.of(RowFactory.create(ts, "k" + batch))).toSeq());
        query.processAllAvailable();
      }
      return compilations.getCount() - before;
    } finally {
      query.stop();
      spark.stop();
    }
  }
}
