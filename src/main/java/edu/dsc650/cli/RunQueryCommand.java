package edu.dsc650.cli;

import edu.dsc650.ExitCode;
import edu.dsc650.io.ResultsLayout;
import edu.dsc650.io.kafka.KafkaAddress;
import edu.dsc650.query.FileInput;
import edu.dsc650.query.JoinedQuery;
import edu.dsc650.query.KafkaInput;
import edu.dsc650.query.Outcome;
import edu.dsc650.query.QueryInput;
import edu.dsc650.query.QueryRunner;
import edu.dsc650.query.QueryTrigger;
import edu.dsc650.query.RunSettings;
import edu.dsc650.query.SimpleQuery;
import edu.dsc650.query.SparkSessions;
import edu.dsc650.query.SqlQuery;
import edu.dsc650.query.StreamingQueryDef;
import edu.dsc650.query.WindowedQuery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code run-query}: the Spark Structured Streaming jobs over {@code <results>/input}. */
@Command(
    name = "run-query",
    mixinStandardHelpOptions = true,
    description = {
      "Runs Spark Structured Streaming queries on the stream that stream-data publishes.",
      "",
      "The queries, reading <results>/input (or Kafka with --from):",
      "  simple    both streams copied unchanged to <results>/output/simple/<topic>",
      "  windowed  mean speed per ride in 15 s windows (watermark 30 s, update mode) to <results>/output/windowed",
      "  joined    full outer join of fixes and samples of a ride to <results>/output/stream-joined",
      "  all       all three, in one SparkSession",
      "Checkpoints are in <results>/checkpoints/<query>: a restart continues where it stopped, exactly once.",
      "With --from kafka://HOST:PORT the queries read the Kafka topics <prefix><topic> of stream-data --to "
          + "kafka:// instead (committed records only); outputs, checkpoints and replay.json stay in <results>."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:stopped as asked (--until-replay-complete or available-now) ",
      "1:a query failed",
      "2:bad usage or bad input (nothing was changed)",
      "130:stopped by Ctrl-C (SIGINT)",
      "143:stopped by SIGTERM"
    })
public final class RunQueryCommand implements Callable<Integer> {

  enum QueryName {
    simple,
    windowed,
    joined,
    all
  }

  @Parameters(
      arity = "0..*",
      paramLabel = "QUERY",
      description = "One or more of: ${COMPLETION-CANDIDATES} (or none with --sql).")
  List<QueryName> queries = new ArrayList<>();

  @Option(
      names = "--sql",
      paramLabel = "FILE",
      description =
          "A query of your own: one SELECT over the streaming views accelerations and locations "
              + "(repeatable). It is named after its file; its rows go to <results>/output/<name>.")
  List<String> sqlFiles = new ArrayList<>();

  @Option(
      names = "--output-mode",
      paramLabel = "MODE",
      defaultValue = "append",
      description =
          "With --sql: append (a parquet file sink), update or complete (each micro-batch into "
              + "output/<name>/batch_id=<n>) (default: ${DEFAULT-VALUE}).")
  SqlQuery.Mode outputMode;

  @Option(
      names = "--watermark",
      paramLabel = "INTERVAL",
      defaultValue = "30 seconds",
      converter = OptionConverters.Watermark.class,
      description =
          "With --sql: the watermark delay on each view's timestamp (default: ${DEFAULT-VALUE}).")
  String watermark;

  @Option(
      names = "--results",
      paramLabel = "DIR",
      defaultValue = "results/stream",
      description =
          "Results folder of stream-data, a local path or a Hadoop URI (default: ${DEFAULT-VALUE}).")
  String results;

  @Option(
      names = "--from",
      paramLabel = "SOURCE",
      defaultValue = KafkaAddress.FILES,
      description =
          "What the queries read: files (default: <results>/input) or kafka://HOST:PORT[,HOST:PORT...] "
              + "(the topics of stream-data --to kafka://).")
  String from;

  @Option(
      names = "--topic-prefix",
      paramLabel = "P",
      description =
          "With --from kafka://: the topics are P + <topic> (default: "
              + KafkaAddress.DEFAULT_PREFIX
              + ").")
  String topicPrefix;

  @Option(
      names = "--master",
      paramLabel = "URL",
      defaultValue = "local[*]",
      description = "Spark master when none is set by spark-submit (default: ${DEFAULT-VALUE}).")
  String master;

  @Option(
      names = "--trigger",
      paramLabel = "T",
      defaultValue = "0",
      converter = OptionConverters.Trigger.class,
      description =
          "When to run micro-batches: 0 = as soon as the previous one ends (default), an "
              + "interval such as 2s or 500ms, or available-now = process what is there, then stop.")
  QueryTrigger trigger;

  @Option(
      names = "--until-replay-complete",
      description =
          "Once <results>/replay.json says the replay is complete: process every published file, "
              + "emit everything the queries still hold (end of stream), then stop.")
  boolean untilReplayComplete;

  @Option(
      names = "--fresh",
      description =
          "Delete the chosen queries' outputs, checkpoints and progress first: start over, e.g. to follow "
              + "a new replay run (a checkpoint belongs to the run it read).")
  boolean fresh;

  @Option(
      names = "--no-warm-up",
      description =
          "Skip the warm-up: by default a live run-query started before the replay runs first "
              + "runs each query once on a small generated slice (a few seconds), so that the "
              + "first slices do not wait for a cold JVM.")
  boolean noWarmUp;

  @Option(
      names = "--join-window",
      paramLabel = "INTERVAL",
      defaultValue = "1 second",
      converter = OptionConverters.JoinWindow.class,
      description =
          "joined: samples within this interval after a fix belong to it (default: ${DEFAULT-VALUE}).")
  Duration joinWindow;

