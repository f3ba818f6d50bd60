package edu.dsc650.cli;

import edu.dsc650.BadInputException;
import edu.dsc650.query.CheckpointOwner;
import edu.dsc650.query.JoinedQuery;
import edu.dsc650.query.OutputReader;
import edu.dsc650.query.ProgressPrinter;
import edu.dsc650.query.QueryFailure;
import edu.dsc650.query.ReplayState;
import edu.dsc650.query.ResultsLayout;
import edu.dsc650.query.SimpleQuery;
import edu.dsc650.query.SparkSessions;
import edu.dsc650.query.StreamingQueryDef;
import edu.dsc650.query.TaskCounter;
import edu.dsc650.query.WindowedQuery;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.streaming.Trigger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code run-query}: the Spark Structured Streaming jobs over {@code <results>/input}. */
@Command(name = "run-query",
    mixinStandardHelpOptions = true,
    description = {
        "Runs Spark Structured Streaming queries on what stream-data publishes in <results>/input:",
        "  simple    both streams copied unchanged to <results>/output/simple/<topic>",
        "  windowed  mean speed per ride in 15 s windows (watermark 30 s, update mode) to <results>/output/windowed",
        "  joined    full outer join of fixes and samples of a ride to <results>/output/stream-joined",
        "  all       all three, in one SparkSession",
        "Checkpoints are in <results>/checkpoints/<query>: a restart continues where it stopped, exactly once."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:stopped as asked (--until-replay-complete or available-now) ",
        "1:a query failed",
        "2:bad usage or bad input",
        "130:stopped by Ctrl-C (SIGINT)",
        "143:stopped by SIGTERM"})
public final class RunQueryCommand implements Callable<Integer> {

  enum QueryName { simple, windowed, joined, all }

