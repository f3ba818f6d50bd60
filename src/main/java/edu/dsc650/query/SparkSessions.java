package edu.dsc650.query;

import edu.dsc650.io.HadoopConf;
import edu.dsc650.io.NioLocalFileSystem;
import edu.dsc650.query.spark.LocalCheckpointFiles;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.SparkSession;

/** The SparkSession for the queries, with settings that suit many small files and small state. */
public final class SparkSessions {
  private SparkSessions() {}

  /** How often an idle query of the file source looks for new files (see below). */
  static final String FILE_POLLING_DELAY = "250ms";

  /**
   * The queries' session.
   *
   * @param defaultMaster used only when no master is set already (spark-submit sets one)
   * @param localAddress in local mode, the address the driver and the Spark UI listen on
   *     (127.0.0.1: this machine only); a cluster's configuration decides otherwise, since
   *     executors must reach the driver
   * @param pollingDelay how often an idle query looks for new input, unless
   *     spark.sql.streaming.pollingDelay is set
   * @param given run-query's {@code --conf} settings: like spark-submit's, each wins over a default
   *     here
   */
  public static SparkSession create(
      String defaultMaster,
      String localAddress,
      String pollingDelay,
      java.util.Map<String, String> given) {
    SparkConf conf = new SparkConf(true).setAppName("dsc650-run-query");
    given.forEach(conf::set);
    if (!conf.contains("spark.master")) {
      conf.setMaster(defaultMaster);
    }
    // A driver that a standalone worker starts (cluster deploy mode) gets the cluster's secret in
    // its environment, as executors do, but Spark's driver requires it in its configuration.
    String workerSecret = System.getenv("_SPARK_AUTH_SECRET");
    if (conf.getBoolean("spark.authenticate", false)
        && !conf.contains("spark.authenticate.secret")
        && workerSecret != null) {
      conf.set("spark.authenticate.secret", workerSecret);
    }
    // The UI's kill links would let anyone who reaches the page stop the queries.
    setDefault(conf, "spark.ui.killEnabled", "false");
    if (onThisMachineOnly(conf.get("spark.master"))) {
      setDefault(conf, "spark.driver.bindAddress", localAddress);
      setDefault(conf, "spark.driver.host", localAddress);
      conf = copyInto(conf, new BoundUiConf(localAddress));
    }
    // Shuffle partitions (and so state store instances): one per task slot, set below once the
    // slots are known. Spark's 200 would mean 200 tiny state stores per stateful query.
    boolean partitionsGiven = conf.contains(SHUFFLE_PARTITIONS);
    setDefaults(conf, pollingDelay);
    // the context must be made from a BoundUiConf itself (the builder would copy it into a plain
    // one)
    SparkSession spark =
        conf instanceof BoundUiConf
            ? SparkSession.builder().sparkContext(new SparkContext(conf)).getOrCreate()
            : SparkSession.builder().config(conf).getOrCreate();
    // the driver's Hadoop settings, which the executors' writers are given too
    HadoopConf.forTasks(HadoopConf.withDefaults(spark.sparkContext().hadoopConfiguration()));
    if (!partitionsGiven) {
      spark
          .conf()
          .set(SHUFFLE_PARTITIONS, shufflePartitions(spark.sparkContext().defaultParallelism()));
    }
    return spark;
  }

