package edu.dsc650.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import edu.dsc650.io.ResultsLayout;
import edu.dsc650.io.Storage;
import edu.dsc650.report.live.LiveFeed;
import edu.dsc650.report.live.LiveServer;
import edu.dsc650.testing.BddLikeData;
import edu.dsc650.testing.DevTools;
import edu.dsc650.testing.JarProcess;
import edu.dsc650.testing.ParquetRows;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code report --serve} in headless Chromium during a live run of the packaged jar: the page
 * changes between two moments without a reload, and ends with what the results' logs hold, read
 * here line by line; names that hold HTML show as text. Saves target/live-screenshot.png.
 */
@Order(4) // in the side-by-side execution: see pom.xml
class LivePageInBrowserIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern ADDRESS = Pattern.compile("live page: (http://\\S+)");
  private static final Duration PATIENCE = Duration.ofMinutes(3);

  /** Event times from here on are run-query's end-of-stream markers, which the page leaves out. */
  private static final long MARKERS = Instant.parse("8000-01-01T00:00:00Z").toEpochMilli();

  @TempDir Path tmp;

  @Test
  void thePageChangesInPlaceDuringARunAndEndsWithWhatTheLogsHold() throws Exception {
    Path source = tmp.resolve("source");
    Path results = tmp.resolve("results");
    BddLikeData.write(source);
    // started first, before the folder exists, as a user may
    try (JarProcess serve =
        JarProcess.start(
            tmp.resolve("serve.log"),
            "report",
            "--serve",
            "--port",
            "0",
            "--results",
            results.toString())) {
      URI page = address(serve);
      try (DevTools browser = DevTools.open(page, tmp.resolve("profile"), 1280, 2200)) {
        browser.await(
            "document.getElementById('connection').textContent",
            v -> v.asText().equals("live"),
            PATIENCE);
        try (JarProcess replay =
                JarProcess.start(
                    tmp.resolve("replay.log"),
                    "stream-data",
                    "--source",
                    source.toString(),
                    "--results",
                    results.toString(),
                    "--speedup",
                    "4",
                    "--wait-for-queries");
            JarProcess query =
                JarProcess.start(
                    tmp.resolve("query.log"),
                    "run-query",
                    "windowed",
                    "joined",
                    "--until-replay-complete",
                    "--results",
                    results.toString(),
                    "--master",
                    "local[2]")) {
          // pause from the page's button once slices flow: nothing is published until resumed
          browser.await("state.slices.length", v -> v.asInt() >= 3, PATIENCE);
          String paused = "!!(state.replay.steering && state.replay.steering.paused)";
          browser.await(
              "!document.getElementById('steer-pause').disabled", v -> v.asBoolean(), PATIENCE);
          browser.eval("document.getElementById('steer-pause').click()");
          browser.await(paused, v -> v.asBoolean(), Duration.ofSeconds(30));
          assertEquals(
              "resume",
              browser.eval("document.getElementById('steer-pause').textContent").asText());
          assertEquals(
              "paused",
              browser.eval("document.querySelector('#figures .figure').textContent").asText());
          int shownWhenPaused = browser.eval("state.slices.length").asInt();
          Thread.sleep(2000); // a pause a user would make; what is checked is the records
          assertEquals(
              shownWhenPaused, browser.eval("state.slices.length").asInt(), "none while paused");
          browser.eval("document.getElementById('steer-pause').click()");
          browser.await(paused, v -> !v.asBoolean(), Duration.ofSeconds(30));

          // two moments of the run: the windowed chart has more points, the page is the same one
          String points =
              "queryChartIds.windowed ? charts[queryChartIds.windowed + '-time']"
                  + ".getOption().series[0].data.length : 0";
          int first = browser.await(points, v -> v.asInt() >= 2, PATIENCE).asInt();
          String loaded = browser.eval("window.pageLoadId").asText();
          int later = browser.await(points, v -> v.asInt() >= first + 3, PATIENCE).asInt();
          assertTrue(later > first);
          assertEquals(loaded, browser.eval("window.pageLoadId").asText(), "no reload");
          assertTrue(browser.eval("state.slices.length").asInt() > 0, "the replay is drawn");

          assertEquals(0, replay.waitFor(PATIENCE), replay.output());
          assertEquals(0, query.waitFor(PATIENCE), query.output());
        }

        // the end: every slice and every micro-batch the logs hold, with their watermarks
        List<String> slices = lines(results.resolve("replay-slices.jsonl"));
        browser.await(
            "state.slices.length", v -> v.asInt() == slices.size(), Duration.ofSeconds(30));
        for (String q : List.of("windowed", "joined")) {
          List<JsonNode> logged = new ArrayList<>();
          try (Stream<Path> files = Files.list(results.resolve("progress").resolve(q))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".jsonl")).sorted().toList()) {
              for (String line : lines(f)) {
                logged.add(JSON.readTree(line));
              }
            }
          }
          String batches = "state.queries['" + q + "'].batches";
          browser.await(
              batches + ".length", v -> v.asInt() == logged.size(), Duration.ofSeconds(30));
          JsonNode shown = browser.eval(batches + ".map(b => [b.id, b.watermark ?? null])");
          for (int i = 0; i < logged.size(); i++) {
            JsonNode p = logged.get(i);
            assertEquals(
                p.get("batchId").asLong(), shown.get(i).get(0).asLong(), q + " batch " + i);
            Long watermark = watermark(p);
            assertEquals(
                watermark == null ? "null" : watermark.toString(),
                shown.get(i).get(1).isNull() ? "null" : Long.toString(shown.get(i).get(1).asLong()),
                q + " batch " + p.get("batchId") + "'s watermark");
          }
          // Spark's rule, with the 30 s delay: a batch's watermark is at most the newest event
          // time of the batches before it minus 30 s. Checked up to the drain: a batch with
          // end-of-stream markers reports their event time as its newest, not its data's.
          long newest = Long.MIN_VALUE;
          int checked = 0;
          for (JsonNode p : logged) {
            Long max = millis(p.path("eventTime").path("max"));
            if (max != null && max >= MARKERS) {
              break;
            }
            Long w = watermark(p);
            if (w != null) {
              assertTrue(w <= newest - 30_000, q + " batch " + p.get("batchId") + ": " + w);
              checked++;
            }
            if (max != null) {
              newest = Math.max(newest, max);
            }
          }
          assertTrue(checked >= 3, q + ": watermarks checked before the drain: " + checked);
        }
        assertNothingPublishedWhilePaused(results);
        // the outputs are exact: each slice's rows later by the pause before it
        edu.dsc650.query.QueryOutputs.checkDrained(source, results, List.of("windowed", "joined"));
        assertWindowsAreTheOutputs(browser, results.resolve("output/windowed"));
        assertJoinCountsAreTheOutputs(browser, results.resolve("output/stream-joined"));
        assertEquals("", browser.eval("document.getElementById('errors').textContent").asText());
        assertTrue(
            browser.console().stream().noneMatch(c -> c.startsWith("exception")),
            browser.console().toString());
        browser.screenshot(Paths.get("target", "live-screenshot.png").toAbsolutePath());
      }
      // the run is over: report --serve writes report's page itself and serves it at /report
      serve.awaitOutput("report written: ", PATIENCE);
      java.net.http.HttpResponse<String> report =
          java.net.http.HttpClient.newHttpClient()
              .send(
                  java.net.http.HttpRequest.newBuilder(page.resolve("report")).build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString());
      assertEquals(200, report.statusCode());
      assertEquals(Files.readString(results.resolve("report/index.html")), report.body());
      assertTrue(report.body().contains("<title>dsc650 report</title>"));
      serve.terminate();
      assertEquals(0, serve.waitFor(Duration.ofSeconds(30)), serve.output());
      assertTrue(serve.output().contains("live page stopped"), serve.output());
    }
  }

  @Test
  void namesThatHoldHtmlShowAsText() throws Exception {
    String name = "<img src=x onerror=window.pwned=1>";
    Path root = tmp.resolve("probe");
    append(
        root.resolve("replay-slices.jsonl"),
        "{\"run_id\":\"r\",\"topic\":\""
            + name.replace("\"", "\\\"")
            + "\",\"slice\":\"t=<b>0</b>\",\"t\":0.0,\"due\":\"2026-12-06T10:00:00Z\","
            + "\"published\":\"2026-12-06T10:00:00.001Z\",\"lag_ms\":1.0,\"files\":1,\"rows\":1,"
            + "\"txn_ms\":12.5}"); // a Kafka slice: the transactions' chart shows too
    append(
        root.resolve("progress/q/q-1.jsonl"),
        "{\"runId\":\"r\",\"name\":\""
            + name
            + "\",\"timestamp\":\"2026-12-06T10:00:01Z\",\"batchId\":0,\"numInputRows\":1,"
            + "\"durationMs\":{\"addBatch\":5,\"triggerExecution\":9},"
            + "\"eventTime\":{\"max\":\"2026-12-06T10:00:00Z\"}}");
    // a --sql query of that name, whose rows hold HTML too (update mode: batch_id=0)
    String value = "<b>bold</b><script>window.pwned=3</script>";
    append(
        root.resolve("progress").resolve(name).resolve("q-1.jsonl"),
        "{\"runId\":\"r\",\"name\":\""
            + name
            + "\",\"timestamp\":\"2026-12-06T10:00:01Z\",\"batchId\":0,\"numInputRows\":1,"
            + "\"durationMs\":{\"addBatch\":5,\"triggerExecution\":9}}");
    edu.dsc650.testing.TestData.write(
        root.resolve("output").resolve(name).resolve("batch_id=0").resolve("part-0.parquet"),
        org.apache.parquet.schema.MessageTypeParser.parseMessageType(
            "message spark_schema { optional binary note (STRING); }"),
        org.apache.parquet.hadoop.metadata.CompressionCodecName.UNCOMPRESSED,
        false,
        org.apache.parquet.column.ParquetProperties.WriterVersion.PARQUET_1_0,
        w -> w.write(w.row().append("note", value)));
    try (LiveServer server =
            LiveServer.start(
                new LiveFeed(
                    Storage.forLocation(root.toString()),
                    new ResultsLayout(new org.apache.hadoop.fs.Path(root.toUri()))),
                (snapshot, secret) ->
                    ReportPage.page(
                        "edu/dsc650/report/live.html",
                        java.util.Map.of("results", name, "snapshot", snapshot, "secret", secret)),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                0,
                w -> {});
        DevTools browser = DevTools.open(server.address(), tmp.resolve("profile2"), 1280, 1600)) {
      browser.await(
          "document.querySelectorAll('#queries h3').length", v -> v.asInt() == 1, PATIENCE);
      assertEquals(
          name, browser.eval("document.querySelector('#queries h3').textContent").asText());
      assertEquals(name, browser.eval("document.getElementById('where').textContent").asText());
      assertEquals(0, browser.eval("document.querySelectorAll('img, b').length").asInt());
      browser.await("document.querySelectorAll('#own td').length", v -> v.asInt() == 1, PATIENCE);
      assertEquals(value, browser.eval("document.querySelector('#own td').textContent").asText());
      assertEquals(name, browser.eval("document.querySelector('#own h3').textContent").asText());
      // each tooltip that shows a name, called as ECharts would call it on hover
      JsonNode tooltips =
          browser.eval(
              "[charts['chart-replay'].getOption().tooltip[0].formatter("
                  + "{seriesName: "
                  + js(name)
                  + ", data: {slice: "
                  + js(name)
                  + "}, value: [0, 1]}),"
                  + " charts['chart-lag'].getOption().tooltip[0].formatter("
                  + "{seriesName: "
                  + js(name)
                  + ", data: {slice: "
                  + js(name)
                  + "}, value: [0, 1]}),"
                  + " charts['chart-rows'].getOption().tooltip[0].formatter("
                  + "{seriesName: "
                  + js(name)
                  + ", data: {slice: "
                  + js(name)
                  + "}, value: [0, 1]}),"
                  + " charts['chart-kafka'].getOption().tooltip[0].formatter("
                  + "{seriesName: "
                  + js(name)
                  + ", data: {t: 0}, value: [0, 1]}),"
                  + " charts['chart-latency'].getOption().tooltip[0].formatter("
                  + "{seriesName: "
                  + js(name)
                  + ", data: {topic: "
                  + js(name)
                  + ", slice: 's'},"
                  + " value: [0, 1]})]");
      for (JsonNode t : tooltips) {
        assertTrue(t.asText().contains("&lt;img src=x"), t.asText());
        assertTrue(!t.asText().contains("<img"), t.asText());
      }
      assertTrue(browser.eval("window.pwned === undefined").asBoolean(), "no script ran");
    }
  }

  /** replay.json's one pause, and no slice published within it; the slices after it shifted. */
  private static void assertNothingPublishedWhilePaused(Path results) throws Exception {
    JsonNode steering = JSON.readTree(results.resolve("replay.json").toFile()).path("steering");
    JsonNode changes = steering.path("changes");
    assertEquals(2, changes.size(), steering.toString());
    assertEquals("pause", changes.get(0).path("action").asText());
    assertEquals("resume", changes.get(1).path("action").asText());
    Instant from = Instant.parse(changes.get(0).path("at").asText());
    Instant to = Instant.parse(changes.get(1).path("at").asText());
    double pausedFor = Duration.between(from, to).toNanos() / 1e9;
    assertTrue(pausedFor >= 2, "paused " + pausedFor + " s");
    int after = 0;
    for (String line : lines(results.resolve("replay-slices.jsonl"))) {
      JsonNode r = JSON.readTree(line);
      Instant published = Instant.parse(r.path("published").asText());
      assertTrue(published.isBefore(from) || published.isAfter(to), "published paused: " + line);
      // shifted by the pause if due after it (one due before it but late goes out at the resume,
      // unshifted)
      Instant due = Instant.parse(r.path("due").asText());
      if (due.isAfter(from)) {
        after++;
        assertTrue(!due.isBefore(to), "due while paused: " + line);
        assertEquals(pausedFor, r.path("paused_s").asDouble(), 1e-6, line);
      } else {
        assertEquals(0.0, r.path("paused_s").asDouble(), line);
      }
    }
    assertTrue(after > 0, "slices after the pause");
  }

  /**
   * Each window's latest value on the page is the row of its highest batch_id in the output (the
   * rule of update mode), read here with parquet-mr.
   */
  private static void assertWindowsAreTheOutputs(DevTools browser, Path output) throws Exception {
    java.util.Map<String, long[]> newestBatch = new java.util.HashMap<>();
    java.util.Map<String, Double> expected = new java.util.TreeMap<>();
    try (Stream<Path> dirs = Files.list(output)) {
      for (Path dir :
          dirs.filter(d -> d.getFileName().toString().startsWith("batch_id=")).toList()) {
        long batch = Long.parseLong(dir.getFileName().toString().substring("batch_id=".length()));
        for (Path f : ParquetRows.files(dir)) {
          for (var row : ParquetRows.read(f)) {
            // Spark writes timestamps as microseconds; the page has milliseconds
            String key = row.get("uuid") + "@" + ((Long) row.get("window_start")) / 1000;
            long[] seen = newestBatch.get(key);
            if (seen == null || seen[0] < batch) {
              newestBatch.put(key, new long[] {batch});
              expected.put(key, (Double) row.get("mean_speed"));
            }
          }
        }
      }
    }
    assertTrue(expected.size() > 3, "windows in the output: " + expected);
    JsonNode shown =
        browser.eval(
            "Object.entries(state.windows).flatMap(([u, ws]) => Object.values(ws).map(w =>"
                + " [u + '@' + w.start, w.values[w.values.length - 1].mean]))");
    java.util.Map<String, Double> page = new java.util.TreeMap<>();
    for (JsonNode w : shown) {
      page.put(w.get(0).asText(), w.get(1).asDouble());
    }
    assertEquals(expected, page);
  }

  /** The page's pairs and rows alone, summed over its batches, are the output's, read here. */
  private static void assertJoinCountsAreTheOutputs(DevTools browser, Path output)
      throws Exception {
    long pairs = 0;
    long fixesAlone = 0;
    long samplesAlone = 0;
    for (Path f : edu.dsc650.testing.SinkLogs.allFiles(output)) {
      for (var row : ParquetRows.read(f)) {
        boolean fix = row.get("loc_timestamp") != null;
        boolean sample = row.get("acc_timestamp") != null;
        pairs += fix && sample ? 1 : 0;
        fixesAlone += fix && !sample ? 1 : 0;
        samplesAlone += sample && !fix ? 1 : 0;
      }
    }
    assertTrue(pairs > 0 && fixesAlone + samplesAlone > 0, pairs + " " + fixesAlone);
    JsonNode shown =
        browser.eval(
            "['matched', 'fixes_alone', 'samples_alone'].map(k =>"
                + " state.joins.reduce((n, b) => n + (b[k] || 0), 0))");
    assertEquals(
        List.of(pairs, fixesAlone, samplesAlone),
        List.of(shown.get(0).asLong(), shown.get(1).asLong(), shown.get(2).asLong()));
  }

  private static String js(String s) throws Exception {
    return JSON.writeValueAsString(s);
  }

  /** The address report --serve prints once it listens. */
  private static URI address(JarProcess serve) throws Exception {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (System.nanoTime() < deadline) {
      Matcher m = ADDRESS.matcher(serve.output());
      if (m.find()) {
        return URI.create(m.group(1));
      }
      assertTrue(serve.isAlive(), "report --serve ended: " + serve.output());
      Thread.sleep(100);
    }
    throw new AssertionError("report --serve printed no address: " + serve.output());
  }

  private static Long watermark(JsonNode progress) {
    Long w = millis(progress.path("eventTime").path("watermark"));
    return w == null || w >= MARKERS || w == 0 ? null : w; // Spark's "none yet" is the epoch
  }

  private static Long millis(JsonNode instant) {
    return instant.isMissingNode() || instant.isNull()
        ? null
        : Instant.parse(instant.asText()).toEpochMilli();
  }

  private static List<String> lines(Path file) throws Exception {
    return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList();
  }

  private static void append(Path file, String line) throws Exception {
    Files.createDirectories(file.getParent());
    Files.write(
        file,
        (line + "\n").getBytes(StandardCharsets.UTF_8),
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }
}