  @Option(
      names = "--join-watermark",
      paramLabel = "INTERVAL",
      defaultValue = "30 seconds",
      converter = OptionConverters.JoinWatermark.class,
      description =
          "joined: the watermark delay on both sides: how long rows wait for late partners "
              + "(default: ${DEFAULT-VALUE}, the assignment's). Shorter keeps less state and "
              + "emits unmatched rows sooner; a row later than this is dropped.")
  String joinWatermark;

  @Option(
      names = "--bind-address",
      paramLabel = "ADDR",
      defaultValue = "127.0.0.1",
      description =
          "In local mode, the address the Spark UI and the driver listen on (default: ${DEFAULT-VALUE}, "
              + "this machine only; 0.0.0.0 opens the UI to the network). A cluster's own settings decide there.")
  String bindAddress;

  @Option(
      names = "--conf",
      paramLabel = "KEY=VALUE",
      mapFallbackValue = "",
      description =
          "A Spark setting, as spark-submit's --conf (repeatable); it wins over this tool's defaults, "
              + "e.g. --conf spark.sql.shuffle.partitions=4.")
  java.util.Map<String, String> conf = new java.util.LinkedHashMap<>();

  @Mixin Verbosity verbosity;

  @Spec CommandSpec spec;

  private volatile QueryRunner runner;

  /** The exit code of the first stop request (a signal's: 130 for SIGINT, 143 for SIGTERM). */
  private final java.util.concurrent.atomic.AtomicInteger stopCode =
      new java.util.concurrent.atomic.AtomicInteger(ExitCode.OK);

  @Override
  public Integer call() throws Exception {
    // where Spark will find it: the locks and checks must reach the folder the checkpoints do
    ResultsLayout layout =
        new ResultsLayout(
            SparkSessions.resultsRoot(
                OptionConverters.location("--results", results), sparkConf()));
    try (QueryInput input = input(layout)) {
      RunSettings settings =
          new RunSettings(
              selected(layout, input),
              layout,
              input,
              master,
              bindAddress,
              trigger,
              options(),
              sparkConf());
      runner = new QueryRunner(settings, spec.commandLine().getOut(), spec.commandLine().getErr());
      try (StopSignals signals = new StopSignals(this::requestStop)) {
        Outcome outcome = runner.run();
        return outcome == Outcome.DONE ? ExitCode.OK : stopCode.get();
      }
    }
  }

  /** The --conf settings, checked: a key of Spark's (spark.*) with a value. */
  private java.util.Map<String, String> sparkConf() {
    for (var e : conf.entrySet()) {
      if (!e.getKey().startsWith("spark.") || e.getValue().isEmpty()) {
        throw new edu.dsc650.BadUsageException(
            "--conf takes KEY=VALUE with a Spark key (spark.*), not '"
                + e.getKey()
                + (e.getValue().isEmpty() ? "" : "=" + e.getValue())
                + "'");
      }
    }
    return java.util.Map.copyOf(conf);
  }

  /** Files, or the Kafka cluster of --from (reached now: an unreachable one is bad input). */
  private QueryInput input(ResultsLayout layout) {
    KafkaAddress kafka = KafkaAddress.parseOrFiles(from, "--from");
    if (kafka == null) {
      if (topicPrefix != null) {
        throw new edu.dsc650.BadUsageException("--topic-prefix needs --from kafka://HOST:PORT");
      }
      return new FileInput(layout);
    }
    return new KafkaInput(kafka, topicPrefix == null ? KafkaAddress.DEFAULT_PREFIX : topicPrefix);
  }

  private List<StreamingQueryDef> selected(ResultsLayout layout, QueryInput input) {
    if (queries.isEmpty() && sqlFiles.isEmpty()) {
      throw new edu.dsc650.BadUsageException(
          "missing QUERY (one of simple, windowed, joined, all) or --sql FILE");
    }
    boolean all = queries.contains(QueryName.all);
    List<StreamingQueryDef> defs = new ArrayList<>();
    if (all || queries.contains(QueryName.simple)) {
      defs.add(new SimpleQuery());
    }
    if (all || queries.contains(QueryName.windowed)) {
      defs.add(new WindowedQuery());
    }
    if (all || queries.contains(QueryName.joined)) {
      defs.add(new JoinedQuery(joinWindow, joinWatermark));
    }
    java.util.Set<String> names = new java.util.HashSet<>();
    for (String file : sqlFiles) {
      SqlQuery sql = SqlQuery.load(file, outputMode, watermark, input.topicsOnOffer());
      if (!names.add(sql.name())) {
        throw new edu.dsc650.BadUsageException(
            "--sql " + file + ": another --sql file is named '" + sql.name() + "' too");
      }
      defs.add(sql);
    }
    return defs;
  }

  /**
   * Stops the queries as a signal would, the command then returning {@code exitCode}; safe from any
   * thread.
   */
  void requestStop(int exitCode) {
    stopCode.compareAndSet(ExitCode.OK, exitCode);
    QueryRunner r = runner;
    if (r != null) {
      r.requestStop();
    }
  }

  private java.util.Set<RunSettings.Option> options() {
    java.util.Set<RunSettings.Option> options = java.util.EnumSet.noneOf(RunSettings.Option.class);
    if (untilReplayComplete) {
      options.add(RunSettings.Option.UNTIL_REPLAY_COMPLETE);
    }
    if (fresh) {
      options.add(RunSettings.Option.FRESH);
    }
    if (verbosity.isOn()) {
      options.add(RunSettings.Option.VERBOSE);
    }
    if (!noWarmUp) {
      options.add(RunSettings.Option.WARM_UP);
    }
    return options;
  }
}
