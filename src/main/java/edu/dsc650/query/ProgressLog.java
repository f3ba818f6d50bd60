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
 * streaming query and run-query session: {@code progress/<query>/<streaming query>-<session>.jsonl}.
 * Spark itself keeps only the last 100 in memory; the report charts them all.
 */
public final class ProgressLog extends StreamingQueryListener implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ProgressLog.class);
  private static final DateTimeFormatter SESSION =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final Storage storage;
  private final Function<String, Path> folderOf;
  private final String session;
  private final Map<String, OutputStream> files = new HashMap<>();
  private boolean failed;

  /** A streaming query's progress goes to the folder of its run-query name ({@code simple-locations}: simple). */
  public ProgressLog(Storage storage, ResultsLayout layout, Instant sessionStart) {
    this.storage = storage;
    this.folderOf = name -> layout.progress(name.contains("-") ? name.substring(0, name.indexOf('-')) : name);
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
      OutputStream out = files.get(p.name());
      if (out == null) {
        Path folder = folderOf.apply(p.name());
        storage.mkdirs(folder);
        out = storage.createForLines(new Path(folder, p.name() + "-" + session + ".jsonl"));
        files.put(p.name(), out);
      }
      // json() is one line: Spark's pretty form is prettyJson()
      out.write((p.json() + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
    } catch (IOException e) {
      // the queries matter more than their history: say it once and go on without it
      failed = true;
      LOG.warn("cannot keep the queries' progress under {}: {}", folderOf.apply(p.name()), e.toString());
    }
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
