package edu.dsc650.replay;

import edu.dsc650.BadInputException;
import edu.dsc650.io.ReplayManifest;
import edu.dsc650.io.ResultsLayout;
import edu.dsc650.io.RunLock;
import edu.dsc650.io.SteeringRequests;
import edu.dsc650.io.Storage;
import edu.dsc650.io.kafka.KafkaAddress;
import edu.dsc650.io.kafka.KafkaTopics;
import edu.dsc650.parquet.OutputCodec;
import edu.dsc650.parquet.TimestampRewriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of stream-data, from its options to its summary: {@link #prepare} guards the results
 * folder, takes its lock, scans and validates the source (bad input changes nothing), checks that
 * the Kafka topics it would recreate are its own and picks the transport of the target; {@link
 * #replay} then replays.
 */
public final class StreamDataRun implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StreamDataRun.class);

  /**
   * Source bytes kept in memory between validation and rewrite (larger sources are read twice): 128
   * MiB, or a quarter of the heap if that is less, so that a small -Xmx bounds it too.
   */
  private static final long KEEP_SOURCE_BYTES =
      Math.min(128L << 20, Runtime.getRuntime().maxMemory() / 4);

  /** The run's settings, checked for usage by the command. */
  public record Settings(
      String source,
      String results,
      double speedup, // +Infinity: max speed
      boolean mergeSlices,
      OutputCodec compression,
      int threads,
      int laps,
      int scale,
      Duration retain,
      boolean waitForQueries,
      KafkaTarget kafka) {
    boolean maxSpeed() {
      return Double.isInfinite(speedup);
    }
  }

  /** With {@code --to kafka://}: the cluster, the topics' prefix and each topic's partitions. */
  public record KafkaTarget(KafkaAddress address, String topicPrefix, int partitions) {
    String topic(String sourceTopic) {
      return KafkaAddress.topic(topicPrefix, sourceTopic);
    }
  }

  private final Settings settings;
  private final PrintWriter err;
  private final ResultsLayout layout;
  private final Storage resultsStorage;
  private final ReplayOptions options;
  private final ExecutorService workers;
  private KafkaTopics kafkaTopics;
  private RunLock lock;
  private List<Slice> slices;
  private SourceValidator.Totals totals;
  private SliceTransport transport;
  private volatile Replayer replayer;
  private volatile boolean stopRequested;
  private final Steering steering = new Steering();

  private StreamDataRun(
      Settings settings, PrintWriter err, Storage resultsStorage, ResultsLayout layout) {
    this.settings = settings;
    this.err = err;
    this.resultsStorage = resultsStorage;
    this.layout = layout;
    this.options = options(settings, layout);
    this.workers = Executors.newFixedThreadPool(settings.threads(), daemonThreads());
  }

  /**
   * Checks everything a run needs before it changes anything: the results folder is not the source,
   * the source's files all read (bad input: exit 2), a Kafka cluster answers and its topics are
   * this results folder's; takes the results folder's lock and says what is about to be replayed.
   * Close it to release what it holds.
   *
   * @param err where the run says what it does: the announcement, warnings
   */
  public static StreamDataRun prepare(Settings settings, PrintWriter err) throws Exception {
    Storage sourceStorage = Storage.forLocation(settings.source());
    Storage resultsStorage = Storage.forLocation(settings.results());
    Path sourcePath = sourceStorage.qualify(new Path(settings.source()));
    Path resultsPath = resultsStorage.qualify(new Path(settings.results()));
    ResultsGuard.check(sourcePath, resultsPath, resultsStorage);
    StreamDataRun run =
        new StreamDataRun(settings, err, resultsStorage, new ResultsLayout(resultsPath));
    try {
      run.check(sourceStorage, sourcePath);
      return run;
    } catch (Exception | Error e) {
      run.close();
      throw e;
    }
  }

  private void check(Storage sourceStorage, Path sourcePath) throws Exception {
    // an unreachable broker is bad input, found before anything is touched
    kafkaTopics = settings.kafka() == null ? null : KafkaTopics.connect(settings.kafka().address());
    // The lock comes first where a results folder exists: while it is held, run-query knows a run
    // is under way and does not take the replay.json of an earlier run for this one's. A folder
    // that does not exist yet is made only once the source has passed its checks.
    if (resultsStorage.exists(layout.root())) {
      lock = lock(resultsStorage, layout);
    }
    slices = scan(sourceStorage, sourcePath);
    totals = validate(sourceStorage, slices, workers);
    if (lock == null) {
      lock = lock(resultsStorage, layout);
    }
    announce(totals, sourcePath, target(layout.root()));
    if (kafkaTopics != null) {
      checkTopicsAreOurs(kafkaTopics, slices, resultsStorage, layout);
    }
    transport = transport(sourceStorage, resultsStorage, options, kafkaTopics, slices);
  }

  /** Stops the replay between slices (a signal); it ends with its summary. */
  public void requestStop() {
    stopRequested = true;
    Replayer r = replayer;
    if (r != null) {
      r.requestStop();
    }
  }

  /**
   * Where the run takes requests to pause, resume or change speed from (the terminal's keys); the
   * live page's come through the results folder ({@link SteeringPoller}).
   */
  public Steering steering() {
    return steering;
  }

  /** The results folder, as the run resolved it. */
  public ResultsLayout layout() {
    return layout;
  }

  /**
   * Replays (the run clears staging and input first); the summary says whether it completed.
   *
   * @param progress told of each published moment
   */
  public ReplaySummary replay(ReplayProgress progress) throws Exception {
    SteeringRequests requests = new SteeringRequests(resultsStorage, layout);
    requests.clear(); // an earlier run's
    Replayer r =
        new Replayer(
            resultsStorage,
            options,
            new SystemReplayClock(),
            progress,
            transport,
            HeapBudget.standard());
    if (settings.waitForQueries()) {
      r.startWhen(new QueriesGate(resultsStorage, layout, new SystemReplayClock(), err::println));
    }
    r.steeredBy(steering);
    replayer = r;
    if (stopRequested) {
      r.requestStop(); // a stop that came just before
    }
    try (SteeringPoller poller =
        new SteeringPoller(requests, r::runId, steering, w -> err.println("warning: " + w))
            .start()) {
      return r.run(slices, totals, workers);
    } finally {
      requests.clear();
    }
  }

  /** Releases the transport, the Kafka client, the lock and the workers. */
  @Override
  public void close() throws Exception {
    try (AutoCloseable client = kafkaTopics;
        AutoCloseable slicesOut = transport) {
      // closes the transport, then the Kafka client (null ones are skipped)
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

  /** Where the slices go, for the line that announces the run. */
  private String target(Path resultsPath) {
    return settings.kafka() == null
        ? resultsPath.toString()
        : settings.kafka().address() + " (topics " + settings.kafka().topicPrefix() + "<topic>)";
  }

  private static ReplayOptions options(Settings settings, ResultsLayout layout) {
    return new ReplayOptions(
        layout,
        settings.speedup(),
        settings.mergeSlices(),
        settings.compression(),
        settings.threads(),
        ReplayOptions.DEFAULT_HEAD_START,
        settings.laps(),
        settings.scale(),
        settings.retain());
  }

  private List<Slice> scan(Storage sourceStorage, Path sourcePath) throws IOException {
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
            .validate(slices, settings.mergeSlices(), settings.scale() > 1, workers);
    LOG.info( // scripts/bench-scale.sh reads it
        "validated every file in {} ms (JVM up {} ms)",
        (System.nanoTime() - t1) / 1_000_000,
        ManagementFactory.getRuntimeMXBean().getUptime());
    return totals;
  }

  /**
   * Takes the results folder's lock and marks the folder as stream-data's (it passed every check).
   */
  private RunLock lock(Storage storage, ResultsLayout layout) throws IOException {
    RunLock lock =
        RunLock.acquire(
            storage, layout.replayLock(), "stream-data run", w -> err.println("warning: " + w));
    try {
      ResultsGuard.markOurs(layout, storage);
      return lock;
    } catch (IOException | RuntimeException e) {
      lock.close();
      throw e;
    }
  }

  /** The line that says what is about to be replayed, where to, and how fast. */
  private void announce(SourceValidator.Totals totals, Path sourcePath, String target) {
    int scale = settings.scale();
    int laps = settings.laps();
    err.printf(
        Locale.ROOT,
        "replaying %d slices (%,d files, %,d rows) from %s to %s at %s%s%s%n",
        totals.slices(),
        totals.files(),
        totals.rows(),
        sourcePath,
        target,
        settings.maxSpeed() ? "max speed" : "speed-up " + settings.speedup(),
        scale == 1
            ? ""
            : String.format(
                Locale.ROOT,
                ", each ride %d times (%,d rows per lap)",
                scale,
                totals.rows() * scale),
        laps == 1 ? "" : laps == 0 ? ", in laps until stopped" : ", " + laps + " laps");
  }

  /**
   * A run deletes and recreates its topics: only those that this results folder's earlier run made
   * (its replay.json names them, on the same cluster). Any other existing topic is somebody else's,
   * or another results folder's run's, perhaps live: refused, and nothing is touched.
   */
  private void checkTopicsAreOurs(
      KafkaTopics kafkaTopics, List<Slice> slices, Storage resultsStorage, ResultsLayout layout)
      throws IOException {
    List<String> names =
        slices.stream().map(Slice::topic).distinct().map(settings.kafka()::topic).toList();
    Set<String> foreign = new TreeSet<>(kafkaTopics.existing(names));
    ReplayManifest previous = ReplayManifest.read(resultsStorage, layout.replayManifest());
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
            settings.kafka().topicPrefix(),
            slices.stream().map(Slice::topic).distinct().toList(),
            settings.kafka().partitions(),
            rewriters);
  }

  private static ThreadFactory daemonThreads() {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "replay-worker-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
