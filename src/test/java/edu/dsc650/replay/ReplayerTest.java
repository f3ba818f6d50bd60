package edu.dsc650.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import edu.dsc650.io.LocalStorage;
import edu.dsc650.io.ReplayManifest;
import edu.dsc650.io.ResultsLayout;
import edu.dsc650.io.Storage;
import edu.dsc650.parquet.OutputCodec;
import edu.dsc650.parquet.TimestampRewriter;
import edu.dsc650.testing.Datasets;
import edu.dsc650.testing.FakeClock;
import edu.dsc650.testing.HookedStorage;
import edu.dsc650.testing.Replayed;
import edu.dsc650.testing.SinkLogs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The replay loop on a fake clock: what is visible in input, and when. */
class ReplayerTest {
  @TempDir Path tmp;

  Path source;
  Path results;
  ExecutorService workers = Executors.newFixedThreadPool(2);
  LocalStorage storage = new LocalStorage();
  FakeClock clock = new FakeClock();
  Steering steering = new Steering();

  @BeforeEach
  void setUp() throws IOException {
    source = tmp.resolve("source");
    results = tmp.resolve("results");
    Datasets.small(source);
  }

  @AfterEach
  void tearDown() {
    workers.shutdownNow();
  }

  private org.apache.hadoop.fs.Path hadoop(Path p) {
    return new org.apache.hadoop.fs.Path(p.toUri());
  }

  /** What a reader would list in input: topic/slice folders. */
  private TreeSet<String> visibleSlices() throws IOException {
    TreeSet<String> seen = new TreeSet<>();
    Path input = results.resolve("input");
    try (Stream<Path> topics = Files.list(input)) {
      for (Path topic : topics.toList()) {
        try (Stream<Path> slices = Files.list(topic)) {
          slices
              .filter(s -> !s.getFileName().toString().startsWith("_"))
              .forEach(s -> seen.add(topic.getFileName() + "/" + s.getFileName()));
        }
      }
    }
    return seen;
  }

  static final long HEAD_START_MS = 700;

  private record Observation(double clockSeconds, double sim, TreeSet<String> visible) {}

  private ReplaySummary replay(double speedup, List<Observation> seen, int stopAfter)
      throws Exception {
    return replay(speedup, seen, stopAfter, storage);
  }

  private ReplaySummary replay(
      double speedup, List<Observation> seen, int stopAfter, Storage resultsStorage)
      throws Exception {
    return replay(speedup, seen, stopAfter, resultsStorage, 1);
  }

  private ReplaySummary replay(
      double speedup, List<Observation> seen, int stopAfter, Storage resultsStorage, int laps)
      throws Exception {
    return replay(speedup, seen, stopAfter, resultsStorage, laps, 1, false);
  }

  private ReplaySummary replay(
      double speedup,
      List<Observation> seen,
      int stopAfter,
      Storage resultsStorage,
      int laps,
      int scale,
      boolean merge)
      throws Exception {
    return replay(
        speedup, seen, stopAfter, resultsStorage, laps, scale, merge, ReplayOptions.DEFAULT_RETAIN);
  }

