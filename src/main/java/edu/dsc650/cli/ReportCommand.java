package edu.dsc650.cli;

import edu.dsc650.BadInputException;
import edu.dsc650.BadUsageException;
import edu.dsc650.ExitCode;
import edu.dsc650.io.ResultsLayout;
import edu.dsc650.io.Storage;
import edu.dsc650.query.SparkSessions;
import edu.dsc650.report.Report;
import edu.dsc650.report.ReportData;
import edu.dsc650.report.ReportPage;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code report}: one self-contained HTML page with charts of what a results folder holds. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "Writes an HTML page of charts of a results folder (rides, join, publish lag, batches).",
      "",
      "Writes one HTML page with charts of a results folder: each ride's mean speed per window and its track, "
          + "the join's matches, each slice's publish lag, and each query's micro-batches.",
      "The page holds everything it needs (no network): open it from file://.",
      "",
      "With --serve: serves a live page instead, kept current while stream-data and run-query run "
          + "(the replay's slices, each query's event time against its watermark, its micro-batches "
          + "by phase, each slice's latency). It may start before, during or after a run; Ctrl-C ends it."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:the page was written (with --serve: served until Ctrl-C)",
      "1:it could not be written",
      "2:bad usage, or the results folder holds no query output"
    })
public final class ReportCommand implements Callable<Integer> {

  @Option(
      names = "--results",
      paramLabel = "DIR",
      defaultValue = "results/stream",
      description =
          "Results folder of stream-data and run-query, a local path or a Hadoop URI "
              + "(default: ${DEFAULT-VALUE}).")
  String results;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "Where to write the page (default: <results>/report/index.html).")
  String out;

  @Option(
      names = "--serve",
      description =
          "Serve a live page on http://<bind>:<port>/ that updates itself as the run goes on,"
              + " rather than writing one page. Reads the run's logs and new output files: no Spark.")
  boolean serve;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      defaultValue = "8650",
      description = "With --serve: the port (default: ${DEFAULT-VALUE}; 0: any free one).")
  int port;

  @Option(
      names = "--bind",
      paramLabel = "ADDRESS",
      defaultValue = "127.0.0.1",
      description =
          "With --serve: the address to listen on (default: ${DEFAULT-VALUE}, this machine only;"
              + " any other lets others see the page).")
  String bind;

  @Mixin Verbosity verbosity;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    ResultsLayout layout =
        new ResultsLayout(
            SparkSessions.resultsRoot(
                OptionConverters.location("--results", results), java.util.Map.of()));
    Path page = out == null ? layout.reportPage() : new Path(out);
    PrintWriter console = spec.commandLine().getOut();
    if (serve) {
      if (out != null) {
        throw new BadUsageException("--out writes a page; --serve serves one: give one of them");
      }
      return new LivePageServer(layout, bind, port, console, spec.commandLine().getErr()).run();
    }
    var parsed = spec.commandLine().getParseResult();
    if (parsed.hasMatchedOption("--port") || parsed.hasMatchedOption("--bind")) {
      throw new BadUsageException("--port and --bind go with --serve");
    }
    // checked before Spark starts: a wrong folder is told in a second, not after the session's
    // start
    Storage results = Storage.forLocation(layout.root().toString());
    if (!results.isDirectory(layout.root())) {
      throw new BadInputException("results folder " + layout.root() + " does not exist");
    }
    // the built-in queries' outputs, or any of run-query --sql's
    boolean any =
        results.isDirectory(layout.output())
            && results.list(layout.output()).stream().anyMatch(e -> e.directory());
    if (!any) {
      throw new BadInputException(
          "no query output in " + layout.root() + " (no folder in output/): run run-query first");
    }
    SparkSession spark = SparkSessions.forReport();
    try {
      Report data =
          new ReportData(
                  spark,
                  results,
                  layout,
                  line -> {
                    console.println(line);
                    console.flush();
                  })
              .collect();
      byte[] html = ReportPage.render(data).getBytes(StandardCharsets.UTF_8);
      Storage pageStorage = Storage.forLocation(page.toString()); // local: no .crc beside the page
      if (page.getParent() != null) {
        pageStorage.mkdirs(page.getParent());
      }
      pageStorage.writeAtomically(page, html); // a browser never sees half a page
      for (String m : data.missing()) {
        console.println("not found: " + m);
      }
      Path written = pageStorage.qualify(page);
      console.printf(
          "report: %s (%,d KB)%n",
          written.toUri().getScheme() == null || "file".equals(written.toUri().getScheme())
              ? "file://" + written.toUri().getPath()
              : written,
          html.length / 1024);
      console.flush();
      return ExitCode.OK;
    } finally {
      spark.stop();
    }
  }
}