  /** This tool's defaults for small files and several queries on few cores. */
  private static void setDefaults(SparkConf conf, String pollingDelay) {
    // Each setting is a default: --conf on spark-submit (or -Dspark.* ) wins.
    // Listing a micro-batch's files with a Spark job (one task per file above 32 paths) costs more
    // than listing them in the driver.
    setDefault(conf, "spark.sql.sources.parallelPartitionDiscovery.threshold", "1000000");
    // Files are a few KB: pack many into one task instead of one task per 4 MB of "open cost".
    setDefault(conf, "spark.sql.files.openCostInBytes", "8192");
    // A micro-batch of a few MB is one task per topic, not one per core: each task costs a fixed
    // ~10-30 ms (its closure and Hadoop configuration deserialized, for a write an output file
    // opened and closed) whatever it reads. Spark's split size is the batch's bytes over
    // minPartitionNum (default: the cores) capped by maxPartitionBytes; with 1 and 8 MB a small
    // batch is one split and a catch-up of the bundled 52 MB still seven or so.
    setDefault(conf, "spark.sql.files.minPartitionNum", "1");
    setDefault(conf, "spark.sql.files.maxPartitionBytes", String.valueOf(8L << 20));
    // An idle query looks for new files every pollingDelay. With stream-data's file-sink log that
    // is a read of a few small log files (a listing of all of input without it); several queries
    // doing it every 10 ms (the default) starve the batches that have work on two cores. Live
    // latency at 1x measured best at 250 ms (100 ms and 1 s: worse; docs/performance.md).
    // (The Kafka source asks the broker for its latest offsets instead, which costs little: see
    // KafkaInput.)
    setDefault(conf, "spark.sql.streaming.pollingDelay", pollingDelay);
    // spark.sql.files.ignoreMissingFiles stays false: a file of the log that is gone fails the
    // query with its name (a new run replaced input: run-query says so; a reader fell behind an
    // endless run's retention: --retain), never a silent gap in the output.
    // No filter is worth pushing into files of a few rows; building the filters costs per file.
    setDefault(conf, "spark.sql.parquet.filterPushdown", "false");
    // Outputs keep timestamps as the inputs have them (INT64 micros): Spark's default, INT96, is a
    // legacy type that costs a calendar conversion per value to write.
    setDefault(conf, "spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS");
    // Concurrent queries share the task slots fairly (one pool per query, see QueryRun.start).
    setDefault(conf, "spark.scheduler.mode", "FAIR");
    declarePools(conf);
    setDefault(
        conf, "spark.sql.adaptive.enabled", "false"); // not used by streaming; avoids a warning
    setDefault(conf, "spark.ui.showConsoleProgress", "false");
    setDefault(conf, "spark.sql.streaming.metricsEnabled", "false");
    // Without Hadoop's native library, Hadoop's local file system starts a process for each file
    // status in a rename and each permission it sets: checkpoint files through java.nio
    // (LocalCheckpointFiles), and permissions too (NioLocalFileSystem).
    setDefault(conf, LocalCheckpointFiles.SETTING, LocalCheckpointFiles.class.getName());
    withNioLocalFileSystem(conf);
    // Expressions outside whole-stage code (projections, predicates) are interpreted, not
    // compiled. A stateful operator's watermark is a literal in the predicates Spark builds for
    // each micro-batch (late rows, state eviction), so every batch of windowed and joined compiled
    // new classes with Janino, loaded them, and the JIT compiled them again; whole-stage code,
    // the same from batch to batch, is compiled once and stays. Live at 1x: 9 % less CPU over
    // the replay, 18 % less once warm (docs/performance.md).
    setDefault(conf, CODEGEN_FACTORY_MODE, "NO_CODEGEN");
  }

  /**
   * A session of the run's SparkContext with the run's settings, for a query that needs settings of
   * its own: what it changes there changes nothing for the other queries. Its streaming queries
   * report to its own listeners ({@link StreamingQueryDef#session}).
   */
  public static SparkSession ownSession(SparkSession run) {
    SparkSession own = run.newSession();
    scala.collection.JavaConverters.mapAsJavaMap(run.conf().getAll())
        .forEach(
            (key, value) -> {
              if (own.conf().isModifiable(key)) {
                own.conf().set(key, value);
              }
            });
    return own;
  }

  /**
   * The results folder as Spark will resolve it, before Spark starts: a path without a scheme is on
   * the default file system of Spark's Hadoop configuration ({@code fs.defaultFS}: a cluster's HDFS
   * under spark-submit, or {@code --conf spark.hadoop.fs.defaultFS=...}), the local disk otherwise.
   * Resolved once, so that the locks, the checks and Spark's checkpoints all reach the same folder.
   *
   * @param conf the run's --conf settings (spark-submit's are system properties, read too)
   */
  public static org.apache.hadoop.fs.Path resultsRoot(String location, Map<String, String> conf)
      throws java.io.IOException {
    org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(location);
    if (path.toUri().getScheme() != null) {
      return path;
    }
    SparkConf sparkConf = new SparkConf();
    conf.forEach(sparkConf::set);
    // Hadoop keeps the first file system it makes for a scheme: make it the queries' kind here too
    withNioLocalFileSystem(sparkConf);
    org.apache.hadoop.conf.Configuration hadoop =
        org.apache.spark.deploy.SparkHadoopUtil.get().newConfiguration(sparkConf);
    java.net.URI fs = org.apache.hadoop.fs.FileSystem.getDefaultUri(hadoop);
    if (path.isAbsolute()) {
      // without making a client of the file system: HDFS need not be up for a path to be named
      return new org.apache.hadoop.fs.Path(
          fs.getScheme(), fs.getAuthority(), path.toUri().getPath());
    }
    return path.getFileSystem(hadoop).makeQualified(path);
  }

