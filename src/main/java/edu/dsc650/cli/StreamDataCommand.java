package edu.dsc650.cli;

import edu.dsc650.ExitCode;
import edu.dsc650.io.kafka.KafkaAddress;
import edu.dsc650.parquet.OutputCodec;
import edu.dsc650.replay.ReplayOptions;
import edu.dsc650.replay.ReplaySummary;
import edu.dsc650.replay.StreamDataRun;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code stream-data}: replays the source's time slices into {@code <results>/input} on a
 * wall-clock schedule.
 */
@Command(
    name = "stream-data",
    mixinStandardHelpOptions = true,
    description = {
      "Replays a folder of recorded time slices on a wall-clock schedule, to parquet files or Kafka.",
      "",
      "Replays the slices <source>/<topic>/t=<seconds>/*.parquet on the simulation clock: slice t "
          + "appears in <results>/input/<topic>/ at start + t / speed-up, all its files at once, "
          + "with timestamp = start + offset (+ the time paused before it, if the run was paused).",
      "On a terminal, space pauses and resumes, + doubles the speed-up and - halves it; the live "
          + "page (report --serve) has the same buttons. replay.json and replay-slices.jsonl record "
          + "every change.",
      "Clears <results>/staging and <results>/input first; nothing else in <results> is touched.",
      "With --to kafka://HOST:PORT the slices go to the Kafka topics <prefix><topic> instead (recreated "
          + "empty first), one transaction per instant, as JSON records keyed by uuid; <results> holds "
          + "replay.json (with the topics' end offsets) and the lock."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:the replay completed",
      "1:a failure while replaying (the message says which file)",
      "2:bad usage or bad input (nothing was touched)",
      "130:stopped by Ctrl-C (SIGINT)",
      "143:stopped by SIGTERM"
    })
public final class StreamDataCommand implements Callable<Integer> {

  static final class Speed {
    @Option(
        names = "--speedup",
        paramLabel = "X",
        description = "Simulation seconds per wall-clock second (default: 1, real time).")
    double speedup = 1;

    @Option(
        names = "--max-speed",
        description = "Publish every slice as fast as possible, in order.")
    boolean max;
  }

  @Option(
      names = "--source",
      paramLabel = "DIR",
      defaultValue = "data/processed/bdd",
      description =
          "Folder of topics to replay, a local path or a Hadoop URI (default: ${DEFAULT-VALUE}).")
  String source;

  @Option(
      names = "--results",
      paramLabel = "DIR",
      defaultValue = "results/stream",
      description = "Results folder, a local path or a Hadoop URI (default: ${DEFAULT-VALUE}).")
  String results;

  @ArgGroup(exclusive = true)
  Speed speed = new Speed();

  @Option(
      names = "--to",
      paramLabel = "TARGET",
      defaultValue = KafkaAddress.FILES,
      description =
          "Where slices are published: files (default: parquet files in <results>/input) or "
              + "kafka://HOST:PORT[,HOST:PORT...] (Kafka topics, one transaction per instant).")
  String to;

  @Option(
      names = "--topic-prefix",
      paramLabel = "P",
      description =
          "With --to kafka://: the topics are P + <topic> (default: "
              + KafkaAddress.DEFAULT_PREFIX
              + ").")
  String topicPrefix;

  @Option(
      names = "--partitions",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "With --to kafka://: partitions per topic (default: ${DEFAULT-VALUE}; a ride's records stay in "
              + "one partition, keyed by uuid).")
  int partitions;

  @Option(
      names = "--wait-for-queries",
      description =
          "Start the clock only once a run-query on the same --results says its queries are "
              + "running and warm: start this first, then run-query (the demo does), and the "
              + "first slices are live too.")
  boolean waitForQueries;

  @Option(
      names = "--merge-slices",
      description =
          "Write one file per slice and topic instead of one per source file (fewer files for Spark).")
  boolean mergeSlices;

  @Option(
      names = "--compression",
      paramLabel = "C",
      defaultValue = "source",
      description =
          "Codec of the rewritten files: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}, "
              + "the codec of each source column).")
  OutputCodec compression;

  @Option(
      names = "--loop",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "Replay the source N times (default: ${DEFAULT-VALUE}; 0: until stopped). Lap k is shifted by "
              + "k laps: its folders are t=<t + k L> and its timestamps S + offset + k L, where L (the last slice's "
              + "time plus a typical gap) is in replay.json. Not with --max-speed and 0.")
  int loop;

  @Option(
      names = "--retain",
      paramLabel = "INTERVAL",
      defaultValue = "10 minutes",
      converter = OptionConverters.Retention.class,
      description =
          "With --loop 0: how long a published slice stays in <results>/input and its log before it is "
              + "deleted (default: ${DEFAULT-VALUE}). A reader that falls further behind fails, naming the file.")
  Duration retain;

