package edu.dsc650.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import edu.dsc650.testing.BddLikeData;
import edu.dsc650.testing.JarProcess;
import edu.dsc650.testing.ParquetRows;
import edu.dsc650.testing.SinkLogs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report of a generated live replay, rendered in headless Chromium: no script error, every
 * chart drawn with one series per ride where it should have one, and headline figures equal to what
 * this test counts from the outputs itself (plain parquet reads, the sinks' logs read by their
 * documented rules). Saves a screenshot as target/report-screenshot.png.
 */
@Order(4) // in the side-by-side execution: see pom.xml
class ReportInBrowserIT {
  static final List<String> CHARTS =
      List.of(
          "chart-rides-map",
          "chart-speed",
          "chart-tracks",
          "chart-join-kinds",
          "chart-join-rate",
          "chart-magnitude",
          "chart-lag",
          "chart-query-rows",
          "chart-query-duration",
          "chart-query-latency");

  @TempDir Path tmp;

  @Test
  void theReportOfALiveReplayDrawsEveryChartAndItsFiguresEqualTheOutputs() throws Exception {
    String chromium = chromium();
    Path source = tmp.resolve("source");
    Path results = tmp.resolve("results");
    BddLikeData.write(source);

    // a live replay (8x: 10 s) with all three queries following it to the end
    try (JarProcess replay =
            JarProcess.start(
                tmp.resolve("replay.log"),
                "stream-data",
                "--source",
                source.toString(),
                "--results",
                results.toString(),
                "--speedup",
                "8");
        JarProcess query =
            JarProcess.start(
                tmp.resolve("query.log"),
                "run-query",
                "all",
                "--until-replay-complete",
                "--results",
                results.toString(),
                "--master",
                "local[2]")) {
      assertEquals(0, replay.waitFor(Duration.ofMinutes(3)), replay.output());
      assertEquals(0, query.waitFor(Duration.ofMinutes(5)), query.output());
    }
    try (JarProcess report =
        JarProcess.start(tmp.resolve("report.log"), "report", "--results", results.toString())) {
      assertEquals(0, report.waitFor(Duration.ofMinutes(3)), report.output());
    }
    Path page = results.resolve("report/index.html");
    assertTrue(Files.size(page) < 5 << 20, "the page stays under 5 MB: " + Files.size(page));

    Browser run = dumpDom(chromium, page);
    String dom = run.dom;
    assertTrue(dom.contains("data-rendered=\"true\""), "the page's script ran to its end");
    Matcher errors = Pattern.compile("<pre id=\"errors\">([^<]*)</pre>").matcher(dom);
    assertTrue(
        errors.find() && errors.group(1).isBlank(),
        "script errors on the page: " + (errors.find(0) ? errors.group(1) : dom));
    List<String> console =
        run.log.lines().filter(l -> l.contains("CONSOLE") || l.contains("Uncaught")).toList();
    assertTrue(
        console.stream().noneMatch(l -> l.contains("Uncaught") || l.contains("Error")),
        "console: " + console);

    // every chart drawn: an SVG with shapes in it
    for (String chart : CHARTS) {
      String body = chartBody(dom, chart);
      assertTrue(
          body.contains("<svg"),
          chart + " has no SVG: " + body.substring(0, Math.min(300, body.length())));
      assertTrue(
          count(body, "<path") >= 5,
          chart + " has almost nothing drawn: " + count(body, "<path") + " paths");
    }

    // the figures, counted here from the files
    Set<String> rides = new HashSet<>();
    long accelerations = 0;
    long locations = 0;
    for (Path f : SinkLogs.allFiles(results.resolve("input/accelerations"))) {
      for (Map<String, Object> row : ParquetRows.read(f)) {
        accelerations++;
        rides.add((String) row.get("uuid"));
      }
    }
    Set<String> trackRides = new HashSet<>();
    for (Path f : SinkLogs.allFiles(results.resolve("input/locations"))) {
      for (Map<String, Object> row : ParquetRows.read(f)) {
        locations++;
        rides.add((String) row.get("uuid"));
        trackRides.add((String) row.get("uuid"));
      }
    }
    Set<String> windows = new HashSet<>();
    Set<String> windowRides = new HashSet<>();
    try (Stream<Path> files = Files.walk(results.resolve("output/windowed"))) {
      for (Path f :
          files
              .filter(
                  p ->
                      p.toString().endsWith(".parquet")
                          && p.getParent().getFileName().toString().startsWith("batch_id="))
              .toList()) {
        for (Map<String, Object> row : ParquetRows.read(f)) {
          windows.add(row.get("window_start") + " " + row.get("uuid"));
          windowRides.add((String) row.get("uuid"));
        }
      }
    }
    long matched = 0;
    for (Path f : SinkLogs.allFiles(results.resolve("output/stream-joined"))) {
      for (Map<String, Object> row : ParquetRows.read(f)) {
        if (row.get("loc_timestamp") != null && row.get("acc_timestamp") != null) {
          matched++;
        }
      }
    }
    JsonNode lag =
        new ObjectMapper().readTree(results.resolve("replay.json").toFile()).get("lag_ms");

    assertEquals(3, rides.size(), "the generated data has three rides");
    assertEquals(Long.toString(accelerations), figure(dom, "h-rows-accelerations"));
    assertEquals(Long.toString(locations), figure(dom, "h-rows-locations"));
    assertEquals(Integer.toString(rides.size()), figure(dom, "h-rides"));
    assertEquals(Integer.toString(windows.size()), figure(dom, "h-windows"));
    assertEquals(Long.toString(matched), figure(dom, "h-matched"));
    assertEquals(lag.get("p50").asDouble(), Double.parseDouble(figure(dom, "h-lag-p50")), 1e-9);
    assertEquals(lag.get("p99").asDouble(), Double.parseDouble(figure(dom, "h-lag-p99")), 1e-9);

    // one series per ride where there is one per ride; one per streaming query (3: simple is one
    // over both topics) or topic (2)
    assertEquals(windowRides.size(), series(dom, "chart-speed"));
    // the map has a dot per ride; the track chart draws the chosen ride in full
    assertEquals(trackRides.size(), attribute(dom, "chart-rides-map", "points"));
    assertEquals(1, series(dom, "chart-tracks"));
    assertEquals(3, series(dom, "chart-query-rows"));
    assertEquals(3, series(dom, "chart-query-latency"));
    assertEquals(2, series(dom, "chart-lag"));

    Path shot = screenshot(chromium, page);
    assertTrue(Files.size(shot) > 10_000, "a screenshot with something in it");
    System.out.println("screenshot of the report: " + shot.toAbsolutePath());

    // Issue 21, item 11: ride ids are data, never HTML. Every chart's tooltip formatter, called
    // with a
    // ride id that is an <img> with an onerror handler, must give text that shows the id and runs
    // nothing.
    String probe =
        "<script>window.addEventListener('load', () => setTimeout(() => {"
            + " const evil = '<img src=x onerror=\"document.body.dataset.pwned=1\">';"
            + " const out = document.createElement('div'); out.id = 'xss-probe'; let n = 0;"
            + " for (const f of Object.values(tooltips)) {"
            + "   out.innerHTML += f({seriesName: evil, name: evil, value: [0, 1, 2, 3], dataIndex: 0}); n++; }"
            + " out.dataset.formatters = n; document.body.appendChild(out); }, 1000));</script>";
    Path probed = page.resolveSibling("probe.html");
    String html = Files.readString(page);
    int end =
        html.lastIndexOf("</body>"); // the inlined ECharts source holds the text "</body>" too
    Files.writeString(probed, html.substring(0, end) + probe + html.substring(end));
    String probedDom = dumpDom(chromium, probed).dom;
    Matcher formatters =
        Pattern.compile("id=\"xss-probe\" data-formatters=\"(\\d+)\"").matcher(probedDom);
    assertTrue(
        formatters.find() && Integer.parseInt(formatters.group(1)) >= 4,
        "the probe ran the tooltip formatters: "
            + (formatters.find(0) ? formatters.group() : "no probe"));
    assertTrue(!probedDom.contains("data-pwned"), "a ride id ran script in a tooltip");
    assertTrue(probedDom.contains("&lt;img src=x onerror="), "the ride id is shown as text");
  }

