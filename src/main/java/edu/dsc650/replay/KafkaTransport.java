package edu.dsc650.replay;

import edu.dsc650.FirstLine;
import edu.dsc650.io.ReplayManifest;
import edu.dsc650.io.Storage;
import edu.dsc650.io.kafka.KafkaAddress;
import edu.dsc650.io.kafka.KafkaTopics;
import edu.dsc650.parquet.JsonRows;
import edu.dsc650.parquet.TimestampRewriter;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes slices to Kafka topics ({@code <prefix><topic>}), one transaction per moment: every
 * slice due at one instant, of both topics, is committed at once, so a {@code read_committed}
 * reader sees all of it or none, the promise the rename gives for files. Records: key = the row's
 * {@code uuid}, value = the rewritten row as JSON ({@link JsonRows}), timestamp = the row's
 * timestamp.
 *
 * <p>The producer is idempotent and transactional, with one transactional id per topic prefix: a
 * new run fences a killed one and aborts its open transaction. While the broker is away a moment is
 * retried (the commit again, or the whole transaction after an abort) until {@link #GIVE_UP} has
 * passed; then the run fails, with nothing of that moment visible.
 */
public final class KafkaTransport implements SliceTransport {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(KafkaTransport.class);

  /** How long a moment is retried while the broker does not take it before the run fails. */
  static final Duration GIVE_UP = Duration.ofSeconds(30);

  /**
   * A fault-injection hook for tests: milliseconds to hold every transaction open before its
   * commit.
   */
  static final String HOLD_PROPERTY = "dsc650.faults.kafkaHoldTransactionMs";

  /**
   * Between two attempts at a moment (each one already waits up to max.block.ms for the broker).
   */
  private static final long RETRY_PAUSE_MS = 200;

  private final Storage sourceStorage;
  private final ReplayOptions options;
  private final KafkaTopics topics;
  private final String prefix;
  private final int partitions;
  private final ThreadLocal<TimestampRewriter> rewriters;

  /** A row decoder per worker thread: its decompressors are not thread-safe. */
  private final ThreadLocal<JsonRows> decoders = ThreadLocal.withInitial(JsonRows::new);

  private final long holdMillis = Long.getLong(HOLD_PROPERTY, 0);
  private final Map<String, String> names = new LinkedHashMap<>();
  private KafkaProducer<byte[], byte[]> producer;

  /** How long each moment's transaction took, from its begin to its commit (for --verbose). */
  private final LagStats transactions = new LagStats();

  /**
   * @param topics the cluster, already reached (the caller closes it)
   * @param prefix put before each source topic's name
   * @param sourceTopics the source's topics, each published to its own Kafka topic
   */
  public KafkaTransport(
      Storage sourceStorage,
      ReplayOptions options,
      KafkaTopics topics,
      String prefix,
      List<String> sourceTopics,
      int partitions,
      ThreadLocal<TimestampRewriter> rewriters) {
    sourceTopics.forEach(t -> names.put(t, KafkaAddress.topic(prefix, t)));
    this.sourceStorage = sourceStorage;
    this.options = options;
    this.topics = topics;
    this.prefix = prefix;
    this.partitions = partitions;
    this.rewriters = rewriters;
  }

  /** A slice's records; once committed, where they went and how long the transaction took. */
  private static final class StagedRecords implements Staged {
    final List<ProducerRecord<byte[], byte[]>> records;
    final int files;
    final long rows;
    final Map<Integer, Long> kafkaOffsets = new TreeMap<>();
    Double transactionMs;

    StagedRecords(List<ProducerRecord<byte[], byte[]>> records, int files, long rows) {
      this.records = records;
      this.files = files;
      this.rows = rows;
    }

    @Override
    public int files() {
      return files;
    }

    @Override
    public long rows() {
      return rows;
    }

    @Override
    public Map<Integer, Long> kafkaOffsets() {
      return kafkaOffsets;
    }

    @Override
    public Double transactionMs() {
      return transactionMs;
    }
  }

  @Override
  public ReplayManifest describe(ReplayManifest manifest) {
    return manifest.with(
        new ReplayManifest.Kafka(topics.address().bootstrap(), new LinkedHashMap<>(names), null));
  }

  /**
   * Starts the producer, then recreates the topics empty. The producer comes first: its
   * initTransactions fences the producer of an earlier run of these topics (one killed, or one
   * still going, which then fails instead of writing into the new topics) and aborts what it left
   * open.
   */
  @Override
  public void prepare(List<Slice> slices, Laps laps, String runId) throws IOException {
    startProducer(System.nanoTime() + GIVE_UP.toNanos());
    topics.recreate(new ArrayList<>(names.values()), partitions);
  }

  /**
   * Starts a transactional producer. Its first call, initTransactions, fences any earlier producer
   * of the same id and aborts the transaction that one left open (a killed run's, or our own old
   * one's).
   */
  private void startProducer(long deadline) throws IOException {
    producer =
        new KafkaProducer<>(
            producerSettings(), new ByteArraySerializer(), new ByteArraySerializer());
    while (true) {
      try {
        producer.initTransactions();
        return;
      } catch (TimeoutException e) {
        if (System.nanoTime() > deadline) {
          throw new IOException(
              "Kafka at "
                  + topics.address()
                  + " did not start a transactional producer within "
                  + GIVE_UP.toSeconds()
                  + " s: "
                  + e.getMessage(),
              e);
        }
      } catch (KafkaException e) {
        throw new IOException(
            "Kafka at "
                + topics.address()
                + " did not start a transactional producer: "
                + e.getMessage(),
            e);
      }
    }
  }

  private Properties producerSettings() {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, topics.address().bootstrap());
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "dsc650-replay");
    // one id per topic prefix: a new run fences a killed one, and its open transaction is aborted
    p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "dsc650-replay-" + prefix);
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(
        ProducerConfig.COMPRESSION_TYPE_CONFIG,
        "lz4"); // JSON: 64 MB of the bundled data become 8.8 MB
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    // bounded waits, so that a broker that went away is retried by us, not forever inside the
    // client
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000);
    p.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
    p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 60_000);
    return p;
  }

  /** Rewrites each source file (every copy of it) and turns its rows into records. */
  @Override
  public Staged stage(Slice slice, String runId, long startMicros, BooleanSupplier stopRequested)
      throws IOException {
    String topic = names.get(slice.topic());
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    List<JsonRows.Row> rows = new ArrayList<>();
    int files = 0;
    try {
      for (SourceFile file : slice.files()) {
        if (stopRequested.getAsBoolean()) {
          return NOTHING;
        }
        rewriters
            .get()
            .rewriteEach(
                List.of(file.take(sourceStorage)),
                options.scale(),
                startMicros,
                (copy, result) ->
                    decoders.get().decode(result.bytes(), result.length(), result.footer(), rows));
        files += options.scale();
      }
    } catch (IOException | RuntimeException e) {
      throw new IOException("cannot rewrite " + slice.dir() + ": " + FirstLine.of(e), e);
    }
    for (JsonRows.Row r : rows) {
      records.add(new ProducerRecord<>(topic, null, r.timestampMillis(), r.key(), r.value()));
    }
    return new StagedRecords(records, files, rows.size());
  }

  /**
   * One transaction for the moment's slices; retried while the broker is away, up to {@link
   * #GIVE_UP}.
   */
  @Override
  public void publish(List<Slice> slices, List<Staged> staged, IntConsumer visible)
      throws IOException {
    long began = System.nanoTime();
    long deadline = began + GIVE_UP.toNanos();
    List<List<Future<RecordMetadata>>> sent = new ArrayList<>();
    for (int attempt = 1; ; attempt++) {
      try {
        sent.clear();
        producer.beginTransaction();
        for (Staged s : staged) {
          sent.add(send((StagedRecords) s));
        }
        hold();
        commit(deadline);
        break;
      } catch (ProducerFencedException
          | OutOfOrderSequenceException
          | AuthorizationException
          | UnsupportedVersionException e) {
        // the producer cannot go on: another run took over this prefix, or the cluster refuses it
        throw new IOException(
            "Kafka at "
                + topics.address()
                + " refused the transaction of "
                + what(slices)
                + ": "
                + e.getMessage(),
            e);
      } catch (KafkaException e) {
        if (System.nanoTime() > deadline) {
          throw new IOException(
              "Kafka at "
                  + topics.address()
                  + " did not take "
                  + what(slices)
                  + " for "
                  + GIVE_UP.toSeconds()
                  + " s ("
                  + attempt
                  + " attempts): "
                  + e.getMessage(),
              e);
        }
        LOG.warn(
            "Kafka did not take {} (attempt {}): {}; retrying",
            what(slices),
            attempt,
            e.getMessage());
        abort(deadline, slices);
        pause(RETRY_PAUSE_MS);
      }
    }
    long took = System.nanoTime() - began;
    transactions.add(took);
    for (int i = 0; i < slices.size(); i++) {
      StagedRecords slice = (StagedRecords) staged.get(i);
      recordOffsets(sent.get(i), slice.kafkaOffsets());
      slice.transactionMs = took / 1e6;
      visible.accept(i);
    }
  }

  /** Sends a slice's records in the open transaction. */
  private List<Future<RecordMetadata>> send(StagedRecords slice) throws IOException {
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    for (ProducerRecord<byte[], byte[]> r : slice.records) {
      Future<RecordMetadata> f = producer.send(r);
      failFast(f);
      sent.add(f);
    }
    return sent;
  }

  /** Where a committed slice's records went: per partition, the offset after its last one. */
  private static void recordOffsets(List<Future<RecordMetadata>> sent, Map<Integer, Long> offsets)
      throws IOException {
    try {
      for (Future<RecordMetadata> f : sent) {
        RecordMetadata m = f.get(); // done: the commit flushed every send
        offsets.merge(m.partition(), m.offset() + 1, Math::max);
      }
    } catch (ExecutionException e) {
      throw new IOException("a committed record has no offset: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /**
   * A send that failed at once (no metadata within max.block.ms: the broker is away) fails the
   * attempt now; the client would otherwise wait that long again for each record still to send.
   */
  private static void failFast(Future<RecordMetadata> sent) {
    if (!sent.isDone()) {
      return;
    }
    try {
      sent.get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof KafkaException k ? k : new KafkaException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaException(e);
    }
  }

  /**
   * Commits, retrying a commit that timed out (the client keeps its outcome) until the deadline.
   */
  private void commit(long deadline) {
    while (true) {
      try {
        producer.commitTransaction();
        return;
      } catch (TimeoutException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
      }
    }
  }

  /**
   * Aborts the open transaction, retrying while the broker is away; nothing of it becomes visible.
   */
  private void abort(long deadline, List<Slice> slices) throws IOException {
    while (true) {
      try {
        producer.abortTransaction();
        return;
      } catch (TimeoutException e) {
        if (System.nanoTime() > deadline) {
          throw new IOException(
              "Kafka at "
                  + topics.address()
                  + " did not take "
                  + what(slices)
                  + " for "
                  + GIVE_UP.toSeconds()
                  + " s: "
                  + e.getMessage(),
              e);
        }
      } catch (KafkaException e) {
        // the producer is in an error state it cannot leave (e.g. its records timed out
        // unacknowledged):
        // a new one, with the same id, aborts the open transaction as it starts
        LOG.warn("restarting the Kafka producer: {}", e.getMessage());
        producer.close(Duration.ZERO);
        startProducer(deadline);
        return;
      }
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void hold() {
    if (holdMillis > 0) {
      try {
        producer.flush(); // the records are in the log, uncommitted
        Thread.sleep(holdMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static String what(List<Slice> slices) {
    return slices.size() == 1
        ? "slice " + slices.get(0).folder()
        : slices.size() + " slices at " + slices.get(0).folder();
  }

  /** Each topic's end offsets, now that the last transaction is committed. */
  @Override
  public ReplayManifest completed(ReplayManifest manifest) throws IOException {
    return manifest.with(
        new ReplayManifest.Kafka(
            topics.address().bootstrap(),
            new LinkedHashMap<>(names),
            topics.committedEndOffsets(names.values())));
  }

  @Override
  public void cleanUp() {}

  @Override
  public void close() {
    LOG.info(
        "{} transactions, begin to commit: p50 {} ms, p99 {} ms, max {} ms",
        transactions.count(),
        transactions.percentileMillis(50),
        transactions.percentileMillis(99),
        transactions.maxMillis());
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
    }
  }
}
