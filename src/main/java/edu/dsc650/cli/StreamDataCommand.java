package edu.dsc650.cli;

import edu.dsc650.BadInputException;
import edu.dsc650.ExitCode;
import edu.dsc650.io.ResultsLayout;
import edu.dsc650.io.RunLock;
import edu.dsc650.io.Storage;
import edu.dsc650.io.kafka.KafkaAddress;
import edu.dsc650.io.kafka.KafkaTopics;
import edu.dsc650.parquet.OutputCodec;
import edu.dsc650.parquet.TimestampRewriter;
import edu.dsc650.replay.FileTransport;
import edu.dsc650.replay.HeapBudget;
import edu.dsc650.replay.KafkaTransport;
import edu.dsc650.replay.QueriesGate;
import edu.dsc650.replay.ReplayOptions;
import edu.dsc650.replay.ReplaySummary;
import edu.dsc650.replay.Replayer;
import edu.dsc650.replay.ResultsGuard;
import edu.dsc650.replay.RideCopies;
import edu.dsc650.replay.Slice;
import edu.dsc650.replay.SliceTransport;
import edu.dsc650.replay.SourceScanner;
import edu.dsc650.replay.SourceValidator;
import edu.dsc650.replay.SystemReplayClock;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
          + "with timestamp = start + offset.",
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
  private static final Logger LOG = LoggerFactory.getLogger(StreamDataCommand.class);

  /**
   * Source bytes kept in memory between validation and rewrite (larger sources are read twice): 128
   * MiB, or a quarter of the heap if that is less, so that a small -Xmx bounds it too.
   */
  private static final long KEEP_SOURCE_BYTES =
      Math.min(128L << 20, Runtime.getRuntime().maxMemory() / 4);

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
    KafkaAddress kafka = kafkaTarget(); // null: files
    int threads = threads();
    Storage sourceStorage = Storage.forLocation(OptionConverters.location("--source", source));
    Storage resultsStorage = Storage.forLocation(OptionConverters.location("--results", results));
    Path sourcePath = sourceStorage.qualify(new Path(source));
    Path resultsPath = resultsStorage.qualify(new Path(results));
    ResultsGuard.check(sourcePath, resultsPath, resultsStorage);

    ResultsLayout layout = new ResultsLayout(resultsPath);
    ReplayOptions options = options(layout, speedup, threads);
    // an unreachable broker is bad input, found before anything is touched
    KafkaTopics kafkaTopics = kafka == null ? null : KafkaTopics.connect(kafka);
    ExecutorService workers = Executors.newFixedThreadPool(threads, daemonThreads());
    // The lock comes first where a results folder exists: while it is held, run-query knows a run
    // is under way and does not take the replay.json of an earlier run for this one's. A folder
    // that does not exist yet is made only once the source has passed its checks. Released on
    // every way out.
    RunLock lock = null;
    try (kafkaTopics) {
      if (resultsStorage.exists(resultsPath)) {
        lock = lock(resultsStorage, layout, err);
      }
      List<Slice> slices = scan(sourceStorage, sourcePath, err);
      SourceValidator.Totals totals = validate(sourceStorage, slices, workers);
      if (lock == null) {
        lock = lock(resultsStorage, layout, err);
      }
      announce(
          err,
          totals,
          sourcePath,
          kafka == null ? resultsPath.toString() : kafka + " (topics " + topicPrefix + "<topic>)",
          speedup);
      if (kafkaTopics != null) {
        checkTopicsAreOurs(kafkaTopics, slices, resultsStorage, layout);
      }
      try (SliceTransport transport =
          transport(sourceStorage, resultsStorage, options, kafkaTopics, slices)) {
        return replay(options, slices, totals, resultsStorage, transport, workers, out, err);
      }
    } finally {
      try {
        if (lock != null) {
          lock.close();
        }
      } finally {
        workers.shutdownNow();
      }
    }
  }

  private List<Slice> scan(Storage sourceStorage, Path sourcePath, PrintWriter err)
      throws java.io.IOException {
    long t0 = System.nanoTime();
    List<Slice> slices =
        new SourceScanner(sourceStorage, w -> err.println("warning: " + w)).scan(sourcePath);
    LOG.info("scanned the source in {} ms", (System.nanoTime() - t0) / 1_000_000);
    return slices;
  }

  /** Reads every file's footer and offsets before anything changes: bad input is exit 2. */
  private SourceValidator.Totals validate(
      Storage sourceStorage, List<Slice> slices, ExecutorService workers) throws Exception {
    long t1 = System.nanoTime();
    SourceValidator.Totals totals =
        new SourceValidator(sourceStorage, KEEP_SOURCE_BYTES)
            .validate(slices, mergeSlices, scale > 1, workers);
    LOG.info( // scripts/bench-scale.sh reads it
        "validated every file in {} ms (JVM up {} ms)",
        (System.nanoTime() - t1) / 1_000_000,
        java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime());
    return totals;
  }

  /** Where the slices go: the results folder's input, or Kafka topics. */
  private SliceTransport transport(
      Storage sourceStorage,
      Storage resultsStorage,
      ReplayOptions options,
      KafkaTopics kafkaTopics,
      List<Slice> slices) {
    // one rewriter per worker thread: each keeps its buffers between slices
    ThreadLocal<TimestampRewriter> rewriters =
        ThreadLocal.withInitial(
            () -> new TimestampRewriter(options.compression(), RideCopies::key));
    return kafkaTopics == null
        ? new FileTransport(
            sourceStorage, resultsStorage, options, new SystemReplayClock(), rewriters)
        : new KafkaTransport(
            sourceStorage,
            options,
            kafkaTopics,
            topicPrefix,
            slices.stream().map(Slice::topic).distinct().toList(),
            partitions,
            rewriters);
  }

  /** The line that says what is about to be replayed, where to, and how fast. */
  private void announce(
      PrintWriter err,
      SourceValidator.Totals totals,
      Path sourcePath,
      String target,
      double speedup) {
    err.printf(
        Locale.ROOT,
        "replaying %d slices (%,d files, %,d rows) from %s to %s at %s%s%s%n",
        totals.slices(),
        totals.files(),
        totals.rows(),
        sourcePath,
        target,
        speed.max ? "max speed" : "speed-up " + speedup,
        scale == 1
            ? ""
            : String.format(
                Locale.ROOT,
                ", each ride %d times (%,d rows per lap)",
                scale,
                totals.rows() * scale),
        loop == 1 ? "" : loop == 0 ? ", in laps until stopped" : ", " + loop + " laps");
  }

  private ReplayOptions options(ResultsLayout layout, double speedup, int threads) {
    return new ReplayOptions(
        layout,
        speedup,
        mergeSlices,
        compression,
        threads,
        ReplayOptions.DEFAULT_HEAD_START,
        loop,
        scale,
        retain);
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

  /**
   * Takes the results folder's lock and marks the folder as stream-data's (it passed every check).
   */
  private static RunLock lock(Storage storage, ResultsLayout layout, PrintWriter err)
      throws java.io.IOException {
    RunLock lock =
        RunLock.acquire(
            storage, layout.replayLock(), "stream-data run", w -> err.println("warning: " + w));
    try {
      ResultsGuard.markOurs(layout, storage);
      return lock;
    } catch (java.io.IOException | RuntimeException e) {
      lock.close();
      throw e;
    }
  }

  /**
   * A run deletes and recreates its topics: only those that this results folder's earlier run made
   * (its replay.json names them, on the same cluster). Any other existing topic is somebody else's,
   * or another results folder's run's, perhaps live: refused, and nothing is touched.
   */
  private void checkTopicsAreOurs(
      KafkaTopics kafkaTopics, List<Slice> slices, Storage resultsStorage, ResultsLayout layout)
      throws java.io.IOException {
    List<String> names =
        slices.stream()
            .map(Slice::topic)
            .distinct()
            .map(t -> KafkaAddress.topic(topicPrefix, t))
            .toList();
    java.util.Set<String> foreign = new java.util.TreeSet<>(kafkaTopics.existing(names));
    edu.dsc650.io.ReplayManifest previous =
        edu.dsc650.io.ReplayManifest.read(resultsStorage, layout.replayManifest());
    if (previous != null
        && previous.kafka() != null
        && previous.kafka().topics() != null
        && previous.kafka().bootstrap().equals(kafkaTopics.address().bootstrap())) {
      foreign.removeAll(previous.kafka().topics().values());
    }
    if (!foreign.isEmpty()) {
      throw new BadInputException(
          "Kafka topic "
              + foreign.iterator().next()
              + " at "
              + kafkaTopics.address()
              + " exists and was not made by stream-data for "
              + layout.root()
              + " (a run would delete it): choose "
              + "another --topic-prefix, or delete the topic if it is not needed");
    }
  }

  /**
   * Fastest and slowest speed-ups: a schedule's instants fit in a long of nanoseconds for years.
   */
  static final double MIN_SPEEDUP = 1e-3;

  static final double MAX_SPEEDUP = 1e5;

  /**
   * An endless run faster than this publishes faster than a disk holds a retention window of it.
   */
  static final double MAX_ENDLESS_SPEEDUP = 100;

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
   * Replays (the run clears staging and input first); the caller holds the results folder's lock.
   */
  private int replay(
      ReplayOptions options,
      List<Slice> slices,
      SourceValidator.Totals totals,
      Storage resultsStorage,
      SliceTransport transport,
      ExecutorService workers,
      PrintWriter out,
      PrintWriter err)
      throws Exception {
    ReplayProgressLine printer = new ReplayProgressLine(err, System.console() != null);
    Replayer replayer =
        new Replayer(
            resultsStorage,
            options,
            new SystemReplayClock(),
            printer,
            transport,
            HeapBudget.standard());
    if (waitForQueries) {
      replayer.startWhen(
          new QueriesGate(
              resultsStorage, options.results(), new SystemReplayClock(), err::println));
    }
    AtomicInteger signal = new AtomicInteger();
    ReplaySummary summary;
    // Installed before input is cleared, so that a stop there too ends cleanly (lock released).
    try (StopSignals signals =
        new StopSignals(
            code -> {
              signal.compareAndSet(0, code);
              replayer.requestStop();
            })) {
      summary = replayer.run(slices, totals, workers);
    }
    printer.finish();
    out.println(summary.describe());
    out.println(
        "run "
            + summary.runId()
            + ": "
            + (to.equals(KafkaAddress.FILES)
                ? "files in " + options.results().input()
                : "records in Kafka topics " + topicPrefix + "<topic> at " + to)
            + ", state in "
            + options.results().replayManifest());
    out.flush();
    return summary.completed() ? ExitCode.OK : signal.get() != 0 ? signal.get() : ExitCode.FAILED;
  }

  /**
   * The Kafka cluster of {@code --to kafka://...}, or null for files; options that do not fit are
   * bad usage.
   */
  private KafkaAddress kafkaTarget() {
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
    return address;
  }

  private static java.util.concurrent.ThreadFactory daemonThreads() {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "replay-worker-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