  @Option(
      names = "--scale",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "Replay each ride as N distinct rides (default: ${DEFAULT-VALUE}): copy 0 is the ride, copy k "
              + "gets a new uuid and ride_id (32 hex digits, the same in every run) and the same rows and timing. "
              + "N files per source file, or N times the rows with --merge-slices.")
  int scale;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description =
          "Workers reading and rewriting slices ahead of time (default: the number of CPUs; "
              + "one less when replaying on a schedule, so that publishing always finds a free CPU).")
  Integer threads;

  @Mixin Verbosity verbosity;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    double speedup = speed.max ? Double.POSITIVE_INFINITY : speed.speedup;
    checkOptions(speedup);
    StreamDataRun.Settings settings =
        new StreamDataRun.Settings(
            OptionConverters.location("--source", source),
            OptionConverters.location("--results", results),
            speedup,
            mergeSlices,
            compression,
            threads(),
            loop,
            scale,
            retain,
            waitForQueries,
            kafkaTarget());
    boolean terminal = System.console() != null;
    ReplayProgressLine printer = new ReplayProgressLine(err, terminal);
    AtomicInteger signal = new AtomicInteger();
    try (StreamDataRun run = StreamDataRun.prepare(settings, err)) {
      ReplaySummary summary;
      // Installed once nothing is left to check, before input is cleared, so that a stop there too
      // ends cleanly (lock released); a stop while the source is checked ends the JVM as usual.
      try (StopSignals signals =
              new StopSignals(
                  code -> {
                    signal.compareAndSet(0, code);
                    run.requestStop();
                  });
          TerminalKeys keys = terminal && !speed.max ? keys(run, err) : null) {
        summary = run.replay(printer);
      }
      printer.finish();
      out.println(summary.describe());
      out.println(
          "run "
              + summary.runId()
              + ": "
              + (settings.kafka() == null
                  ? "files in " + run.layout().input()
                  : "records in Kafka topics " + topicPrefix + "<topic> at " + to)
              + ", state in "
              + run.layout().replayManifest());
      out.flush();
      return summary.completed() ? ExitCode.OK : signal.get() != 0 ? signal.get() : ExitCode.FAILED;
    }
  }

  /** Space, + and - steer the run from its terminal; said once, before it starts. */
  private static TerminalKeys keys(StreamDataRun run, PrintWriter err) {
    err.println("keys: space pauses and resumes, + doubles the speed-up, - halves it");
    err.flush();
    return TerminalKeys.start(System.in, run.steering());
  }

  /** The workers: --threads, or the CPUs (one left free for publishing on a schedule). */
  private int threads() {
    int cpus = Runtime.getRuntime().availableProcessors();
    int n = this.threads != null ? this.threads : speed.max ? cpus : Math.max(1, cpus - 1);
    if (n < 1) {
      throw new edu.dsc650.BadUsageException("--threads must be at least 1, not " + n);
    }
    return n;
  }

  /** The options that must agree with each other, checked before anything is read. */
  private void checkOptions(double speedup) {
    if (loop < 0) {
      throw new edu.dsc650.BadUsageException(
          "--loop must be 0 (until stopped) or a number of laps, not " + loop);
    }
    if (loop == 0 && speed.max) {
      throw new edu.dsc650.BadUsageException(
          "--loop 0 needs a schedule: an endless replay at max speed would only fill the disk");
    }
    if (!speed.max) {
      checkSpeedup(speedup, loop == 0);
    }
    if (scale < 1) {
      throw new edu.dsc650.BadUsageException(
          "--scale must be a number of copies of each ride (1 or more), not " + scale);
    }
  }

  static final double MIN_SPEEDUP = ReplayOptions.MIN_SPEEDUP;

  static final double MAX_SPEEDUP = ReplayOptions.MAX_SPEEDUP;

  static final double MAX_ENDLESS_SPEEDUP = ReplayOptions.MAX_ENDLESS_SPEEDUP;

  private static void checkSpeedup(double speedup, boolean endless) {
    if (!(speedup >= MIN_SPEEDUP && speedup <= MAX_SPEEDUP)) { // also NaN and infinities
      throw new edu.dsc650.BadUsageException(
          "--speedup must be a positive number from "
              + MIN_SPEEDUP
              + " to "
              + (long) MAX_SPEEDUP
              + " (or use --max-speed), not "
              + speedup);
    }
    if (endless && speedup > MAX_ENDLESS_SPEEDUP) {
      throw new edu.dsc650.BadUsageException(
          "--speedup with --loop 0 must be at most "
              + (long) MAX_ENDLESS_SPEEDUP
              + ": an endless replay faster than that fills the disk faster than old laps are removed; not "
              + speedup);
    }
  }

  /**
   * The Kafka cluster of {@code --to kafka://...}, or null for files; options that do not fit are
   * bad usage.
   */
  private StreamDataRun.KafkaTarget kafkaTarget() {
    KafkaAddress address = KafkaAddress.parseOrFiles(to, "--to");
    if (address == null) {
      if (topicPrefix != null || partitions != 1) {
        throw new edu.dsc650.BadUsageException(
            "--topic-prefix and --partitions need --to kafka://HOST:PORT");
      }
      return null;
    }
    if (mergeSlices || compression != OutputCodec.source) {
      throw new edu.dsc650.BadUsageException(
          "--merge-slices and --compression shape parquet files; with --to kafka:// "
              + "each row is one record");
    }
    if (topicPrefix == null) {
      topicPrefix = KafkaAddress.DEFAULT_PREFIX;
    }
    if (partitions < 1) {
      throw new edu.dsc650.BadUsageException("--partitions must be at least 1, not " + partitions);
    }
    if (!topicPrefix.matches("[A-Za-z0-9._-]{0,200}")) {
      throw new edu.dsc650.BadUsageException(
          "--topic-prefix '"
              + topicPrefix
              + "' cannot begin a Kafka topic name "
              + "(letters, digits, '.', '_', '-'; at most 200)");
    }
    return new StreamDataRun.KafkaTarget(address, topicPrefix, partitions);
  }
}
