package edu.dsc650.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import edu.dsc650.query.QueryOutputs;
import edu.dsc650.testing.BddLikeData;
import edu.dsc650.testing.JarProcess;
import edu.dsc650.testing.PublishedSlices;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The thin jar under {@code spark-submit} on a real Spark standalone cluster (scripts/cluster.sh: a
 * master and two workers in their own JVMs, executors launched by the workers), with the results
 * folder on the local disk and on a real single-node HDFS (scripts/hdfs.sh); in client and in
 * cluster deploy mode; and with a worker killed in the middle of a live run. The scripts are the
 * ones the README tells users to run; they are stopped after the tests even when one fails.
 */
@Order(1) // in the side-by-side execution: see pom.xml
class ClusterIT {
  /**
   * Generated rides (late starts, a GPS gap, folders not zero-padded), small enough that a run on
   * the cluster's two one-core workers is seconds, not a minute: the bundled data's exactness is
   * RunQueryCorrectnessTest's, in local mode.
   */
  static final Path SOURCE = Path.of("target/cluster-it/source");

  static final String MASTER = "spark://127.0.0.1:7077";
  static final String MASTER_JSON = "http://127.0.0.1:8080/json/";
  static final String HDFS = "hdfs://127.0.0.1:9000";
  static final Path LOGS = Path.of("target/cluster-it");

  /** Not KafkaIT's 9092: the two suites run side by side. */
  static final int KAFKA_PORT = 9192;

  /**
   * The suite's runs last a minute, so the JVMs it starts compile with C1 only, as JarProcess's do:
   * on two cores shared by a master, two workers, their executors and the driver, C2 compiling code
   * that then runs for a second took most of a first batch. The driver through the jar's own switch
   * (in client mode it is spark-submit's JVM: SPARK_SUBMIT_OPTS; a cluster-mode driver keeps C2,
   * since its spark.driver.extraJavaOptions hold the module opens), the executors by flag.
   */
  static final List<String> SUITE_JVM_OPTIONS =
      List.of("--conf", "spark.executor.extraJavaOptions=-XX:TieredStopAtLevel=1");

  @TempDir Path tmp;

  /** Two workers of one core each: a worker can die while the other one goes on. */
  static final int WORKERS = 2;

  @BeforeAll
  static void startCluster() throws Exception {
    Files.createDirectories(LOGS);
    if (!Files.isDirectory(SOURCE)) {
      BddLikeData.write(SOURCE);
    }
    script("cluster.sh", "start");
  }

  @AfterAll
  static void stopEverything() throws Exception {
    script("cluster.sh", "stop");
    script("hdfs.sh", "stop");
    script("kafka.sh", "stop");
  }