  private static final Pattern INTERVAL = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|sec|seconds?|m|min|minutes?)");

  @Parameters(arity = "1..*", paramLabel = "QUERY", description = "One or more of: ${COMPLETION-CANDIDATES}.")
  List<QueryName> queries;

  @Option(names = "--results", paramLabel = "DIR", defaultValue = "results/stream",
      description = "Results folder of stream-data, a local path or a Hadoop URI (default: ${DEFAULT-VALUE}).")
  String results;

  @Option(names = "--master", paramLabel = "URL", defaultValue = "local[*]",
      description = "Spark master when none is set by spark-submit (default: ${DEFAULT-VALUE}).")
  String master;

  @Option(names = "--trigger", paramLabel = "T", defaultValue = "0",
      description = "When to run micro-batches: 0 = as soon as the previous one ends (default), an "
          + "interval such as 2s or 500ms, or available-now = process what is there, then stop.")
  String trigger;

  @Option(names = "--until-replay-complete",
      description = "Stop once <results>/replay.json says completed and every published file is processed.")
  boolean untilReplayComplete;

  @Option(names = "--fresh", description = "Delete the chosen queries' outputs and checkpoints first.")
  boolean fresh;

  @Option(names = "--join-window", paramLabel = "INTERVAL", defaultValue = "1 second",
      description = "joined: samples within this interval after a fix belong to it (default: ${DEFAULT-VALUE}).")
  String joinWindow;

  @Mixin
  Verbosity verbosity;

  @Spec
  CommandSpec spec;

  private final AtomicInteger signal = new AtomicInteger();

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Trigger sparkTrigger = parseTrigger(trigger);
    boolean availableNow = trigger.equals("available-now");
    if (!joinWindow.matches("\\d+(\\.\\d+)?\\s+(millisecond|second|minute)s?")) {
      throw new BadInputException("--join-window must look like '1 second' or '500 milliseconds', not '" + joinWindow + "'");
    }
    List<StreamingQueryDef> defs = selected();
    ResultsLayout layout = new ResultsLayout(new Path(results));

    SparkSession spark = SparkSessions.create(master);
    long sessionReady = System.nanoTime();
    try (StopSignals signals = new StopSignals(this::requestStop)) {
      out.println("Spark " + spark.version() + ", master " + spark.sparkContext().master()
          + (spark.sparkContext().uiWebUrl().isDefined() ? ", UI at " + spark.sparkContext().uiWebUrl().get() : ""));
      out.flush();
      spark.streams().addListener(new ProgressPrinter(out));
      TaskCounter tasks = new TaskCounter();
      spark.sparkContext().addSparkListener(tasks);
      checkResultsFolder(spark, layout);
      if (fresh) {
        for (StreamingQueryDef def : defs) {
          for (Path owned : def.ownedPaths(layout)) {
            OutputReader.fs(spark, owned).delete(owned, true);
          }
        }
      }
      Map<Path, String> checkpoints = new LinkedHashMap<>();
      defs.forEach(def -> checkpoints.putAll(def.checkpoints(layout)));
      CheckpointOwner.claim(spark, checkpoints);
      if (!awaitInput(spark, layout, defs, availableNow, out)) {
        return signal.get();
      }
      List<StreamingQuery> running = new ArrayList<>();
      for (StreamingQueryDef def : defs) {
        running.addAll(def.start(spark, layout, sparkTrigger));
      }
      int rc = availableNow ? awaitAll(running) : supervise(spark, layout, running);
      out.printf("queries stopped %.1f s after the SparkSession started; %s%n",
          (System.nanoTime() - sessionReady) / 1e9, tasks.summary());
      for (StreamingQueryDef def : defs) {
        def.summarize(spark, layout).forEach(out::println);
      }
      out.flush();
      return rc;
    } finally {
      spark.stop();
    }
  }

  private static void checkResultsFolder(SparkSession spark, ResultsLayout layout) throws java.io.IOException {
    Path root = layout.root();
    org.apache.hadoop.fs.FileSystem fs = OutputReader.fs(spark, root);
    if (fs.exists(root) && !fs.getFileStatus(root).isDirectory()) {
      throw new BadInputException("--results " + root + " is a file, not a folder");
    }
  }

  private List<StreamingQueryDef> selected() {
    Map<QueryName, StreamingQueryDef> all = new LinkedHashMap<>();
    all.put(QueryName.simple, new SimpleQuery());
    all.put(QueryName.windowed, new WindowedQuery());
    all.put(QueryName.joined, new JoinedQuery(joinWindow));
    if (queries.contains(QueryName.all)) {
      return new ArrayList<>(all.values());
    }
    List<StreamingQueryDef> defs = new ArrayList<>();
    for (Map.Entry<QueryName, StreamingQueryDef> e : all.entrySet()) {
      if (queries.contains(e.getKey())) {
        defs.add(e.getValue());
      }
    }
    return defs;
  }

  static Trigger parseTrigger(String trigger) {
    if (trigger.equals("available-now")) {
      return Trigger.AvailableNow();
    }
    if (trigger.equals("0")) {
      return Trigger.ProcessingTime(0);
    }
    Matcher m = INTERVAL.matcher(trigger.trim());
    if (!m.matches()) {
      throw new BadInputException("--trigger must be 0, an interval such as 2s or 500ms, or available-now; not '"
          + trigger + "'");
    }
    double value = Double.parseDouble(m.group(1));
    long millis = switch (m.group(2).charAt(0)) {
      case 'm' -> m.group(2).equals("ms") ? (long) value : (long) (value * 60_000);
      default -> (long) (value * 1000);
    };
    return Trigger.ProcessingTime(millis, TimeUnit.MILLISECONDS);
  }

  /** Waits until every topic the queries read exists; false if stopped by a signal meanwhile. */
  private boolean awaitInput(SparkSession spark, ResultsLayout layout, List<StreamingQueryDef> defs,
      boolean availableNow, PrintWriter out) throws InterruptedException {
    List<Path> needed = defs.stream().flatMap(d -> d.topics().stream()).distinct().map(layout::input).toList();
    boolean told = false;
    while (true) {
      List<Path> missing = needed.stream().filter(p -> !OutputReader.exists(spark, p)).toList();
      if (missing.isEmpty()) {
        return true;
      }
      if (availableNow) {
        throw new BadInputException("nothing to process: " + missing.get(0)
            + " does not exist (run stream-data first, or use a live trigger to wait for it)");
      }
      if (!told) {
        out.println("waiting for " + missing.get(0) + " (start stream-data with --results " + layout.root() + ")");
        out.flush();
        told = true;
      }
      if (signal.get() != 0) {
        return false;
      }
      Thread.sleep(500);
    }
  }

  private int awaitAll(List<StreamingQuery> running) throws Exception {
    for (StreamingQuery q : running) {
      try {
        while (!q.awaitTermination(500)) {
          if (signal.get() != 0) {
            stopAll(running);
            return signal.get();
          }
        }
      } catch (StreamingQueryException e) {
        throw failed(q, e, running);
      }
    }
    return Dsc650.OK;
  }

  /** Watches live queries: stops them on a signal, on a failure, or when the replay is complete. */
  private int supervise(SparkSession spark, ResultsLayout layout, List<StreamingQuery> running) throws Exception {
    while (true) {
      for (StreamingQuery q : running) {
        if (q.exception().isDefined()) {
          throw failed(q, q.exception().get(), running);
        }
      }
      if (signal.get() != 0) {
        stopAll(running);
        return signal.get();
      }
      if (untilReplayComplete) {
        ReplayState state = ReplayState.read(layout.replayManifest(), spark.sparkContext().hadoopConfiguration());
        if (state != null && state.completed()) {
          // Everything is published: process what is there, then stop.
          for (StreamingQuery q : running) {
            try {
              q.processAllAvailable();
            } catch (Exception e) { // a StreamingQueryException, undeclared (Scala)
              throw failed(q, e, running);
            }
          }
          stopAll(running);
          return Dsc650.OK;
        }
      }
      Thread.sleep(500);
    }
  }

  /** Stops the other queries and reports the failure of {@code q} as one line with its root cause. */
  private static IllegalStateException failed(StreamingQuery q, Throwable failure, List<StreamingQuery> running)
      throws java.util.concurrent.TimeoutException {
    stopAll(running);
    return new IllegalStateException("query " + q.name() + " failed: " + QueryFailure.describe(failure), failure);
  }

  private static void stopAll(List<StreamingQuery> running) throws java.util.concurrent.TimeoutException {
    for (StreamingQuery q : running) {
      q.stop();
    }
  }

  /** Stops the queries as a signal would, returning {@code exitCode}; safe from any thread. */
  void requestStop(int exitCode) {
    signal.compareAndSet(0, exitCode);
  }
}
