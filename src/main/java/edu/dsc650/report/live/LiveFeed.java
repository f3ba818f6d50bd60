package edu.dsc650.report.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import edu.dsc650.io.ResultsLayout;
import edu.dsc650.io.Storage;
import edu.dsc650.query.EndOfStream;
import edu.dsc650.query.JoinedQuery;
import edu.dsc650.query.SimpleQuery;
import edu.dsc650.query.WindowedQuery;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.hadoop.fs.Path;

/**
 * Reads what is new in a results folder, each poll: replay.json when it changed, the lines added to
 * replay-slices.jsonl and to each query's progress and latency logs under {@code progress/}, and
 * the output files of each new micro-batch of {@code windowed} (its {@code batch_id=<n>} folder)
 * and {@code joined} (its sink log's entry). No Spark. A poll reads the new bytes of each log
 * ({@link LineTail}) and lists the progress folders (one file per run-query session), so its cost
 * follows what was added, not how long the run has been going (but for the sink log's compactions).
 */
public final class LiveFeed {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Event times from here on are run-query's end-of-stream markers, not data. */
  private static final long MARKERS = EndOfStream.TIME.minus(Duration.ofDays(366)).toEpochMilli();

  private final Storage storage;
  private final ResultsLayout layout;
  private final LineTail slices;
  private final Map<Path, LineTail> logs = new LinkedHashMap<>();
  private final SinkBatchFiles joinedFiles;

  /** The file sinks of --sql queries in append mode, by query. */
  private final Map<String, SinkBatchFiles> sinks = new java.util.HashMap<>();

  private final Consumer<String> warnings;
  private byte[] replay = new byte[0];

  public LiveFeed(Storage storage, ResultsLayout layout) {
    this(storage, layout, warning -> {});
  }

  /**
   * @param warnings told of each line it skips and each micro-batch output it cannot read
   */
  public LiveFeed(Storage storage, ResultsLayout layout, Consumer<String> warnings) {
    this.warnings = warnings;
    this.storage = storage;
    this.layout = layout;
    this.slices = new LineTail(storage, layout.sliceRecords());
    this.joinedFiles = new SinkBatchFiles(storage, layout.output(JoinedQuery.OUTPUT));
  }

  /** What was added since the last poll (the first poll: everything there is). */
  public LiveUpdate poll() throws IOException {
    JsonNode manifest = replayIfChanged();
    List<LiveUpdate.Slice> newSlices = new ArrayList<>();
    for (String line : slices.poll()) {
      parse(slices.file(), line, LiveFeed::slice, newSlices);
    }
    List<LiveUpdate.Batch> batches = new ArrayList<>();
    List<LiveUpdate.Latency> latencies = new ArrayList<>();
    for (Path query : folders(layout.progress())) {
      for (LineTail log : tails(query)) {
        for (String line : log.poll()) {
          parse(log.file(), line, LiveFeed::batch, batches);
        }
      }
      for (LineTail log : tails(new Path(query, "latency"))) {
        for (String line : log.poll()) {
          parse(log.file(), line, LiveFeed::latency, latencies);
        }
      }
    }
    List<LiveUpdate.Window> windows = new ArrayList<>();
    List<LiveUpdate.JoinBatch> joins = new ArrayList<>();
    List<LiveUpdate.QueryRows> rows = new ArrayList<>();
    for (LiveUpdate.Batch b : batches) {
      // a batch's output that cannot be read is told and left out; the rest of the poll stands
      try {
        if (b.query().equals(WindowedQuery.NAME)) {
          windows.addAll(windows(b.id()));
        } else if (b.query().equals(JoinedQuery.NAME)) {
          joins.add(join(b));
        } else if (!b.query().equals(SimpleQuery.NAME)) {
          ownRows(b).ifPresent(rows::add);
        }
      } catch (IOException | RuntimeException e) {
        warnings.accept(
            "warning: left out "
                + b.query()
                + "'s output of micro-batch "
                + b.id()
                + ": "
                + edu.dsc650.FirstLine.of(e));
      }
    }
    return new LiveUpdate(manifest, newSlices, batches, latencies, windows, joins, rows);
  }

