package edu.dsc650.query;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** The SparkSession for the queries, with settings that suit many small files and small state. */
public final class SparkSessions {
  private SparkSessions() {}

  /**
   * @param defaultMaster used only when no master is set already (spark-submit sets one)
   */
  public static SparkSession create(String defaultMaster) {
    SparkConf conf = new SparkConf(true).setAppName("dsc650-run-query");
    if (!conf.contains("spark.master")) {
      conf.setMaster(defaultMaster);
    }
    // Each setting below is a default: --conf on spark-submit (or -Dspark.* ) wins.
    // The state of these queries is small: 200 shuffle partitions would mean 200 tiny state stores.
    setDefault(conf, "spark.sql.shuffle.partitions", "2");
    // Listing a micro-batch's files with a Spark job (one task per file above 32 paths) costs more
    // than listing them in the driver.
    setDefault(conf, "spark.sql.sources.parallelPartitionDiscovery.threshold", "1000000");
    // Files are a few KB: pack many into one task instead of one task per 4 MB of "open cost".
    setDefault(conf, "spark.sql.files.openCostInBytes", "8192");
    // An idle query checks for new files every pollingDelay, listing all of input each time (up to
    // 1 s for 3,300 files); four queries doing that every 10 ms (the default) starve the batches that
    // have work on two cores. Live p50 latency at 1x measured best at 1 s (250 ms, 500 ms, 2 s: worse).
    setDefault(conf, "spark.sql.streaming.pollingDelay", "1s");
    // A new stream-data run clears input while a live query may be listing or reading it; the old
    // run's files are gone for good, so skip them instead of failing the query.
    setDefault(conf, "spark.sql.files.ignoreMissingFiles", "true");
    // No filter is worth pushing into files of a few rows; building the filters costs per file.
    setDefault(conf, "spark.sql.parquet.filterPushdown", "false");
    // Outputs keep timestamps as the inputs have them (INT64 micros): Spark's default, INT96, is a
    // legacy type that costs a calendar conversion per value to write.
    setDefault(conf, "spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS");
    setDefault(conf, "spark.sql.adaptive.enabled", "false"); // not used by streaming; avoids a warning
    setDefault(conf, "spark.ui.showConsoleProgress", "false");
    setDefault(conf, "spark.sql.streaming.metricsEnabled", "false");
    return SparkSession.builder().config(conf).getOrCreate();
  }

  private static void setDefault(SparkConf conf, String key, String value) {
    if (!conf.contains(key)) {
      conf.set(key, value);
    }
  }
}