  /** Chromium from the PATH; .ci/run installs Debian's. */
  private static String chromium() {
    return edu.dsc650.testing.DevTools.chromium();
  }

  private record Browser(String dom, String log) {}

  private List<String> flags(String chromium) throws IOException {
    Path profile = Files.createTempDirectory(tmp, "chromium-profile");
    return new ArrayList<>(
        List.of(
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--user-data-dir=" + profile,
            "--virtual-time-budget=15000"));
  }

  private Browser dumpDom(String chromium, Path page) throws Exception {
    List<String> cmd = flags(chromium);
    cmd.addAll(List.of("--enable-logging=stderr", "--v=0", "--dump-dom", page.toUri().toString()));
    Path dom = tmp.resolve("dom.html");
    Path log = tmp.resolve("chromium.log");
    Process p =
        new ProcessBuilder(cmd).redirectOutput(dom.toFile()).redirectError(log.toFile()).start();
    if (!p.waitFor(2, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      fail("chromium did not finish: " + Files.readString(log));
    }
    return new Browser(
        Files.readString(dom, StandardCharsets.UTF_8),
        Files.readString(log, StandardCharsets.UTF_8));
  }

  private Path screenshot(String chromium, Path page) throws Exception {
    Path shot = Paths.get("target", "report-screenshot.png").toAbsolutePath();
    Files.createDirectories(shot.getParent());
    Files.deleteIfExists(shot);
    List<String> cmd = flags(chromium);
    cmd.addAll(
        List.of(
            "--hide-scrollbars",
            "--window-size=1280,2400",
            "--screenshot=" + shot,
            page.toUri().toString()));
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("shot.log").toFile())
            .start();
    if (!p.waitFor(2, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      fail("chromium did not finish the screenshot");
    }
    assertTrue(Files.exists(shot), "no screenshot: " + Files.readString(tmp.resolve("shot.log")));
    return shot;
  }

  /** The chart's element: from its start tag to the next chart's. */
  private static String chartBody(String dom, String id) {
    int start = dom.indexOf("id=\"" + id + "\"");
    assertTrue(start >= 0, "no element " + id);
    int next = dom.indexOf("id=\"chart-", start + 1);
    return dom.substring(start, next < 0 ? dom.length() : next);
  }

  private static int attribute(String dom, String id, String name) {
    Matcher m =
        Pattern.compile("<div[^>]*id=\"" + id + "\"[^>]*data-" + name + "=\"(\\d+)\"").matcher(dom);
    assertTrue(m.find(), "no data-" + name + " on " + id);
    return Integer.parseInt(m.group(1));
  }

  private static int series(String dom, String id) {
    Matcher m =
        Pattern.compile("<div[^>]*id=\"" + id + "\"[^>]*data-series=\"(\\d+)\"").matcher(dom);
    assertTrue(m.find(), "no series count on " + id);
    return Integer.parseInt(m.group(1));
  }

  private static String figure(String dom, String id) {
    Matcher m = Pattern.compile("id=\"" + id + "\" data-value=\"([^\"]*)\"").matcher(dom);
    assertTrue(m.find(), "no figure " + id);
    return m.group(1);
  }

  private static int count(String text, String what) {
    int n = 0;
    for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }
}