  /**
   * The first rows a micro-batch of a {@code --sql} query wrote: from its sink's log (append mode)
   * or its {@code batch_id=<n>} folder (update, complete); none if it wrote none.
   */
  private java.util.Optional<LiveUpdate.QueryRows> ownRows(LiveUpdate.Batch b) throws IOException {
    Path output = layout.output(b.query());
    List<Path> files = new ArrayList<>();
    if (storage.isDirectory(new Path(output, "_spark_metadata"))) {
      files.addAll(
          sinks.computeIfAbsent(b.query(), q -> new SinkBatchFiles(storage, output)).files(b.id()));
    } else {
      files.addAll(batchFolderFiles(output, b.id()));
    }
    OutputRows.Table first = null;
    List<List<Object>> shown = new ArrayList<>();
    long total = 0;
    for (Path file : files) {
      OutputRows.Table t =
          OutputRows.first(storage, file, LiveUpdate.QueryRows.SHOWN - shown.size());
      first = first == null ? t : first;
      shown.addAll(t.rows());
      total += t.total();
    }
    if (first == null || total == 0) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(
        new LiveUpdate.QueryRows(
            b.query(), b.id(), b.end(), first.columns(), first.timestamps(), shown, total));
  }

  /**
   * Adds {@code line} as read by {@code reader} to {@code into}; a line that is not what it should
   * be is told and skipped, since the lines before and after it were read already.
   */
  private <T> void parse(
      Path file, String line, java.util.function.Function<JsonNode, T> reader, List<T> into) {
    try {
      into.add(reader.apply(JSON.readTree(line)));
    } catch (IOException | RuntimeException e) {
      warnings.accept(
          "warning: skipped a line of "
              + file.getName()
              + " ("
              + edu.dsc650.FirstLine.of(e)
              + "): "
              + (line.length() > 80 ? line.substring(0, 80) + "…" : line));
    }
  }

  /** The rows windowed's micro-batch wrote to its {@code batch_id=<n>} folder. */
  private List<LiveUpdate.Window> windows(long batch) throws IOException {
    List<LiveUpdate.Window> windows = new ArrayList<>();
    for (Path file : batchFolderFiles(layout.output(WindowedQuery.NAME), batch)) {
      for (Map<String, Object> r : OutputRows.read(storage, file, WINDOW_COLUMNS)) {
        windows.add(
            new LiveUpdate.Window(
                batch,
                (String) r.get("uuid"),
                (Long) r.get("window_start"),
                (Long) r.get("window_end"),
                (Double) r.get("mean_speed"),
                (Long) r.get("fixes")));
      }
    }
    return windows;
  }

  /**
   * The parquet files of micro-batch {@code batch} in {@code output/batch_id=<batch>}; none if the
   * folder is not there (a batch without rows writes none).
   */
  private List<Path> batchFolderFiles(Path output, long batch) throws IOException {
    List<Path> files = new ArrayList<>();
    Path dir = new Path(output, "batch_id=" + batch);
    if (storage.isDirectory(dir)) {
      for (Storage.Entry e : storage.list(dir)) {
        if (!e.directory() && e.name().endsWith(".parquet")) {
          files.add(e.path());
        }
      }
    }
    return files;
  }

  private static final Set<String> WINDOW_COLUMNS =
      Set.of("uuid", "window_start", "window_end", "mean_speed", "fixes");
  private static final Set<String> JOIN_COLUMNS = Set.of("loc_timestamp", "acc_timestamp");

  /** What joined's micro-batch wrote: pairs, and rows without a partner, from its sink log. */
  private LiveUpdate.JoinBatch join(LiveUpdate.Batch b) throws IOException {
    long matched = 0;
    List<Long> fixes = new ArrayList<>();
    List<Long> samples = new ArrayList<>();
    long fixesAlone = 0;
    long samplesAlone = 0;
    for (Path file : joinedFiles.files(b.id())) {
      for (Map<String, Object> r : OutputRows.read(storage, file, JOIN_COLUMNS)) {
        Long fix = (Long) r.get("loc_timestamp");
        Long sample = (Long) r.get("acc_timestamp");
        if (fix != null && sample != null) {
          matched++;
        } else if (fix != null) {
          if (fixesAlone++ < LiveUpdate.JoinBatch.RELEASED_SHOWN) {
            fixes.add(fix);
          }
        } else if (sample != null) {
          if (samplesAlone++ < LiveUpdate.JoinBatch.RELEASED_SHOWN) {
            samples.add(sample);
          }
        }
      }
    }
    return new LiveUpdate.JoinBatch(
        b.id(), b.end(), matched, fixesAlone, samplesAlone, fixes, samples);
  }

