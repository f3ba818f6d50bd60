package edu.dsc650.cli;

import edu.dsc650.BadInputException;
import edu.dsc650.ExitCode;
import edu.dsc650.io.ReplayManifest;
import edu.dsc650.io.ResultsLayout;
import edu.dsc650.io.SteeringRequests;
import edu.dsc650.io.Storage;
import edu.dsc650.report.ReportPage;
import edu.dsc650.report.live.LiveFeed;
import edu.dsc650.report.live.LiveServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** {@code report --serve}: the live page on an address of this machine, until Ctrl-C. */
final class LivePageServer {
  /** How often the results folder is read: a commit shows on the page within a second. */
  static final long POLL_MS = 250;

  private final ResultsLayout layout;
  private final String bind;
  private final int port;
  private final PrintWriter out;
  private final PrintWriter err;

  LivePageServer(ResultsLayout layout, String bind, int port, PrintWriter out, PrintWriter err) {
    this.layout = layout;
    this.bind = bind;
    this.port = port;
    this.out = out;
    this.err = err;
  }

  int run() throws IOException, InterruptedException {
    InetAddress address;
    try {
      address = InetAddress.getByName(bind);
    } catch (UnknownHostException e) {
      throw new BadInputException("--bind " + bind + ": not an address of this machine");
    }
    if (!address.isLoopbackAddress()) {
      err.println(
          "warning: serving on "
              + bind
              + ": anyone who can reach this machine there can see the page");
      err.flush();
    }
    Storage storage = Storage.forLocation(layout.root().toString());
    if (!storage.isDirectory(layout.root())) {
      out.println("waiting for " + layout.root() + " (start stream-data or run-query there)");
    }
    String results = layout.root().toString();
    LiveServer.Page page =
        (snapshot, secret) ->
            ReportPage.page(
                "edu/dsc650/report/live.html",
                Map.of("results", results, "snapshot", snapshot, "secret", secret));
    LiveServer server;
    try {
      server =
          LiveServer.start(
              new LiveFeed(
                  storage,
                  layout,
                  warning -> {
                    err.println(warning);
                    err.flush();
                  }),
              page,
              new InetSocketAddress(address, port),
              POLL_MS,
              warning -> {
                err.println(warning);
                err.flush();
              });
    } catch (BindException e) {
      throw new BadInputException(
          "cannot listen on "
              + bind
              + ":"
              + port
              + " ("
              + e.getMessage()
              + "): choose another --port");
    }
    // the page report writes, once it is there: after a run, the whole of it beside the live one
    server.withReport(
        () -> storage.exists(layout.reportPage()) ? storage.readAll(layout.reportPage()) : null);
    server.withSteering(action -> steer(storage, action));
    // once the run is over, report's page is written for /report (in a process of its own)
    ReportAfterRun reportAfterRun =
        new ReportAfterRun(
            storage,
            layout,
            ReportAfterRun.reportCommand(),
            state -> {
              server.tellReport(state.name().toLowerCase(java.util.Locale.ROOT));
              if (state != ReportAfterRun.State.FAILED) {
                out.println(
                    state == ReportAfterRun.State.WRITING
                        ? "the run is over: writing its report"
                        : "report written: " + layout.reportPage().toUri() + " (and at /report)");
                out.flush();
              }
            },
            warning -> {
              err.println(warning);
              err.flush();
            },
            System::currentTimeMillis);
    ScheduledExecutorService checks =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "report-after-run");
              t.setDaemon(true);
              return t;
            });
    checks.scheduleWithFixedDelay(
        () -> {
          try {
            reportAfterRun.check(server.news());
          } catch (IOException | RuntimeException e) {
            // the results are being replaced: looked at again in a second
          }
        },
        1,
        1,
        TimeUnit.SECONDS);
    CountDownLatch stopped = new CountDownLatch(1);
    try (server;
        StopSignals signals = new StopSignals(code -> stopped.countDown())) {
      out.println("live page: " + server.address() + "  (Ctrl-C ends it)");
      out.flush();
      stopped.await();
    }
    checks.shutdownNow();
    reportAfterRun.close();
    out.println("live page stopped");
    out.flush();
    return ExitCode.OK;
  }

  /**
   * Leaves a request for the run replay.json names, if it is one that can be steered; else says why
   * not.
   */
  private String steer(Storage storage, String action) throws IOException {
    ReplayManifest manifest = ReplayManifest.read(storage, layout.replayManifest());
    if (manifest == null
        || manifest.status() != ReplayManifest.Status.REPLAYING
            && manifest.status() != ReplayManifest.Status.STARTING) {
      return "no replay is running in " + layout.root();
    }
    if (manifest.plan().maxSpeed()) {
      return "nothing to steer: the replay goes at max speed";
    }
    new SteeringRequests(storage, layout).send(manifest.runId(), action);
    return null;
  }
}
