package edu.dsc650.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import edu.dsc650.io.ReplayManifest;
import edu.dsc650.query.QueryOutputs;
import edu.dsc650.testing.BddLikeData;
import edu.dsc650.testing.JarProcess;
import edu.dsc650.testing.KafkaRecords;
import edu.dsc650.testing.KillSchedule;
import edu.dsc650.testing.ParquetRows;
import edu.dsc650.testing.Replayed;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kafka transport against a real broker (scripts/kafka.sh: KRaft, one node, from Maven
 * Central's jars), with the packaged jar run as users run it: the committed records are the source
 * rows with timestamp = S + offset; the three queries read from Kafka equal the independent
 * answers; a SIGKILL of stream-data inside a transaction leaves no partial slice visible to {@code
 * read_committed}; run-query killed and restarted is exact; the broker stopped and started during a
 * replay loses and duplicates nothing; a broker gone for good fails the replay (exit 1).
 */
@Order(5) // in the side-by-side execution: see pom.xml
class KafkaIT {
  static final String BOOTSTRAP = "127.0.0.1:9092";
  static final String KAFKA = "kafka://" + BOOTSTRAP;
  static final Path LOGS = Path.of("target/kafka-it");
  static final List<String> TOPICS = List.of("accelerations", "locations");

  @TempDir Path tmp;

  @BeforeAll
  static void startBroker() throws Exception {
    Files.createDirectories(LOGS);
    kafkaScript(
        "wipe"); // the tests' own broker: topics of earlier runs would be foreign to this one's
    // results
    kafkaScript("start");
  }

  @AfterAll
  static void stopBroker() throws Exception {
    kafkaScript("stop");
  }

  static void kafkaScript(String command) throws Exception {
    Path log = LOGS.resolve("kafka-" + command + "-" + System.nanoTime() + ".log");
    Process p =
        new ProcessBuilder("bash", "scripts/kafka.sh", command)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    assertTrue(p.waitFor(3, TimeUnit.MINUTES), "scripts/kafka.sh " + command + " ended");
    String out = Files.readString(log);
    System.out.print(out);
    assertEquals(0, p.exitValue(), "scripts/kafka.sh " + command + ":\n" + out);
  }

  /**
   * Issue 21, item 7: stream-data deletes only topics it made for the same results folder. A topic
   * of somebody else's, or of another results folder's live run, is refused with exit 2 and kept.
   */
  @Test
  void topicsThatAreNotThisResultsFoldersAreNotDeleted() throws Exception {
    Path source = tmp.resolve("source");
    edu.dsc650.testing.BddLikeData.write(source);
    Path first = tmp.resolve("first");
    runToTheEnd(
        LOGS.resolve("owner-first.log"), replayArgs(source, first, "owner-", "--max-speed"));
    long records = KafkaRecords.read(BOOTSTRAP, "owner-locations", true).size();
    assertTrue(records > 0);
    // another results folder on the same topics: refused, the topics kept
    Path second = tmp.resolve("second");
    try (JarProcess refused =
        JarProcess.start(
            LOGS.resolve("owner-second.log"),
            replayArgs(source, second, "owner-", "--max-speed"))) {
      assertEquals(2, refused.waitFor(java.time.Duration.ofMinutes(2)), refused.output());
      assertTrue(refused.output().contains("was not made by stream-data for"), refused.output());
    }
    assertEquals(
        records,
        KafkaRecords.read(BOOTSTRAP, "owner-locations", true).size(),
        "the topic kept its records");
    // the first folder again: its own topics, recreated
    runToTheEnd(
        LOGS.resolve("owner-again.log"), replayArgs(source, first, "owner-", "--max-speed"));
    assertRecordsAreTheSource(source, first, "owner-");
  }

  static String[] replayArgs(Path source, Path results, String prefix, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "stream-data",
                "--to",
                KAFKA,
                "--topic-prefix",
                prefix,
                "--source",
                source.toString(),
                "--results",
                results.toString()));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  static String[] queryArgs(Path results, String prefix, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "run-query",
                "all",
                "--from",
                KAFKA,
                "--topic-prefix",
                prefix,
                "--results",
                results.toString(),
                "--master",
                "local[2]"));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  static void runToTheEnd(Path log, String... args) throws Exception {
    try (JarProcess run = JarProcess.start(log, args)) {
      assertEquals(0, run.waitFor(Duration.ofMinutes(5)), run.output());
    }
  }

  /** The committed records are exactly the source rows, with timestamp = S + offset, key = uuid. */
  static void assertRecordsAreTheSource(Path source, Path results, String prefix)
      throws IOException {
    long start = Replayed.startMicros(results);
    ReplayManifest manifest = Replayed.manifest(results);
    assertTrue(manifest.completed(), "replay.json says completed");
    // one transaction per instant: each slice's record says how long its instant's took, the
    // same for every slice of the instant (the live page charts it)
    Map<Double, Double> transactions = new HashMap<>();
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    for (String line : java.nio.file.Files.readAllLines(results.resolve("replay-slices.jsonl"))) {
      var r = json.readTree(line);
      assertTrue(r.path("txn_ms").asDouble() > 0, "a transaction's time: " + line);
      Double same = transactions.putIfAbsent(r.path("t").asDouble(), r.path("txn_ms").asDouble());
      assertTrue(same == null || same == r.path("txn_ms").asDouble(), "one per instant: " + line);
    }
    for (String topic : TOPICS) {
      List<KafkaRecords.Rec> records = KafkaRecords.read(BOOTSTRAP, prefix + topic, true);
      assertMultisetEquals(
          KafkaRecords.expected(source, topic, start), KafkaRecords.multiset(records), topic);
      for (KafkaRecords.Rec r : records) {
        assertEquals(r.value().get("uuid"), r.key(), "key = uuid");
        long micros =
            Long.parseLong(
                KafkaRecords.canonical(r.value()).replaceAll(".*timestamp=(-?\\d+).*", "$1"));
        assertEquals(
            Math.floorDiv(micros, 1000L), r.timestampMillis(), "record timestamp = the row's");
      }
      // replay.json's end offsets: the next offset after everything committed, transaction markers
      // included
      Map<Integer, Long> ends = manifest.kafka().endOffsets().get(prefix + topic);
      for (KafkaRecords.Rec r : records) {
        assertTrue(
            ends.get(r.partition()) > r.offset(), "end offsets " + ends + " after every record");
      }
    }
  }

  @Test
  void theRecordsAreTheSourceRowsAndTheQueriesFromKafkaAreExact() throws Exception {
    Path source = tmp.resolve("source");
    BddLikeData.write(source);
    Path results = tmp.resolve("results");
    // three partitions: a ride's records in one of them, the queries reading all three
    runToTheEnd(
        LOGS.resolve("roundtrip-replay.log"),
        replayArgs(source, results, "rt-", "--max-speed", "--partitions", "3"));
    assertRecordsAreTheSource(source, results, "rt-");
    for (String topic : TOPICS) {
      Map<String, java.util.Set<Integer>> partitionsOfRide = new HashMap<>();
      for (KafkaRecords.Rec r : KafkaRecords.read(BOOTSTRAP, "rt-" + topic, true)) {
        partitionsOfRide.computeIfAbsent(r.key(), k -> new TreeSet<>()).add(r.partition());
      }
      partitionsOfRide.forEach(
          (ride, partitions) -> assertEquals(1, partitions.size(), ride + " in " + partitions));
      assertEquals(
          3,
          Replayed.manifest(results).kafka().endOffsets().get("rt-" + topic).size(),
          "three partitions");
    }

    runToTheEnd(
        LOGS.resolve("roundtrip-query.log"),
        queryArgs(results, "rt-", "--until-replay-complete", "--fresh"));
    QueryOutputs.checkAll(source, results);

    // a query of your own (run-query --sql) reads the same topics: the join in SQL, drained
    runToTheEnd(
        LOGS.resolve("roundtrip-sql.log"),
        "run-query",
        "--sql",
        Path.of("examples/sql/fixes_and_samples.sql").toAbsolutePath().toString(),
        "--from",
        KAFKA,
        "--topic-prefix",
        "rt-",
        "--until-replay-complete",
        "--results",
        results.toString(),
        "--master",
        "local[2]");
    edu.dsc650.query.ExpectedAnswers answers =
        new edu.dsc650.query.ExpectedAnswers(source, Replayed.startMicros(results));
    Map<String, Long> matched = new java.util.TreeMap<>();
    Map<String, Long> unmatched = new java.util.TreeMap<>();
    org.apache.spark.sql.SparkSession spark = QueryOutputs.batchSession();
    try {
      QueryOutputs.readJoined(
          spark, results.resolve("output/fixes_and_samples"), matched, unmatched);
    } finally {
      QueryOutputs.release(spark);
    }
    assertEquals(answers.matchedPairs(), matched, "--sql from Kafka: the join's pairs");
    assertEquals(
        answers.unmatched(), unmatched, "--sql from Kafka: its null-extended rows, drained");
  }

  /**
   * SIGKILL while a transaction is open (each one held open 300 ms by a fault-injection hook, so
   * that most kills land inside one): what {@code read_committed} sees is the rows of the first k
   * moments, each slice whole, for some k; then a rerun completes exactly.
   */
  @Test
  void aReplayKilledInsideATransactionLeavesNoPartialSliceVisible() throws Exception {
    Path source = tmp.resolve("source");
    BddLikeData.write(source);
    Map<String, TreeMap<Double, Long>> sliceRows = new HashMap<>();
    Map<String, Double> sliceOf = new HashMap<>();
    for (String topic : TOPICS) {
      for (Path slice : sorted(source.resolve(topic))) {
        double t = Double.parseDouble(slice.getFileName().toString().substring(2));
        for (Path file : ParquetRows.files(slice)) {
          for (Map<String, Object> row : ParquetRows.read(file)) {
            sliceRows.computeIfAbsent(topic, k -> new TreeMap<>()).merge(t, 1L, Long::sum);
            sliceOf.put(topic + "/" + row.get("uuid") + "/" + row.get("offset"), t);
          }
        }
      }
    }
    TreeSet<Double> moments = new TreeSet<>();
    sliceRows.values().forEach(m -> moments.addAll(m.keySet()));

    KillSchedule schedule = new KillSchedule("stream-data --to kafka kill -9");
    int kills = KillSchedule.count("kafkaReplayKills", 4);
    int inside = 0;
    Path results = tmp.resolve("results");
    for (int k = 0; k < kills; k++) {
      // the first instant is due 1 s after replaying starts (the head start); then every instant
      // holds its transaction open 300 ms: 40 instants take 12 s or more
      long killAfter = schedule.millisBetween(1_200, 8_000);
      String before = runId(results);
      try (JarProcess run =
          JarProcess.startWithJvmFlags(
              LOGS.resolve("kill-replay-" + k + ".log"),
              List.of("-Xmx1g", "-Ddsc650.faults.kafkaHoldTransactionMs=300"),
              replayArgs(source, results, "kill-", "--speedup", "20"))) {
        awaitStatus(results, before, run, "replaying");
        Thread.sleep(killAfter);
        assertTrue(run.isAlive(), "still replaying at the kill:\n" + run.output());
        run.kill9();
      }
      // what read_committed sees: a prefix of the moments, each slice whole
      Map<String, Map<Double, Long>> seen = new HashMap<>();
      long committed = 0;
      long written = 0;
      for (String topic : TOPICS) {
        for (KafkaRecords.Rec r : KafkaRecords.read(BOOTSTRAP, "kill-" + topic, true)) {
          Double t =
              sliceOf.get(topic + "/" + r.value().get("uuid") + "/" + r.value().get("offset"));
          assertTrue(t != null, "a source row: " + r.value());
          seen.computeIfAbsent(topic, x -> new TreeMap<>()).merge(t, 1L, Long::sum);
          committed++;
        }
        written += KafkaRecords.read(BOOTSTRAP, "kill-" + topic, false).size();
      }
      double lastSeen =
          seen.values().stream()
              .flatMap(m -> m.keySet().stream())
              .max(Double::compare)
              .orElse(-1.0);
      for (String topic : TOPICS) {
        Map<Double, Long> expected = new TreeMap<>(sliceRows.get(topic).headMap(lastSeen, true));
        assertEquals(
            expected,
            seen.getOrDefault(topic, Map.of()),
            topic + ": the committed rows are the whole slices of the moments up to t=" + lastSeen);
      }
      int whole = moments.headSet(lastSeen, true).size();
      boolean inTransaction = written > committed;
      inside += inTransaction ? 1 : 0;
      System.out.printf(
          "kill %d at %d ms: %d of %d moments committed (%,d rows); %s%n",
          k,
          killAfter,
          whole,
          moments.size(),
          committed,
          inTransaction
              ? (written - committed) + " records of the open transaction written but not visible"
              : "no transaction open");
    }
    assertTrue(inside > 0, "at least one kill came inside a transaction");

    runToTheEnd(
        LOGS.resolve("kill-rerun.log"), replayArgs(source, results, "kill-", "--max-speed"));
    assertRecordsAreTheSource(source, results, "kill-");
  }

  @Test
  void runQueryKilledAndRestartedOnKafkaIsExact() throws Exception {
    Path source = tmp.resolve("source");
    BddLikeData.write(source);
    Path results = tmp.resolve("results");
    KillSchedule schedule = new KillSchedule("run-query --from kafka kill -9");
    SparkSession spark = QueryOutputs.batchSession();
    String before = runId(results);
    try (JarProcess replay =
        JarProcess.start(
            LOGS.resolve("qkill-replay.log"),
            replayArgs(source, results, "qkill-", "--speedup", "1"))) {
      awaitStatus(results, before, replay, "replaying");
      String[] fresh = queryArgs(results, "qkill-", "--until-replay-complete", "--fresh");
      String[] again = queryArgs(results, "qkill-", "--until-replay-complete");
      for (int k = 0; k < 2; k++) {
        // the replay lasts 80 s: both kills come while it goes on (a run-query takes ~10 s to
        // start)
        long killAfter = schedule.millisBetween(6_000, 16_000);
        try (JarProcess run =
            JarProcess.start(LOGS.resolve("qkill-query-" + k + ".log"), k == 0 ? fresh : again)) {
          Thread.sleep(killAfter);
          assertTrue(run.isAlive(), "run-query still running at the kill:\n" + run.output());
          run.kill9();
        }
        long rows = QueryOutputs.checkNothingDuplicated(spark, source, results);
        System.out.printf(
            "run-query kill %d at %d ms: %,d output rows so far, none twice%n", k, killAfter, rows);
      }
      runToTheEnd(LOGS.resolve("qkill-query-last.log"), again);
      assertEquals(0, replay.waitFor(Duration.ofMinutes(2)), replay.output());
      QueryOutputs.checkAll(spark, source, results);
    } finally {
      QueryOutputs.release(spark);
    }
  }

  @Test
  void theBrokerStoppedAndStartedDuringAReplayLosesAndDuplicatesNothing() throws Exception {
    Path source = tmp.resolve("source");
    BddLikeData.write(source);
    Path results = tmp.resolve("results");
    String before = runId(results);
    try (JarProcess replay =
        JarProcess.start(
            LOGS.resolve("restart-replay.log"),
            replayArgs(source, results, "restart-", "--speedup", "4"))) {
      awaitStatus(results, before, replay, "replaying");
      Thread.sleep(3000);
      kafkaScript("stop");
      Thread.sleep(3000); // the broker stays away a while: the replay retries, nothing is lost
      kafkaScript("start");
      assertEquals(0, replay.waitFor(Duration.ofMinutes(3)), replay.output());
      System.out.println("replay across a broker restart:\n" + replay.output());
    }
    assertRecordsAreTheSource(source, results, "restart-");
  }

  @Test
  void aBrokerGoneForGoodFailsTheReplayWithExitCode1() throws Exception {
    Path source = tmp.resolve("source");
    BddLikeData.write(source);
    Path results = tmp.resolve("results");
    String before = runId(results);
    try (JarProcess replay =
        JarProcess.start(
            LOGS.resolve("gone-replay.log"),
            replayArgs(source, results, "gone-", "--speedup", "4"))) {
      awaitStatus(results, before, replay, "replaying");
      kafkaScript("stop");
      long stopped = System.nanoTime();
      int rc = replay.waitFor(Duration.ofMinutes(2));
      double waited = (System.nanoTime() - stopped) / 1e9;
      System.out.printf(
          "replay ended %.1f s after the broker stopped:%n%s%n", waited, replay.output());
      assertEquals(1, rc, replay.output());
      assertTrue(replay.output().contains("did not take"), replay.output());
      ReplayManifest manifest = Replayed.manifest(results);
      assertEquals(ReplayManifest.Status.FAILED, manifest.status());
      assertNotEquals(null, manifest.error());
    } finally {
      kafkaScript("start");
    }
  }

  /**
   * Polls replay.json until a run other than {@code before} (what it named before the start) has
   * {@code status} (the run is under way), failing if the run ends first.
   */
  static void awaitStatus(Path results, String before, JarProcess run, String status)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      Path file = results.resolve("replay.json");
      if (Files.exists(file)) {
        try {
          ReplayManifest m = Replayed.manifest(results);
          if (!m.runId().equals(before) && m.status().name().equalsIgnoreCase(status)) {
            return;
          }
        } catch (IOException e) {
          // replaced while read: look again
        }
      }
      assertTrue(
          run.isAlive(), "the run ended before replay.json said " + status + ":\n" + run.output());
      assertTrue(System.nanoTime() < deadline, "replay.json says " + status + " within 60 s");
      Thread.sleep(20); // polls a condition
    }
  }

  static String runId(Path results) {
    try {
      return Files.exists(results.resolve("replay.json")) ? Replayed.manifest(results).runId() : "";
    } catch (IOException e) {
      return "";
    }
  }

  static List<Path> sorted(Path topic) throws IOException {
    try (var s = Files.list(topic)) {
      return s.filter(p -> p.getFileName().toString().startsWith("t="))
          .sorted(
              (a, b) ->
                  Double.compare(
                      Double.parseDouble(a.getFileName().toString().substring(2)),
                      Double.parseDouble(b.getFileName().toString().substring(2))))
          .toList();
    }
  }

  static void assertMultisetEquals(
      Map<String, Long> expected, Map<String, Long> actual, String what) {
    if (expected.equals(actual)) {
      return;
    }
    List<String> missing = new ArrayList<>();
    List<String> extra = new ArrayList<>();
    expected.forEach(
        (k, n) -> {
          if (actual.getOrDefault(k, 0L) < n) {
            missing.add(k + " x" + (n - actual.getOrDefault(k, 0L)));
          }
        });
    actual.forEach(
        (k, n) -> {
          if (expected.getOrDefault(k, 0L) < n) {
            extra.add(k + " x" + (n - expected.getOrDefault(k, 0L)));
          }
        });
    throw new AssertionError(
        what
            + ": "
            + missing.size()
            + " rows missing, "
            + extra.size()
            + " extra; e.g. missing "
            + missing.stream().limit(3).toList()
            + ", extra "
            + extra.stream().limit(3).toList());
  }
}