  private JsonNode replayIfChanged() throws IOException {
    if (!storage.exists(layout.replayManifest())) {
      return null;
    }
    byte[] now = storage.readAll(layout.replayManifest());
    if (Arrays.equals(now, replay)) {
      return null;
    }
    try {
      JsonNode manifest = JSON.readTree(now);
      replay = now;
      return manifest;
    } catch (IOException e) {
      return null; // replaced while read: the next poll reads it whole
    }
  }

  private List<Path> folders(Path dir) throws IOException {
    List<Path> folders = new ArrayList<>();
    if (storage.isDirectory(dir)) {
      for (Storage.Entry e : storage.list(dir)) {
        if (e.directory()) {
          folders.add(e.path());
        }
      }
    }
    return folders;
  }

  /** A tail of each JSON-lines file in {@code dir}, in name order (sessions by their start). */
  private List<LineTail> tails(Path dir) throws IOException {
    List<LineTail> found = new ArrayList<>();
    if (!storage.isDirectory(dir)) {
      return found;
    }
    for (Storage.Entry e : storage.list(dir)) {
      if (!e.directory() && e.name().endsWith(".jsonl")) {
        found.add(logs.computeIfAbsent(e.path(), p -> new LineTail(storage, p)));
      }
    }
    return found;
  }

  static LiveUpdate.Slice slice(JsonNode s) {
    return new LiveUpdate.Slice(
        s.path("run_id").asText(null),
        s.path("topic").asText(),
        s.path("slice").asText(),
        s.path("t").asDouble(),
        millis(s.get("due")),
        millis(s.get("published")),
        s.hasNonNull("lag_ms") ? s.get("lag_ms").asDouble() : null,
        s.path("rows").asLong(),
        s.hasNonNull("txn_ms") ? s.get("txn_ms").asDouble() : null);
  }

  static LiveUpdate.Batch batch(JsonNode p) {
    long start = millis(p.get("timestamp"));
    Map<String, Long> durations = new LinkedHashMap<>();
    p.path("durationMs")
        .fields()
        .forEachRemaining(d -> durations.put(d.getKey(), d.getValue().asLong()));
    Long eventMax = millis(p.path("eventTime").get("max"));
    Long watermark = millis(p.path("eventTime").get("watermark"));
    boolean markers =
        (eventMax != null && eventMax >= MARKERS) || (watermark != null && watermark >= MARKERS);
    Long stateRows = null;
    Long late = null;
    for (JsonNode op : p.path("stateOperators")) {
      stateRows = (stateRows == null ? 0 : stateRows) + op.path("numRowsTotal").asLong();
      late = (late == null ? 0 : late) + op.path("numRowsDroppedByWatermark").asLong();
    }
    return new LiveUpdate.Batch(
        p.path("name").asText(),
        p.path("runId").asText(),
        p.path("batchId").asLong(),
        start,
        start + durations.getOrDefault("triggerExecution", 0L),
        p.path("numInputRows").asLong(),
        durations,
        eventMax == null || eventMax >= MARKERS ? null : eventMax,
        // Spark's watermark before it has one is the epoch
        watermark == null || watermark >= MARKERS || watermark == 0 ? null : watermark,
        stateRows,
        late,
        markers ? Boolean.TRUE : null);
  }

  static LiveUpdate.Latency latency(JsonNode l) {
    return new LiveUpdate.Latency(
        l.path("query").asText(),
        l.path("batch").asLong(),
        l.path("topic").asText(),
        l.path("slice").asText(),
        millis(l.get("due")),
        millis(l.get("end")),
        l.path("latency_ms").asLong());
  }

  /** An ISO-8601 instant as epoch milliseconds; null when absent. */
  private static Long millis(JsonNode instant) {
    return instant == null || instant.isNull()
        ? null
        : Instant.parse(instant.asText()).toEpochMilli();
  }
}