  private ReplaySummary replay(
      double speedup,
      List<Observation> seen,
      int stopAfter,
      Storage resultsStorage,
      int laps,
      int scale,
      boolean merge,
      Duration retain)
      throws Exception {
    ReplayOptions options =
        new ReplayOptions(
            new ResultsLayout(hadoop(results)),
            speedup,
            merge,
            OutputCodec.source,
            2,
            java.time.Duration.ofMillis(HEAD_START_MS),
            laps,
            scale,
            retain);
    List<Slice> slices = new SourceScanner(storage, w -> {}).scan(hadoop(source));
    SourceValidator.Totals totals =
        new SourceValidator(storage, 1 << 20).validate(slices, merge, scale > 1, workers);
    Replayer[] replayer = new Replayer[1];
    replayer[0] =
        new Replayer(
            resultsStorage,
            options,
            clock,
            (done, total, sim, files, rows, lag) -> {
              try {
                seen.add(new Observation(clock.elapsedSeconds(), sim, visibleSlices()));
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
              if (done >= stopAfter) {
                replayer[0].requestStop();
              }
            },
            new FileTransport(
                storage,
                resultsStorage,
                options,
                clock,
                ThreadLocal.withInitial(
                    () -> new TimestampRewriter(OutputCodec.source, RideCopies::key))),
            HeapBudget.NONE);
    replayer[0].steeredBy(steering);
    return replayer[0].run(slices, totals, workers);
  }

  @Test
  void publishesEachSliceAtStartPlusTOverSpeedupAndNotBefore() throws Exception {
    List<Observation> seen = new ArrayList<>();
    ReplaySummary summary = replay(4, seen, Integer.MAX_VALUE);

    assertTrue(summary.completed());
    // 10 distinct times: 0 1.5 3.0 9.5 11.7 14 20 25 (t=3.0, 9.5, 11.7, 20 shared by both topics)
    List<Double> due = List.of(0.0, 1.5, 3.0, 9.5, 11.7, 14.0, 20.0, 25.0);
    assertEquals(due, seen.stream().map(Observation::sim).toList());
    for (Observation o : seen) {
      assertEquals(
          HEAD_START_MS / 1000.0 + o.sim() / 4,
          o.clockSeconds(),
          1e-9,
          "published at S + t / speedup, S being the end of validation plus the head start");
      // exactly the slices with t <= now are visible, for both topics: a late topic waited for its
      // time
      TreeSet<String> expected = new TreeSet<>();
      Datasets.ACCELERATION_SLICES.stream()
          .filter(t -> Double.parseDouble(t) <= o.sim())
          .forEach(t -> expected.add("accelerations/t=" + t));
      Datasets.LOCATION_SLICES.stream()
          .filter(t -> Double.parseDouble(t) <= o.sim())
          .forEach(t -> expected.add("locations/t=" + t));
      if (o.sim() >= 25) {
        expected.add("locations/t=25");
      }
      assertEquals(expected, o.visible(), "visible at sim " + o.sim());
    }
    assertEquals(0.0, summary.lagMaxMs(), "a fake clock that is never late gives no lag");
    assertFalse(Files.exists(results.resolve("staging")), "staging is removed at the end");
    ReplayManifest manifest = Replayed.manifest(results);
    assertTrue(manifest.completed(), manifest.toString());
    assertEquals(ReplayManifest.Status.COMPLETED, manifest.status());
    assertEquals(FakeClock.START.plusMillis(HEAD_START_MS).toString(), manifest.start());
    assertEquals(summary.slices(), manifest.publishedSlices());
  }

  @Test
  void writesOneRecordPerPublishedSliceWithItsDueAndPublishedInstantsFilesAndRows()
      throws Exception {
    replay(4, new ArrayList<>(), Integer.MAX_VALUE);

    // expected from the source folders themselves: every slice, its files and rows, due at S + t /
    // 4
    java.util.Map<String, String> expected = new java.util.TreeMap<>();
    java.time.Instant start = FakeClock.START.plusMillis(HEAD_START_MS);
    for (String topic : List.of("accelerations", "locations")) {
      try (Stream<Path> folders = Files.list(source.resolve(topic))) {
        for (Path folder : folders.toList()) {
          List<Path> files = edu.dsc650.testing.ParquetRows.files(folder);
          long rows = 0;
          for (Path f : files) {
            rows += edu.dsc650.testing.ParquetRows.read(f).size();
          }
          double t = Double.parseDouble(folder.getFileName().toString().substring(2));
          String due = start.plusNanos(Math.round(t / 4 * 1e9)).toString();
          expected.put(
              topic + "/" + folder.getFileName(),
              due + " " + due + " 0.0 " + files.size() + " " + rows);
        }
      }
    }
    java.util.Map<String, String> written = new java.util.TreeMap<>();
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    String runId = Replayed.manifest(results).runId();
    for (String line : Files.readAllLines(results.resolve("replay-slices.jsonl"))) {
      var r = json.readTree(line);
      assertEquals(runId, r.get("run_id").asText());
      // the fake clock is never late: published at the due instant, lag 0
      written.put(
          r.get("topic").asText() + "/" + r.get("slice").asText(),
          r.get("due").asText()
              + " "
              + java.time.Instant.parse(r.get("published").asText())
              + " "
              + r.get("lag_ms").asDouble()
              + " "
              + r.get("files").asInt()
              + " "
              + r.get("rows").asLong());
    }
    assertEquals(expected, written);
  }

  /**
   * Issue 33: paused 3 s after slice 3 (sim 8), then twice as fast from sim 12. Every slice is
   * staged ahead before the pause, so the slices after it must be staged again, 3 s later.
   */
  @Test
  void aPauseShiftsWhatIsDueAfterItAndANewSpeedupAppliesFromTheNextSlice() throws Exception {
    double s = HEAD_START_MS / 1000.0; // S on the fake clock
    clock
        .at(s + 2.0, () -> steering.ask(Steering.Request.PAUSE)) // sim 2 * 4 = 8
        .at(s + 4.0, () -> steering.ask(Steering.Request.FASTER)) // while paused: from the resume
        .at(s + 5.0, () -> steering.ask(Steering.Request.TOGGLE)) // resume: 3 s paused
        .at(s + 5.5, () -> steering.ask(Steering.Request.SLOWER)); // sim 8 + 0.5 * 8 = 12
    List<Observation> seen = new ArrayList<>();
    List<String> told = new ArrayList<>();
    ReplaySummary summary = replayTelling(4, seen, told);
    assertTrue(summary.completed());

    // by hand: before the pause at 4 (t / 4); from the resume at 8 from sim 8; from 5.5 s at 4
    java.util.Map<Double, Double> dueAt = new java.util.LinkedHashMap<>();
    dueAt.put(0.0, 0.0);
    dueAt.put(1.5, 1.5 / 4);
    dueAt.put(3.0, 3.0 / 4);
    dueAt.put(9.5, 5 + 1.5 / 8);
    dueAt.put(11.7, 5 + 3.7 / 8);
    dueAt.put(14.0, 5.5 + 2.0 / 4);
    dueAt.put(20.0, 5.5 + 8.0 / 4);
    dueAt.put(25.0, 5.5 + 13.0 / 4);
    assertEquals(List.copyOf(dueAt.keySet()), seen.stream().map(Observation::sim).toList());
    for (Observation o : seen) {
      assertEquals(s + dueAt.get(o.sim()), o.clockSeconds(), 1e-6, "sim " + o.sim());
    }
    assertEquals(List.of("paused", "speed-up 8", "resumed", "speed-up 4"), told);

    // rows: S + offset, and 3 s later for every slice due after the pause
    long start = Replayed.startMicros(results);
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    int records = 0;
    for (String line : Files.readAllLines(results.resolve("replay-slices.jsonl"))) {
      var r = json.readTree(line);
      double t = r.get("t").asDouble();
      double pausedBefore = t > 8 ? 3.0 : 0.0;
      assertEquals(pausedBefore, r.get("paused_s").asDouble(), 1e-9, line);
      assertEquals(t > 8 && t <= 12 ? 8.0 : 4.0, r.get("speedup").asDouble(), 1e-9, line);
      assertEquals(
          FakeClock.START.plusNanos(Math.round((s + dueAt.get(t)) * 1e9)).toString(),
          r.get("due").asText(),
          line);
      String topic = r.get("topic").asText();
      String folder = r.get("slice").asText();
      List<Map<String, Object>> expectedRows = new ArrayList<>();
      for (Path f : edu.dsc650.testing.ParquetRows.files(source.resolve(topic).resolve(folder))) {
        expectedRows.addAll(
            Replayed.withTimestamps(
                edu.dsc650.testing.ParquetRows.read(f), start + Math.round(pausedBefore * 1e6)));
      }
      List<Map<String, Object>> actual = new ArrayList<>();
      for (Path f :
          edu.dsc650.testing.ParquetRows.files(
              results.resolve("input").resolve(topic).resolve(folder))) {
        actual.addAll(edu.dsc650.testing.ParquetRows.read(f));
      }
      edu.dsc650.testing.Rows.assertSameRows(expectedRows, actual, topic + "/" + folder);
      records++;
    }
    assertEquals(summary.slices(), records);

    ReplayManifest.Steering steered = Replayed.manifest(results).steering();
    assertFalse(steered.paused());
    assertEquals(4.0, steered.speedup());
    assertEquals(3.0, steered.pausedSeconds(), 1e-9);
    assertEquals(
        List.of("pause@8.0x4.0", "speedup@8.0x8.0", "resume@8.0x8.0", "speedup@12.0x4.0"),
        steered.changes().stream()
            .map(c -> c.action() + "@" + Math.round(c.simSeconds() * 1e6) / 1e6 + "x" + c.speedup())
            .toList());
  }

  /**
   * A pause that comes while the publisher is behind (t=3.0 already due): nothing goes out while
   * paused, not even t=3.0; it goes out at the resume with its due instant unchanged (the lag
   * counts the pause) and its rows unshifted, and the slices after it are shifted.
   */
  @Test
  void aSliceDueBeforeAPauseButNotOutYetWaitsForTheResume() throws Exception {
    double s = HEAD_START_MS / 1000.0;
    clock.at(s + 3.0, () -> steering.ask(Steering.Request.RESUME));
    List<Observation> seen = new ArrayList<>();
    List<String> told = new ArrayList<>();
    publishedHook =
        sim -> {
          if (sim == 1.5) {
            steering.ask(Steering.Request.PAUSE);
            clock.advance(0.5); // publishing t=1.5 was slow: t=3.0 (due at 0.75 s) is due already
          }
        };
    replayTelling(4, seen, told);
    assertEquals(List.of("paused", "resumed"), told);
    Observation three = seen.stream().filter(o -> o.sim() == 3.0).findFirst().orElseThrow();
    assertEquals(s + 3.0, three.clockSeconds(), 1e-6, "out at the resume, not while paused");
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    for (String line : Files.readAllLines(results.resolve("replay-slices.jsonl"))) {
      var r = json.readTree(line);
      double t = r.get("t").asDouble();
      if (t == 3.0) {
        assertEquals(
            FakeClock.START.plusNanos(Math.round((s + 0.75) * 1e9)).toString(),
            r.get("due").asText(),
            "its true due instant");
        assertEquals(2250.0, r.get("lag_ms").asDouble(), 1e-3, "the lag counts the pause");
        assertEquals(0.0, r.get("paused_s").asDouble(), "due before the pause: not shifted");
      } else if (t > 3.0) {
        assertEquals(3.0 - (0.375 + 0.5), r.get("paused_s").asDouble(), 1e-6, line);
      }
    }
  }

  @Test
  void aSpeedupPastTheFastestIsRefusedAndChangesNothing() throws Exception {
    double s = HEAD_START_MS / 1000.0;
    clock
        .at(s - 0.2, () -> steering.ask(Steering.Request.FASTER)) // in the head start
        .at(s - 0.1, () -> steering.ask(Steering.Request.RESUME));
    List<String> told = new ArrayList<>();
    List<Observation> seen = new ArrayList<>();
    replayTelling(ReplayOptions.MAX_SPEEDUP, seen, told);
    assertEquals(
        List.of("speed-up stays 100000: 200000 is over the fastest, 100000", "running already"),
        told);
    assertEquals(List.of(), Replayed.manifest(results).steering().changes());
  }

  /** Called after each moment is published, with its t (on the publishing thread). */
  java.util.function.DoubleConsumer publishedHook = sim -> {};

  /** A replay of {@link Datasets#small} that records what each steering request became. */
  private ReplaySummary replayTelling(double speedup, List<Observation> seen, List<String> told)
      throws Exception {
    ReplayOptions options =
        new ReplayOptions(
            new ResultsLayout(hadoop(results)),
            speedup,
            false,
            OutputCodec.source,
            2,
            java.time.Duration.ofMillis(HEAD_START_MS));
    List<Slice> slices = new SourceScanner(storage, w -> {}).scan(hadoop(source));
    SourceValidator.Totals totals =
        new SourceValidator(storage, 1 << 20).validate(slices, false, false, workers);
    ReplayProgress progress =
        new ReplayProgress() {
          @Override
          public void published(
              int done, int total, double sim, long files, long rows, long lagNanos) {
            try {
              seen.add(new Observation(clock.elapsedSeconds(), sim, visibleSlices()));
            } catch (IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
            publishedHook.accept(sim);
          }

          @Override
          public void steered(String what, boolean paused, double speedup) {
            told.add(what);
          }
        };
    return new Replayer(
            storage,
            options,
            clock,
            progress,
            new FileTransport(
                storage,
                storage,
                options,
                clock,
                ThreadLocal.withInitial(
                    () -> new TimestampRewriter(OutputCodec.source, RideCopies::key))),
            HeapBudget.NONE)
        .steeredBy(steering)
        .run(slices, totals, workers);
  }

  /**
   * The lap length of {@link Datasets#small}, by hand: times 0 1.5 3 9.5 11.7 14 20 25, median gap
   * 2.3.
   */
  static final double LAP = 25 + 2.3;

  @Test
  void twoLapsPublishTheSecondShiftedByTheLapLengthInFoldersTimestampsAndDueInstants()
      throws Exception {
    List<Observation> seen = new ArrayList<>();
    ReplaySummary summary = replay(4, seen, Integer.MAX_VALUE, storage, 2);
    assertTrue(summary.completed());

    // lap 1's folders, named as the source names them (no padding, decimals kept), by hand
    TreeSet<String> expected = new TreeSet<>();
    Datasets.ACCELERATION_SLICES.forEach(t -> expected.add("accelerations/t=" + t));
    Datasets.LOCATION_SLICES.forEach(t -> expected.add("locations/t=" + t));
    expected.add("locations/t=25");
    List.of("27.3", "28.8", "30.3", "36.8", "39.0", "47.3")
        .forEach(t -> expected.add("accelerations/t=" + t));
    List.of("30.3", "36.8", "39.0", "41.3", "47.3", "52.3")
        .forEach(t -> expected.add("locations/t=" + t));
    assertEquals(expected, visibleSlices());
    // the second lap's moments are due at S + (t + L) / 4
    List<Double> sims = seen.stream().map(Observation::sim).toList();
    assertEquals(16, sims.size());
    for (int i = 0; i < 8; i++) {
      assertEquals(sims.get(i) + LAP, sims.get(i + 8), 1e-9);
      assertEquals(
          HEAD_START_MS / 1000.0 + (sims.get(i) + LAP) / 4, seen.get(i + 8).clockSeconds(), 1e-9);
    }

    // lap 1's rows: the source rows, timestamp = S + offset + L
    long start = Replayed.startMicros(results);
    long lapMicros = Math.round(LAP * 1e6);
    for (String topic : List.of("accelerations", "locations")) {
      try (Stream<Path> folders = Files.list(source.resolve(topic))) {
        for (Path folder : folders.toList()) {
          String t = folder.getFileName().toString().substring(2);
          String shifted =
              new java.math.BigDecimal(t).add(new java.math.BigDecimal("27.3")).toPlainString();
          Path published = results.resolve("input").resolve(topic).resolve("t=" + shifted);
          List<Map<String, Object>> expectedRows = new ArrayList<>();
          for (Path f : edu.dsc650.testing.ParquetRows.files(folder)) {
            for (Map<String, Object> row :
                Replayed.withTimestamps(edu.dsc650.testing.ParquetRows.read(f), start)) {
              row.put("timestamp", (Long) row.get("timestamp") + lapMicros);
              expectedRows.add(row);
            }
          }
          List<Map<String, Object>> actual = new ArrayList<>();
          for (Path f : edu.dsc650.testing.ParquetRows.files(published)) {
            actual.addAll(edu.dsc650.testing.ParquetRows.read(f));
          }
          edu.dsc650.testing.Rows.assertSameRows(
              expectedRows, actual, topic + " lap 1 of " + folder.getFileName());
        }
      }
    }
    ReplayManifest manifest = Replayed.manifest(results);
    assertEquals(2, manifest.laps());
    assertEquals(LAP, manifest.lapSeconds(), 1e-9);
    assertEquals(
        2 * 12, manifest.slices()); // 6 acceleration and 6 location slices (t=25 empty) a lap
    assertEquals(24, manifest.publishedSlices());
  }

  /**
   * Issue 21, item 5: rows of the last slice reach past its time (here 22.3 s in t=20, where the
   * slices alone give a lap of 22.2 s), and no row of lap 1 may come before a row of lap 0.
   */
  @Test
  void everyRowOfTheNextLapComesAfterEveryRowOfTheLapBefore() throws Exception {
    Files.delete(source.resolve("locations/t=25")); // an empty slice: the last time is then 20
    ReplaySummary summary = replay(100, new ArrayList<>(), Integer.MAX_VALUE, storage, 2);
    assertTrue(summary.completed());
    double lap = Replayed.manifest(results).lapSeconds();
    long start = Replayed.startMicros(results);
    for (String topic : List.of("accelerations", "locations")) {
      long lastOfLap0 = Long.MIN_VALUE;
      long firstOfLap1 = Long.MAX_VALUE;
      long maxOffsetMicros = Long.MIN_VALUE;
      try (Stream<Path> folders = Files.list(results.resolve("input").resolve(topic))) {
        for (Path folder :
            folders.filter(f -> f.getFileName().toString().startsWith("t=")).toList()) {
          double t = Double.parseDouble(folder.getFileName().toString().substring(2));
          for (Path f : edu.dsc650.testing.ParquetRows.files(folder)) {
            for (Map<String, Object> row : edu.dsc650.testing.ParquetRows.read(f)) {
              long ts = (Long) row.get("timestamp");
              if (t < lap) {
                lastOfLap0 = Math.max(lastOfLap0, ts);
                maxOffsetMicros =
                    Math.max(maxOffsetMicros, Math.round((Double) row.get("offset") * 1e6));
              } else {
                firstOfLap1 = Math.min(firstOfLap1, ts);
              }
            }
          }
        }
      }
      assertTrue(
          maxOffsetMicros > 20_000_000L, topic + ": the data reach past the last slice's time");
      assertTrue(lap * 1e6 > maxOffsetMicros, topic + ": L " + lap + " exceeds every offset");
      assertTrue(
          firstOfLap1 > lastOfLap0,
          topic
              + ": lap 1 starts at "
              + (firstOfLap1 - start)
              + " us, after lap 0's last row at "
              + (lastOfLap0 - start)
              + " us");
    }
  }

  /** The published rows of a slice folder by ride: uuid to its rows with uuid removed, in order. */
  private static Map<String, List<Map<String, Object>>> byRide(List<Path> files)
      throws IOException {
    Map<String, List<Map<String, Object>>> rides = new java.util.TreeMap<>();
    for (Path f : files) {
      for (Map<String, Object> row : edu.dsc650.testing.ParquetRows.read(f)) {
        Map<String, Object> rest = new java.util.LinkedHashMap<>(row);
        rides.computeIfAbsent((String) rest.remove("uuid"), k -> new ArrayList<>()).add(rest);
      }
    }
    return rides;
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void scaleThreeReplaysEachRideAsThreeRidesWithTheSameRowsAndTiming(boolean merge)
      throws Exception {
    List<Observation> seen = new ArrayList<>();
    ReplaySummary summary = replay(4, seen, Integer.MAX_VALUE, storage, 1, 3, merge);
    assertTrue(summary.completed());
    // the same moments as one copy: 0 1.5 3 9.5 11.7 14 20 25
    assertEquals(
        List.of(0.0, 1.5, 3.0, 9.5, 11.7, 14.0, 20.0, 25.0),
        seen.stream().map(Observation::sim).toList());

    long start = Replayed.startMicros(results);
    Map<String, String> copyOf =
        new java.util.HashMap<>(); // a published uuid -> the source ride it copies
    long sourceRows = 0;
    for (String topic : List.of("accelerations", "locations")) {
      try (Stream<Path> folders = Files.list(source.resolve(topic))) {
        for (Path folder : folders.toList()) {
          List<Path> sourceFiles = edu.dsc650.testing.ParquetRows.files(folder);
          Path published = results.resolve("input").resolve(topic).resolve(folder.getFileName());
          List<Path> publishedFiles = edu.dsc650.testing.ParquetRows.files(published);
          assertEquals(
              sourceFiles.isEmpty() ? 0 : merge ? 1 : 3 * sourceFiles.size(),
              publishedFiles.size(),
              published + ": " + publishedFiles);
          // what the source says: each ride's rows with timestamp = S + offset
          Map<String, List<Map<String, Object>>> expected = new java.util.TreeMap<>();
          for (Path f : sourceFiles) {
            for (Map<String, Object> row :
                Replayed.withTimestamps(edu.dsc650.testing.ParquetRows.read(f), start)) {
              expected
                  .computeIfAbsent((String) row.remove("uuid"), k -> new ArrayList<>())
                  .add(row);
              sourceRows++;
            }
          }
          Map<String, List<Map<String, Object>>> actual = byRide(publishedFiles);
          assertEquals(
              3 * expected.size(),
              actual.size(),
              "three distinct rides per source ride in " + published);
          for (Map.Entry<String, List<Map<String, Object>>> ride : actual.entrySet()) {
            String original =
                expected.containsKey(ride.getKey())
                    ? ride.getKey()
                    : expected.entrySet().stream()
                        .filter(e -> e.getValue().equals(ride.getValue()))
                        .map(Map.Entry::getKey)
                        .findFirst()
                        .orElseThrow(
                            () -> new AssertionError(ride.getKey() + " copies no source ride"));
            assertEquals(
                expected.get(original), ride.getValue(), ride.getKey() + " in " + published);
            String before = copyOf.putIfAbsent(ride.getKey(), original);
            assertEquals(
                before == null ? original : before,
                original,
                "a copy's uuid names one ride in every slice");
          }
        }
      }
    }
    // the whole run: ride-a and ride-b, each as itself and two copies, six distinct uuids
    assertEquals(
        Map.of("ride-a", 3L, "ride-b", 3L),
        copyOf.values().stream()
            .collect(
                java.util.stream.Collectors.groupingBy(
                    v -> v, java.util.TreeMap::new, java.util.stream.Collectors.counting())));
    ReplayManifest manifest = Replayed.manifest(results);
    assertEquals(3, manifest.scale());
    assertEquals(3 * sourceRows, manifest.rows());
    assertEquals(3 * sourceRows, summary.rows());
  }

  /**
   * Issue 21, item 2: an endless run keeps what it published within its retention (wall clock), not
   * a lap: a reader slower than a lap still finds every file it has not read. Older slices leave
   * the log's compactions and the disk together, and the log keeps a bounded number of files.
   */
  @Test
  void anEndlessLoopKeepsWhatItPublishedWithinItsRetention() throws Exception {
    // at 100x a lap (27.3 s) takes 273 ms; keep 600 ms: about two laps
    ReplaySummary summary =
        replay(100, new ArrayList<>(), 120, storage, 0, 1, false, Duration.ofMillis(600));
    assertFalse(summary.completed());
    assertEquals(ReplayManifest.Status.STOPPED, Replayed.manifest(results).status());
    assertEquals(0, Replayed.manifest(results).laps());
    Path topicInput = results.resolve("input/accelerations");
    // the acceleration slices in publishing order: batch i of the topic's log is slice i
    List<edu.dsc650.io.SliceRecord> published =
        edu.dsc650.io.SliceRecord.readAll(storage, hadoop(results.resolve("replay-slices.jsonl")))
            .stream()
            .filter(r -> r.topic().equals("accelerations"))
            .toList();
    var batches = edu.dsc650.testing.SinkLogs.batches(topicInput);
    long c =
        batches.keySet().stream()
            .filter(b -> Files.exists(topicInput.resolve("_spark_metadata/" + b + ".compact")))
            .max(Long::compare)
            .orElseThrow();
    java.time.Instant compacted = java.time.Instant.parse(published.get((int) c).published());
    java.util.Set<Path> named = new java.util.HashSet<>();
    edu.dsc650.testing.SinkLogs.allFiles(topicInput).forEach(f -> named.add(f.getParent()));
    int kept = 0;
    for (int i = 0; i <= c; i++) {
      Path folder = topicInput.resolve(published.get(i).slice());
      long age =
          Duration.between(java.time.Instant.parse(published.get(i).published()), compacted)
              .toMillis();
      boolean retained = age <= 600;
      kept += retained ? 1 : 0;
      assertEquals(
          retained,
          named.contains(folder),
          "batch " + i + ", " + age + " ms before compaction " + c);
      assertEquals(
          retained,
          Files.isDirectory(folder),
          "batch " + i + "'s folder on disk, " + age + " ms old");
    }
    assertTrue(kept > 6, "more than one lap (6 slices) kept: " + kept);
    assertTrue(c > 20, "several compactions: " + c);
    try (Stream<Path> log = Files.list(topicInput.resolve("_spark_metadata"))) {
      assertTrue(log.count() <= 21, "the log keeps two compaction intervals of files");
    }
  }

  @Test
  void aStopLeavesOnlyWholeSlicesAndCleansStaging() throws Exception {
    List<Observation> seen = new ArrayList<>();
    ReplaySummary summary = replay(1, seen, 3);

    assertFalse(summary.completed());
    assertEquals(4, summary.slices(), "t=0, t=1.5 and both slices of t=3.0; then the stop");
    assertEquals(
        seen.get(seen.size() - 1).visible(), visibleSlices(), "nothing published after the stop");
    assertFalse(Files.exists(results.resolve("staging")));
    // every visible slice has all its files
    for (String slice : visibleSlices()) {
      try (Stream<Path> files = Files.list(results.resolve("input").resolve(slice))) {
        try (Stream<Path> src = Files.list(source.resolve(slice))) {
          assertEquals(
              src.filter(
                      f ->
                          f.toString().endsWith(".parquet")
                              && !f.getFileName().toString().startsWith("."))
                  .count(),
              files.count(),
              slice);
        }
      }
    }
    ReplayManifest manifest = Replayed.manifest(results);
    assertFalse(manifest.completed());
    assertEquals(ReplayManifest.Status.STOPPED, manifest.status());
    assertEquals(4, manifest.publishedSlices(), "replay.json says how far the run got");
  }

  @Test
  void clearsOnlyStagingAndInput() throws Exception {
    Files.createDirectories(results.resolve("output/simple"));
    Files.writeString(results.resolve("output/simple/keep.txt"), "mine");
    Files.createDirectories(results.resolve("input/old"));
    Files.writeString(results.resolve("input/old/stale.parquet"), "old run");
    Files.createDirectories(results.resolve("staging/x"));

    replay(1000, new ArrayList<>(), Integer.MAX_VALUE);

    assertEquals("mine", Files.readString(results.resolve("output/simple/keep.txt")));
    assertFalse(Files.exists(results.resolve("input/old")));
  }

  @Test
  void theNewRunIsInReplayJsonBeforeInputIsCleared() throws Exception {
    // what a completed earlier run left
    Files.createDirectories(results);
    Files.writeString(
        results.resolve("replay.json"), "{\"run_id\": \"earlier\", \"status\": \"completed\"}");
    Files.createDirectories(results.resolve("input/locations/t=0"));
    List<ReplayManifest> seenWhenClearing = new ArrayList<>();
    Storage watching =
        new HookedStorage(
            storage,
            (op, path) -> {
              // the first change to input: it is moved aside, then deleted
              if (op.equals("rename") && path.getName().startsWith(".input.deleting-")
                  || op.equals("deleteRecursively") && path.getName().equals("input")) {
                seenWhenClearing.add(Replayed.manifest(results));
              }
            });

    replay(1000, new ArrayList<>(), Integer.MAX_VALUE, watching);

    assertEquals(1, seenWhenClearing.size());
    ReplayManifest before = seenWhenClearing.get(0);
    assertFalse(before.runId().equals("earlier"), "the earlier run's replay.json was still there");
    assertEquals(ReplayManifest.Status.STARTING, before.status());
    assertFalse(before.completed());
    assertEquals(
        before.runId(), Replayed.manifest(results).runId(), "one run id from start to end");
  }

  @Test
  void anIoFailureMidReplayLeavesATrueReplayJsonAndNoStaging() throws Exception {
    int[] renames = {0};
    Storage failing =
        new HookedStorage(
            storage,
            (op, path) -> {
              if (op.equals("rename") && path.getName().startsWith("t=") && ++renames[0] == 4) {
                throw new IOException("disk on fire");
              }
            });

    IOException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IOException.class, () -> replay(1000, new ArrayList<>(), Integer.MAX_VALUE, failing));

    assertTrue(e.getMessage().contains("disk on fire"), e.getMessage());
    ReplayManifest manifest = Replayed.manifest(results);
    assertEquals(ReplayManifest.Status.FAILED, manifest.status());
    assertEquals(3, manifest.publishedSlices(), "three slices were published before the failure");
    assertTrue(manifest.error().contains("disk on fire"), manifest.error());
    assertFalse(Files.exists(results.resolve("staging")), "staging is removed after a failure");
  }

  @Test
  void aRuntimeFailureMidReplayAlsoCleansStaging() throws Exception {
    int[] renames = {0};
    Storage failing =
        new HookedStorage(
            storage,
            (op, path) -> {
              if (op.equals("rename") && path.getName().startsWith("t=") && ++renames[0] == 2) {
                throw new IllegalStateException("bug");
              }
            });

    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalStateException.class,
        () -> replay(1000, new ArrayList<>(), Integer.MAX_VALUE, failing));

    assertFalse(
        Files.exists(results.resolve("staging")), "staging is removed after a runtime failure");
    ReplayManifest manifest = Replayed.manifest(results);
    assertEquals(ReplayManifest.Status.FAILED, manifest.status());
    assertEquals(1, manifest.publishedSlices());
  }

  @Test
  void eachPublishedSliceIsOneBatchOfItsTopicsFileSinkLog() throws Exception {
    replay(1000, new ArrayList<>(), Integer.MAX_VALUE);

    for (String topic : List.of("accelerations", "locations")) {
      Path input = results.resolve("input").resolve(topic);
      java.util.TreeMap<Long, List<Path>> batches = SinkLogs.batches(input);
      List<String> slices =
          (topic.equals("locations") ? Datasets.LOCATION_SLICES : Datasets.ACCELERATION_SLICES)
              .stream()
                  .map(t -> "t=" + t)
                  .collect(java.util.stream.Collectors.toCollection(ArrayList::new));
      if (topic.equals("locations")) {
        slices.add("t=25"); // the empty slice: a batch with no file
      }
      assertEquals(slices.size(), batches.size(), topic + ": one log batch per slice");
      long id = 0;
      for (String slice : slices) {
        List<Path> files;
        try (Stream<Path> s = Files.list(input.resolve(slice))) {
          files = s.sorted().toList();
        }
        List<Path> batch = batches.get(id);
        if ((id + 1) % 10 != 0) { // a compaction batch holds everything so far
          assertEquals(
              files, batch.stream().sorted().toList(), topic + ": batch " + id + " names " + slice);
        }
        id++;
      }
      List<Path> everything;
      try (Stream<Path> s = Files.walk(input)) {
        everything =
            s.filter(
                    p ->
                        p.toString().endsWith(".parquet")
                            && !p.toString().contains("_spark_metadata"))
                .sorted()
                .toList();
      }
      assertEquals(
          everything,
          SinkLogs.allFiles(input).stream().sorted().toList(),
          topic + ": a reader of the log gets every published file");
    }
  }
}