  static void script(String name, String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                "env",
                "WORKERS=" + WORKERS,
                "WORKER_CORES=1",
                "KAFKA_PORT=" + KAFKA_PORT,
                "KAFKA_CONTROLLER_PORT=" + (KAFKA_PORT + 1),
                "KAFKA_STATE=target/kafka-cluster-it",
                "bash",
                "scripts/" + name));
    command.addAll(List.of(args));
    System.out.print(
        runToTheEnd(
            command,
            LOGS.resolve(name + "-" + String.join("-", args) + ".log"),
            Duration.ofMinutes(5)));
  }

  /** scripts/spark-submit, as a user runs it; returns its output. */
  static String sparkSubmit(Path log, String... appArgs) throws Exception {
    return runToTheEnd(submitCommand(List.of(), appArgs), log, Duration.ofMinutes(10));
  }

  static List<String> submitCommand(List<String> submitOptions, String... appArgs) {
    // absolute: in cluster mode a worker starts the driver in a folder of its own
    Path thinJar = JarProcess.packaged("dsc650.thinJar", "target/dsc650-thin.jar").toAbsolutePath();
    List<String> command =
        new ArrayList<>(
            List.of(
                "env",
                "SPARK_SUBMIT_OPTS=-Ddsc650.jit=c1",
                "bash",
                "scripts/spark-submit",
                "--master",
                MASTER));
    command.addAll(SUITE_JVM_OPTIONS);
    command.addAll(submitOptions);
    command.addAll(List.of("--class", "edu.dsc650.cli.Dsc650", thinJar.toString()));
    command.addAll(List.of(appArgs));
    return command;
  }

  /**
   * Runs a command with its output in {@code log}; it must end with exit code 0 within {@code
   * timeout}.
   */
  static String runToTheEnd(List<String> command, Path log, Duration timeout) throws Exception {
    Process p =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    boolean ended = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (!ended) {
      p.destroyForcibly().waitFor();
    }
    String out = Files.readString(log);
    assertTrue(ended, String.join(" ", command) + " still running after " + timeout + ":\n" + out);
    assertEquals(0, p.exitValue(), String.join(" ", command) + ":\n" + out);
    return out;
  }

  static void replay(Path log, String results) throws Exception {
    try (JarProcess replay =
        JarProcess.start(
            log,
            "stream-data",
            "--max-speed",
            "--merge-slices",
            "--source",
            SOURCE.toString(),
            "--results",
            results)) {
      assertEquals(0, replay.waitFor(Duration.ofMinutes(5)), replay.output());
    }
  }

  static String masterJson() throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(MASTER_JSON)).build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode());
    return r.body();
  }

  /**
   * The executors that did the work, from run-query's last line: never the driver, on a cluster.
   */
  static void assertRanOnTheWorkersExecutors(String output) {
    Matcher m = Pattern.compile("([\\d,]+) tasks ran on executor\\(s\\) (.*)").matcher(output);
    assertTrue(m.find(), output);
    long tasks = Long.parseLong(m.group(1).replace(",", ""));
    System.out.println("tasks: " + m.group(0));
    assertTrue(tasks > 0, m.group(0));
    assertTrue(!m.group(2).contains("driver@"), "no task may run in the driver: " + m.group(0));
    assertTrue(
        m.group(2).contains("@127.0.0.1"), "tasks ran on the worker's executors: " + m.group(0));
  }

  static int aliveWorkers(String json) {
    Matcher m = Pattern.compile("\"aliveworkers\" *: *(\\d+)").matcher(json);
    assertTrue(m.find(), json);
    return Integer.parseInt(m.group(1));
  }

  static int finishedApps(String json) {
    Matcher m =
        Pattern.compile("\"name\" *: *\"dsc650-run-query\"[^}]*\"state\" *: *\"FINISHED\"")
            .matcher(json);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  @Test
  void runQueryOnTheClusterGivesTheSameOutputsAsLocalMode() throws Exception {
    Path results = tmp.resolve("results");
    replay(LOGS.resolve("replay-local.log"), results.toString());
    int finishedBefore = finishedApps(masterJson());

    long started = System.nanoTime();
    String out =
        sparkSubmit(
            LOGS.resolve("submit-local.log"),
            "run-query",
            "all",
            "--sql",
            Path.of("examples/sql/hard_braking.sql").toAbsolutePath().toString(),
            "--until-replay-complete",
            "--results",
            results.toString());
    System.out.printf(
        "spark-submit run-query all on the cluster: %.1f s%n", (System.nanoTime() - started) / 1e9);
    assertTrue(out.contains("master " + MASTER), out);
    assertRanOnTheWorkersExecutors(out);
    String json = masterJson();
    assertEquals(
        finishedBefore + 1,
        finishedApps(json),
        "the master lists the application as finished:\n" + json);
    assertEquals(WORKERS, aliveWorkers(json), json);

    // the same input, queried in local mode by the fat jar
    Path local = tmp.resolve("local");
    copyTree(results, local, "input");
    copyTree(results, local, "replay.json");
    try (JarProcess run =
        JarProcess.start(
            LOGS.resolve("local-mode.log"),
            "run-query",
            "all",
            "--until-replay-complete",
            "--master",
            "local[2]",
            "--results",
            local.toString())) {
      assertEquals(0, run.waitFor(Duration.ofMinutes(5)), run.output());
    }
    SparkSession spark = QueryOutputs.batchSession();
    try {
      QueryOutputs.assertSameOutputs(spark, results, local);
      QueryOutputs.checkAll(spark, SOURCE, results);
      // the query of one's own (--sql) ran on the cluster too, its rows those the published input
      // gives
      assertEquals(
          edu.dsc650.query.SqlQueriesTest.hardBraking(
              edu.dsc650.query.ExpectedAnswers.ofPublished(results.resolve("input"))),
          edu.dsc650.query.SqlQueriesTest.rows(
              spark, results.resolve("output/hard_braking"), "uuid", "timestamp"));
    } finally {
      QueryOutputs.release(spark);
    }
  }

  @Test
  void inClusterDeployModeTheDriverRunsOnAWorkerAndTheOutputsAreExact() throws Exception {
    Path results = tmp.resolve("results");
    replay(LOGS.resolve("replay-cluster-mode.log"), results.toString());
    String before = masterJson();
    // spark-submit waits for the driver; its exit code and the master both say how the driver ended
    String out =
        runToTheEnd(
            submitCommand(
                List.of(
                    "--deploy-mode",
                    "cluster",
                    "--conf",
                    "spark.standalone.submit.waitAppCompletion=true"),
                "run-query",
                "all",
                "--until-replay-complete",
                "--results",
                results.toString()),
            LOGS.resolve("submit-cluster-mode.log"),
            Duration.ofMinutes(10));
    String json = masterJson();
    assertEquals(
        finishedDrivers(before) + 1,
        finishedDrivers(json),
        "the driver finished:\n" + out + "\n" + json);
    assertEquals(finishedApps(before) + 1, finishedApps(json), json);
    // the driver's own output is in the worker's folder for it
    String driverOut = driverOutput();
    assertTrue(
        driverOut.contains("rows in " + results.toUri().getPath().replaceAll("/$", ""))
            || driverOut.contains("rows in file:" + results),
        driverOut);
    assertRanOnTheWorkersExecutors(driverOut);
    QueryOutputs.checkAll(SOURCE, results);
  }

  static int finishedDrivers(String json) {
    Matcher m =
        Pattern.compile("\"id\" *: *\"driver-[^\"]*\"[^}]*\"state\" *: *\"FINISHED\"")
            .matcher(json);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  /** The stdout and stderr of the newest driver a worker ran (cluster deploy mode). */
  static String driverOutput() throws IOException {
    Path newest = null;
    try (var s = Files.walk(Path.of("target/cluster"), 2)) {
      for (Path p : s.filter(d -> d.getFileName().toString().startsWith("driver-")).toList()) {
        if (newest == null
            || p.getFileName().toString().compareTo(newest.getFileName().toString()) > 0) {
          newest = p;
        }
      }
    }
    assertTrue(newest != null, "a worker ran a driver");
    return Files.readString(newest.resolve("stdout")) + Files.readString(newest.resolve("stderr"));
  }

  @Test
  void aWorkerKilledInTheMiddleOfALiveRunLosesNothing() throws Exception {
    Path results = tmp.resolve("results");
    try (JarProcess replay =
        JarProcess.start(
            LOGS.resolve("replay-worker-kill.log"),
            "stream-data",
            "--speedup",
            "1",
            "--merge-slices",
            "--source",
            SOURCE.toString(),
            "--results",
            results.toString())) {
      Process query =
          new ProcessBuilder(
                  submitCommand(
                      List.of(),
                      "run-query",
                      "all",
                      "--until-replay-complete",
                      "--results",
                      results.toString()))
              .redirectErrorStream(true)
              .redirectOutput(LOGS.resolve("submit-worker-kill.log").toFile())
              .start();
      try {
        // kill once the queries have done some work and both executors run, while the replay goes
        // on (the first batch comes 10-20 s after spark-submit starts; the replay at 1x takes 80 s)
        Path windowed = results.resolve("output/windowed");
        while (query.isAlive()
            && (QueryOutputs.windowedBatches(windowed) < 1 || runningExecutors() < WORKERS)) {
          Thread.sleep(100); // polls a condition
        }
        assertTrue(query.isAlive() && replay.isAlive(), "the kill comes in the middle of the run");
        long worker =
            Long.parseLong(Files.readString(Path.of("target/cluster/worker-2.pid")).trim());
        ProcessHandle handle = ProcessHandle.of(worker).orElseThrow();
        List<ProcessHandle> executors = handle.children().toList();
        assertTrue(!executors.isEmpty(), "worker 2 runs an executor");
        // as when its machine dies: the worker and its executor, at once, with no chance to clean
        // up
        executors.forEach(e -> kill9(e.pid()));
        kill9(worker);
        System.out.println("killed worker 2 (pid " + worker + ") and its executor(s) " + executors);

        assertEquals(0, replay.waitFor(Duration.ofMinutes(3)), replay.output());
        assertTrue(query.waitFor(5, TimeUnit.MINUTES), "run-query ends after the replay");
        String out = Files.readString(LOGS.resolve("submit-worker-kill.log"));
        assertEquals(0, query.exitValue(), out);
        assertTrue(out.contains("Lost executor"), "Spark saw the executor go:\n" + out);
        assertEquals(WORKERS - 1, aliveWorkers(masterJson()));
      } finally {
        query.destroyForcibly().waitFor();
        script("cluster.sh", "start"); // brings worker 2 back for the other tests
      }
    }
    QueryOutputs.checkAll(SOURCE, results);
  }

  static void kill9(long pid) {
    try {
      new ProcessBuilder("kill", "-KILL", Long.toString(pid)).start().waitFor();
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Executors of running applications, from the master's view of its workers' used cores. */
  static int runningExecutors() throws Exception {
    Matcher m = Pattern.compile("\"coresused\" *: *(\\d+)").matcher(masterJson());
    int n = 0;
    while (m.find()) {
      n += Integer.parseInt(m.group(1)) > 0 ? 1 : 0;
    }
    return n;
  }

  /**
   * Spark's Kafka connector is not among the cluster's jars (scripts/cluster.sh leaves it out, as a
   * distribution does): it travels in the thin jar, and the queries read the topics on the
   * executors.
   */
  @Test
  void runQueryOnTheClusterReadsTheReplayFromKafka() throws Exception {
    // a broker of this suite's own (KafkaIT may run beside it); wiped: topics of earlier runs would
    // be foreign to this one's results
    script("kafka.sh", "wipe");
    script("kafka.sh", "start");
    try (var jars = Files.list(Path.of("target/spark-home/jars"))) {
      assertTrue(
          jars.noneMatch(j -> j.getFileName().toString().startsWith("spark-sql-kafka")),
          "the cluster has no Kafka connector of its own");
    }
    Path results = tmp.resolve("results");
    try (JarProcess replay =
        JarProcess.start(
            LOGS.resolve("replay-kafka.log"),
            "stream-data",
            "--max-speed",
            "--to",
            "kafka://127.0.0.1:" + KAFKA_PORT,
            "--topic-prefix",
            "cluster-",
            "--source",
            SOURCE.toString(),
            "--results",
            results.toString())) {
      assertEquals(0, replay.waitFor(Duration.ofMinutes(5)), replay.output());
    }
    String out =
        sparkSubmit(
            LOGS.resolve("submit-kafka.log"),
            "run-query",
            "all",
            "--until-replay-complete",
            "--from",
            "kafka://127.0.0.1:" + KAFKA_PORT,
            "--topic-prefix",
            "cluster-",
            "--results",
            results.toString());
    assertRanOnTheWorkersExecutors(out);
    QueryOutputs.checkAll(SOURCE, results);
  }

  @Test
  void runQueryOnTheClusterWithResultsOnHdfs() throws Exception {
    script("hdfs.sh", "start");
    String root = HDFS + "/dsc650-it-" + System.currentTimeMillis();
    String results = root + "/results";
    long started = System.nanoTime();
    replay(LOGS.resolve("replay-hdfs.log"), results);
    System.out.printf(
        "stream-data --max-speed --merge-slices into HDFS: %.1f s%n",
        (System.nanoTime() - started) / 1e9);
    assertOneRenamePerSlice(root);

    started = System.nanoTime();
    String out =
        sparkSubmit(
            LOGS.resolve("submit-hdfs.log"),
            "run-query",
            "all",
            "--until-replay-complete",
            "--results",
            results);
    System.out.printf(
        "spark-submit run-query all on the cluster, results on HDFS: %.1f s%n",
        (System.nanoTime() - started) / 1e9);
    assertRanOnTheWorkersExecutors(out);
    assertTrue(out.contains("rows in " + results + "/output/simple/accelerations"), out);

    // read it back here: copy the results folder out of HDFS, then check it like a local one
    Path copy = tmp.resolve("from-hdfs");
    Configuration conf = new Configuration();
    try (FileSystem hdfs = FileSystem.newInstance(URI.create(HDFS), conf)) {
      hdfs.copyToLocalFile(
          false,
          new org.apache.hadoop.fs.Path(results),
          new org.apache.hadoop.fs.Path(copy.toUri()),
          true);
    }
    relocateSinkLogs(copy, results);
    QueryOutputs.checkAll(SOURCE, copy);
  }

  /**
   * Issue 33 with the results on HDFS: report --serve follows a replay there (reading only the new
   * bytes through Hadoop's FileSystem), and its page's pause and resume reach stream-data through
   * the results folder on HDFS: nothing is published while paused.
   */
  @Test
  void theLivePageFollowsAndSteersAReplayWithResultsOnHdfs() throws Exception {
    script("hdfs.sh", "start");
    String results = HDFS + "/dsc650-live-" + System.currentTimeMillis() + "/results";
    try (JarProcess serve =
        JarProcess.start(
            LOGS.resolve("serve-hdfs.log"),
            "report",
            "--serve",
            "--port",
            "0",
            "--results",
            results)) {
      serve.awaitOutput("live page: ", Duration.ofMinutes(1));
      Matcher m = Pattern.compile("live page: (http://\\S+)").matcher(serve.output());
      assertTrue(m.find(), serve.output());
      URI page = URI.create(m.group(1));
      try (JarProcess replay =
          JarProcess.start(
              LOGS.resolve("replay-hdfs-live.log"),
              "stream-data",
              "--speedup",
              "8",
              "--merge-slices",
              "--source",
              SOURCE.toString(),
              "--results",
              results)) {
        awaitPage(page, d -> d.path("snapshot").path("slices").size() >= 3);
        String secret = servedPage(page).path("secret").asText();
        assertEquals(202, steer(page, "pause", secret));
        awaitPage(
            page,
            d -> d.path("snapshot").path("replay").path("steering").path("paused").asBoolean());
        Thread.sleep(2000); // paused for a while: what is checked is the records
        assertEquals(202, steer(page, "resume", secret));
        assertEquals(0, replay.waitFor(Duration.ofMinutes(3)), replay.output());
      }
      var data =
          awaitPage(
              page,
              d ->
                  "completed".equals(d.path("snapshot").path("replay").path("status").asText())
                      && d.path("snapshot").path("slices").size()
                          == d.path("snapshot").path("replay").path("slices").asInt());
      var changes = data.path("snapshot").path("replay").path("steering").path("changes");
      assertEquals(2, changes.size(), changes.toString());
      long from = java.time.Instant.parse(changes.get(0).path("at").asText()).toEpochMilli();
      long to = java.time.Instant.parse(changes.get(1).path("at").asText()).toEpochMilli();
      assertTrue(to - from >= 2000, changes.toString());
      int after = 0;
      for (var slice : data.path("snapshot").path("slices")) {
        long published = slice.path("published").asLong();
        assertTrue(published < from || published > to, "published while paused: " + slice);
        after += published > to ? 1 : 0;
      }
      assertTrue(after > 0, "slices after the resume");
      System.out.printf(
          java.util.Locale.ROOT,
          "live page on HDFS: %d slices followed, paused %.1f s from the page%n",
          data.path("snapshot").path("slices").size(),
          (to - from) / 1e3);
    }
  }

  /** The data the live page is served with (its snapshot, its secret). */
  static com.fasterxml.jackson.databind.JsonNode servedPage(URI page) throws Exception {
    String html =
        HttpClient.newHttpClient()
            .send(HttpRequest.newBuilder(page).build(), HttpResponse.BodyHandlers.ofString())
            .body();
    Matcher m =
        Pattern.compile(
                "<script id=\"data\" type=\"application/json\">(.*?)</script>", Pattern.DOTALL)
            .matcher(html);
    assertTrue(m.find(), html);
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(m.group(1));
  }

  /** Loads the page until its data says {@code done}, for up to two minutes. */
  static com.fasterxml.jackson.databind.JsonNode awaitPage(
      URI page, java.util.function.Predicate<com.fasterxml.jackson.databind.JsonNode> done)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (true) {
      var data = servedPage(page);
      if (done.test(data)) {
        return data;
      }
      assertTrue(System.nanoTime() < deadline, "the page never got there: " + data);
      Thread.sleep(200);
    }
  }

  /** The page's button: POST /steer with the page's secret; the status code. */
  static int steer(URI page, String action, String secret) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(page.resolve("steer?action=" + action))
                .header("X-Steer-Secret", secret)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }

  /**
   * The file sink's log names its files by absolute URI (hdfs://...); in the copy they must name
   * the copies, so that the copy is read through its log like the original.
   */
  static void relocateSinkLogs(Path copy, String results) throws IOException {
    String here = copy.toUri().toString().replaceAll("/$", "");
    try (var s = Files.walk(copy)) {
      for (Path log :
          s.filter(
                  p ->
                      p.getParent().getFileName().toString().equals("_spark_metadata")
                          && Files.isRegularFile(p))
              .toList()) {
        Files.writeString(log, Files.readString(log).replace(results, here));
      }
    }
  }

  /**
   * Publication on HDFS is one atomic rename per slice: the NameNode's audit log has one rename
   * from staging into input for every slice of both topics, and no create or delete inside input.
   */
  static void assertOneRenamePerSlice(String root) throws IOException {
    String path = URI.create(root).getPath();
    List<String> audit =
        Files.readAllLines(Path.of("target/hdfs/logs/hdfs-audit.log")).stream()
            .filter(l -> l.contains("src=" + path + "/"))
            .toList();
    long renames =
        audit.stream()
            .filter(
                l ->
                    l.contains("cmd=rename")
                        && l.contains("src=" + path + "/results/staging/")
                        && l.contains("dst=" + path + "/results/input/"))
            .count();
    // the file-sink log (input/<topic>/_spark_metadata) and the publish log (_dsc650_batches) are
    // written beside the slices, one batch of each per slice, each hidden and then renamed into
    // place
    long writesInInput =
        audit.stream()
            .filter(
                l ->
                    (l.contains("cmd=create") || l.contains("cmd=delete"))
                        && l.contains("src=" + path + "/results/input/")
                        && !l.contains("/_spark_metadata/")
                        && !l.contains("/_dsc650_batches/"))
            .count();
    long logBatches =
        audit.stream()
            .filter(
                l ->
                    l.contains("cmd=rename")
                        && l.contains("/_spark_metadata/.")
                        && l.contains("dst=" + path + "/results/input/"))
            .count();
    long publishBatches =
        audit.stream()
            .filter(
                l ->
                    l.contains("cmd=rename")
                        && l.contains("/_dsc650_batches/.")
                        && l.contains("dst=" + path + "/results/input/"))
            .count();
    assertEquals(
        PublishedSlices.sourceSliceCount(SOURCE),
        publishBatches,
        "one publish-log batch per slice");
    int slices = PublishedSlices.sourceSliceCount(SOURCE);
    System.out.printf(
        "HDFS audit log: %d renames staging -> input for %d slices, %d log batches, "
            + "%d other creates/deletes in input%n",
        renames, slices, logBatches, writesInInput);
    assertEquals(slices, renames, "one rename per slice");
    assertEquals(slices, logBatches, "one log batch per slice, each renamed into place");
    assertEquals(0, writesInInput, "nothing else written in input but by rename");
  }

  static void copyTree(Path from, Path to, String name) throws IOException {
    Path src = from.resolve(name);
    try (var s = Files.walk(src)) {
      for (Path p : s.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.createDirectories(target.getParent());
          Files.copy(p, target);
        }
      }
    }
  }
}
