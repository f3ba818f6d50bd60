package edu.dsc650.query;

import edu.dsc650.io.ResultsLayout;
import edu.dsc650.io.SliceLatency;
import edu.dsc650.io.Storage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps Spark's {@link StreamingQueryProgress} of every micro-batch as JSON lines, one file per
 * streaming query and run-query session: {@code progress/<query>/<streaming
 * query>-<session>.jsonl}; and each slice a batch read with its latency ({@link SliceLatency},
 * {@link BatchSlices}) in {@code progress/<query>/latency/}, named alike. Spark itself keeps only
 * the last 100 in memory; the report charts them all. A file that reaches {@value #MAX_BYTES} bytes
 * (an endless run) is continued in {@code -<part>.jsonl}, and only the last {@value #KEEP_PARTS}
 * parts are kept: the history of an endless run is bounded.
 */
public final class ProgressLog extends StreamingQueryListener implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ProgressLog.class);
  private static final DateTimeFormatter SESSION =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  static final long MAX_BYTES = 16L << 20;
  static final int KEEP_PARTS = 3;

  private final Lines progress;
  private final Lines latency;
  private final BatchSlices slices;
  private boolean failed;
  private boolean latencyFailed;

  /**
   * A streaming query's progress goes to the folder of its run-query name (each query is one
   * streaming query of the same name).
   *
   * @param kafkaTopics each Kafka topic's source topic, for a replay into Kafka (read when a slice
   *     is not known yet: the replay may start after the queries); empty otherwise
   */
  public ProgressLog(
      Storage storage,
      ResultsLayout layout,
      Instant sessionStart,
      Supplier<Map<String, String>> kafkaTopics) {
    this(storage, layout, sessionStart, kafkaTopics, MAX_BYTES);
  }

  ProgressLog(
      Storage storage,
      ResultsLayout layout,
      Instant sessionStart,
      Supplier<Map<String, String>> kafkaTopics,
      long maxBytes) {
    String session = SESSION.format(sessionStart);
    this.progress = new Lines(storage, layout::progress, session, maxBytes);
    this.latency = new Lines(storage, layout::latency, session, maxBytes);
    this.slices =
        new BatchSlices(BatchSlices.recordsIn(storage, layout.sliceRecords()), kafkaTopics);
  }

  @Override
  public void onQueryStarted(QueryStartedEvent event) {}

  @Override
  public synchronized void onQueryProgress(QueryProgressEvent event) {
    if (failed) {
      return;
    }
    StreamingQueryProgress p = event.progress();
    try {
      progress.write(p.name(), p.json()); // json() is one line: Spark's pretty form is prettyJson()
    } catch (IOException e) {
      // the queries matter more than their history: say it once and go on without it
      failed = true;
      LOG.warn("cannot keep the queries' progress: {}", e.toString());
      return;
    }
    if (!latencyFailed) {
      try {
        write(slices.of(p));
      } catch (IOException | RuntimeException e) {
        latencyFailed = true;
        LOG.warn("cannot keep the slices' latencies: {}", e.toString());
      }
    }
  }

  private void write(List<SliceLatency> lines) throws IOException {
    for (SliceLatency line : lines) {
      latency.write(line.query(), line.json());
    }
  }

  @Override
  public void onQueryIdle(QueryIdleEvent event) {}

  @Override
  public void onQueryTerminated(QueryTerminatedEvent event) {}

  @Override
  public synchronized void close() {
    try {
      if (!failed && !latencyFailed) {
        write(slices.rest());
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("cannot keep the last slices' latencies: {}", e.toString());
    }
    progress.close();
    latency.close();
  }

  /** JSON lines per streaming query, in parts of at most {@code maxBytes}, the last few kept. */
  private static final class Lines {
    private final Storage storage;
    private final Function<String, Path> folderOf;
    private final String session;
    private final long maxBytes;
    private final Map<String, OutputStream> files = new HashMap<>();
    private final Map<String, long[]> written = new HashMap<>(); // query -> {part, bytes}

    Lines(Storage storage, Function<String, Path> folderOf, String session, long maxBytes) {
      this.storage = storage;
      this.folderOf = folderOf;
      this.session = session;
      this.maxBytes = maxBytes;
    }

    void write(String streamingQuery, String json) throws IOException {
      long[] part = written.computeIfAbsent(streamingQuery, n -> new long[2]);
      OutputStream out = files.get(streamingQuery);
      if (out != null && part[1] >= maxBytes) {
        out.close();
        out = null;
        part[0]++;
        part[1] = 0;
        if (part[0] >= KEEP_PARTS) {
          storage.deleteRecursively(file(streamingQuery, part[0] - KEEP_PARTS));
        }
      }
      if (out == null) {
        storage.mkdirs(folderOf.apply(streamingQuery));
        out = storage.createForLines(file(streamingQuery, part[0]));
        files.put(streamingQuery, out);
      }
      byte[] line = (json + "\n").getBytes(StandardCharsets.UTF_8);
      out.write(line);
      out.flush();
      part[1] += line.length;
    }

    /** Part {@code part} of a streaming query's lines in this session: the first has no number. */
    private Path file(String streamingQuery, long part) {
      return new Path(
          folderOf.apply(streamingQuery),
          streamingQuery + "-" + session + (part == 0 ? "" : "-" + part) + ".jsonl");
    }

    void close() {
      for (OutputStream out : files.values()) {
        try {
          out.close();
        } catch (IOException e) {
          LOG.warn("cannot close a progress file: {}", e.toString());
        }
      }
      files.clear();
    }
  }
}