  /**
   * The file system of {@code path} with the session's Hadoop configuration (local paths and HDFS
   * alike).
   */
  public static org.apache.hadoop.fs.FileSystem fileSystem(
      SparkSession spark, org.apache.hadoop.fs.Path path) {
    try {
      return path.getFileSystem(spark.sparkContext().hadoopConfiguration());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  public static boolean exists(SparkSession spark, org.apache.hadoop.fs.Path path) {
    try {
      return fileSystem(spark, path).exists(path);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * The SparkSession of {@code report}: local, no UI, a batch reader of outputs. Its settings are
   * not the queries' (no pools, no polling), and it binds to this machine only.
   */
  public static SparkSession forReport() {
    return SparkSession.builder()
        .appName("dsc650-report")
        .master("local[*]")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .getOrCreate();
  }

  /**
   * Local mode, or a standalone master on the loopback address: every executor is on this machine,
   * so the driver and its UI listen on {@code localAddress} (127.0.0.1) rather than on every
   * interface.
   */
  static boolean onThisMachineOnly(String master) {
    if (master.startsWith("local")) {
      return true;
    }
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("spark://([^:/,]+)(:\\d+)?").matcher(master);
    if (!m.matches()) {
      return false;
    }
    String host = m.group(1);
    return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]");
  }

  static final String SHUFFLE_PARTITIONS = "spark.sql.shuffle.partitions";

  /** Spark's choice between compiled and interpreted expressions ({@code FALLBACK} by default). */
  static final String CODEGEN_FACTORY_MODE = "spark.sql.codegen.factoryMode";

  private static final String POOLS = "fairscheduler.xml";

  /**
   * Spark looks for fairscheduler.xml with its own class loader. Under spark-submit that loader
   * does not see the application's jar, and Spark would warn once per undeclared pool: then the
   * file is handed to it as a file of its own.
   */
  private static void declarePools(SparkConf conf) {
    if (conf.contains("spark.scheduler.allocation.file")
        || SparkContext.class.getClassLoader().getResource(POOLS) != null) {
      return;
    }
    try (java.io.InputStream pools =
        SparkSessions.class.getClassLoader().getResourceAsStream(POOLS)) {
      if (pools == null) {
        return;
      }
      java.nio.file.Path file = java.nio.file.Files.createTempFile("dsc650-pools-", ".xml");
      file.toFile().deleteOnExit();
      java.nio.file.Files.copy(pools, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      conf.set("spark.scheduler.allocation.file", file.toUri().toString());
    } catch (java.io.IOException e) {
      // only the warnings come back
    }
  }

  /**
   * One shuffle partition per task slot: the cores of local[N], or the executors' cores registered
   * when the session starts; at least 2. A checkpoint keeps the number its query started with, so a
   * query restarted with more cores goes on with its old number (Spark's rule for state).
   */
  static int shufflePartitions(int taskSlots) {
    return Math.max(2, taskSlots);
  }

  /**
   * Spark's UI listens on the address in the environment variable SPARK_LOCAL_IP, or on every
   * interface; there is no setting for it. Spark reads the variable through {@link
   * SparkConf#getenv}, so this conf answers it (and keeps doing so in the copies Spark makes with
   * {@link #clone}).
   */
  static final class BoundUiConf extends SparkConf {
    private final String address;

    BoundUiConf(String address) {
      super(false);
      this.address = address;
    }

    @Override
    public String getenv(String name) {
      return name.equals("SPARK_LOCAL_IP") ? address : super.getenv(name);
    }

    @Override
    public SparkConf clone() {
      return copyInto(this, new BoundUiConf(address));
    }
  }

  private static SparkConf copyInto(SparkConf from, SparkConf to) {
    for (scala.Tuple2<String, String> setting : from.getAll()) {
      to.set(setting._1(), setting._2());
    }
    return to;
  }

  private static void withNioLocalFileSystem(SparkConf conf) {
    setDefault(
        conf, "spark.hadoop." + NioLocalFileSystem.SETTING, NioLocalFileSystem.class.getName());
  }

  private static void setDefault(SparkConf conf, String key, String value) {
    if (!conf.contains(key)) {
      conf.set(key, value);
    }
  }
}
