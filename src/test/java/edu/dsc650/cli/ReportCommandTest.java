package edu.dsc650.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import edu.dsc650.testing.BddLikeData;
import edu.dsc650.testing.ParquetRows;
import edu.dsc650.testing.SinkLogs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code report} on results folders with nothing or only part of the outputs. */
@Tag("cli")
class ReportCommandTest {
  private static final String DATA_START = "<script id=\"data\" type=\"application/json\">";

  @TempDir Path tmp;

  @Test
  void aResultsFolderWithoutAnyQueryOutputIsBadInputInOneLine() throws Exception {
    Path results = tmp.resolve("results");
    Files.createDirectories(results.resolve("input/locations"));
    CommandRunner cli = new CommandRunner();
    assertEquals(2, cli.run("report", "--results", results.toString()));
    assertEquals(1, cli.err.toString().lines().count(), cli.err.toString());
    assertTrue(cli.err.toString().contains("no query output"), cli.err.toString());
    assertFalse(Files.exists(results.resolve("report")), "nothing written");

    assertEquals(
        2, new CommandRunner().run("report", "--results", tmp.resolve("nowhere").toString()));
  }

  @Test
  void serveIsBadUsageWithOutAndOnAPortInUseAndItsOptionsNeedIt() throws Exception {
    Path results = tmp.resolve("results");
    CommandRunner both = new CommandRunner();
    assertEquals(
        2, both.run("report", "--serve", "--out", "x.html", "--results", results.toString()));
    assertTrue(both.err.toString().contains("--serve"), both.err.toString());

    CommandRunner portAlone = new CommandRunner();
    assertEquals(2, portAlone.run("report", "--port", "9", "--results", results.toString()));
    assertTrue(portAlone.err.toString().contains("go with --serve"), portAlone.err.toString());

    try (java.net.ServerSocket taken =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      CommandRunner inUse = new CommandRunner();
      assertEquals(
          2,
          inUse.run(
              "report",
              "--serve",
              "--port",
              String.valueOf(taken.getLocalPort()),
              "--results",
              results.toString()));
      assertTrue(inUse.err.toString().contains("cannot listen"), inUse.err.toString());
    }
  }

  @Test
  void withOnlySomeOutputsThePageSaysWhichAreMissingAndShowsTheRest() throws Exception {
    Path source = tmp.resolve("source");
    Path results = tmp.resolve("results");
    BddLikeData.write(source);
    assertEquals(
        0,
        new CommandRunner()
            .run(
                "stream-data",
                "--source",
                source.toString(),
                "--results",
                results.toString(),
                "--max-speed"));
    CommandRunner query = new CommandRunner();
    assertEquals(
        0,
        query.run(
            "run-query",
            "simple",
            "--trigger",
            "available-now",
            "--results",
            results.toString(),
            "--master",
            "local[2]"),
        query.errors());

    Path page = tmp.resolve("page/report.html");
    CommandRunner report = new CommandRunner();
    assertEquals(
        0,
        report.run("report", "--results", results.toString(), "--out", page.toString()),
        report.errors());
    assertTrue(report.out.toString().contains("not found: output/windowed"), report.out.toString());
    assertTrue(
        report.out.toString().contains("not found: output/stream-joined"), report.out.toString());

    String html = Files.readString(page);
    int start = html.indexOf(DATA_START) + DATA_START.length();
    JsonNode data =
        new ObjectMapper().readTree(html.substring(start, html.indexOf("</script>", start)));
    List<String> missing = new ArrayList<>();
    data.get("missing").forEach(m -> missing.add(m.asText()));
    assertEquals(2, missing.size(), missing.toString());

    // what is there is shown: rows counted here from the published files, one track per ride
    for (String topic : List.of("accelerations", "locations")) {
      long rows = 0;
      for (Path f : SinkLogs.allFiles(results.resolve("input").resolve(topic))) {
        rows += ParquetRows.read(f).size();
      }
      assertEquals(rows, data.get("headline").get("rows").get(topic).asLong(), topic);
    }
    assertEquals(
        3, data.get("input").get("tracks").size(), "BddLikeData has three rides, each with fixes");
    assertFalse(data.get("headline").has("lag_p50_ms"), "a max-speed replay has no lag");
    // one point per committed micro-batch of the simple query (one over both topics)
    long commits;
    try (Stream<Path> files = Files.list(results.resolve("checkpoints/simple/commits"))) {
      commits = files.filter(f -> f.getFileName().toString().matches("\\d+")).count();
    }
    assertEquals(commits, data.get("queries").get("simple").size());
  }
}
