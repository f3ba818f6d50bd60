package edu.dsc650.query;

import edu.dsc650.io.ResultsLayout;
import edu.dsc650.io.Storage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps Spark's {@link StreamingQueryProgress} of every micro-batch as JSON lines, one file per
 * streaming query and run-query session: {@code progress/<query>/<streaming
 * query>-<session>.jsonl}. Spark itself keeps only the last 100 in memory; the report charts them
 * all. A file that reaches {@value #MAX_BYTES} bytes (an endless run) is continued in {@code
 * -<part>.jsonl}, and only the last {@value #KEEP_PARTS} parts are kept: the history of an endless
 * run is bounded.
 */
public final class ProgressLog extends StreamingQueryListener implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ProgressLog.class);
  private static final DateTimeFormatter SESSION =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final Storage storage;
  private final Function<String, Path> folderOf;
  private final String session;
  static final long MAX_BYTES = 16L << 20;
  static final int KEEP_PARTS = 3;

  private final long maxBytes;
  private final Map<String, OutputStream> files = new HashMap<>();
  private final Map<String, long[]> written = new HashMap<>(); // streaming query -> {part, bytes}
  private boolean failed;

  /**
   * A streaming query's progress goes to the folder of its run-query name (each query is one
   * streaming query of the same name).
   */
  public ProgressLog(Storage storage, ResultsLayout layout, Instant sessionStart) {
    this(storage, layout, sessionStart, MAX_BYTES);
  }

  ProgressLog(Storage storage, ResultsLayout layout, Instant sessionStart, long maxBytes) {
    this.maxBytes = maxBytes;
    this.storage = storage;
    this.folderOf = layout::progress;
    this.session = SESSION.format(sessionStart);
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
      long[] part = written.computeIfAbsent(p.name(), n -> new long[2]);
      OutputStream out = files.get(p.name());
      if (out != null && part[1] >= maxBytes) {
        out.close();
        out = null;
        part[0]++;
        part[1] = 0;
        if (part[0] >= KEEP_PARTS) {
          storage.deleteRecursively(file(p.name(), part[0] - KEEP_PARTS));
        }
      }
      if (out == null) {
        storage.mkdirs(folderOf.apply(p.name()));
        out = storage.createForLines(file(p.name(), part[0]));
        files.put(p.name(), out);
      }
      // json() is one line: Spark's pretty form is prettyJson()
      byte[] line = (p.json() + "\n").getBytes(StandardCharsets.UTF_8);
      out.write(line);
      out.flush();
      part[1] += line.length;
    } catch (IOException e) {
      // the queries matter more than their history: say it once and go on without it
      failed = true;
      LOG.warn(
          "cannot keep the queries' progress under {}: {}", folderOf.apply(p.name()), e.toString());
    }
  }

  /** Part {@code part} of a streaming query's progress in this session: the first has no number. */
  private Path file(String streamingQuery, long part) {
    return new Path(
        folderOf.apply(streamingQuery),
        streamingQuery + "-" + session + (part == 0 ? "" : "-" + part) + ".jsonl");
  }

  @Override
  public void onQueryIdle(QueryIdleEvent event) {}

  @Override
  public void onQueryTerminated(QueryTerminatedEvent event) {}

  @Override
  public synchronized void close() {
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
