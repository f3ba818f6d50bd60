package edu.dsc650.report;

import edu.dsc650.io.ResultsLayout;
import edu.dsc650.io.SliceRecord;
import edu.dsc650.io.Storage;
import edu.dsc650.query.JoinedQuery;
import edu.dsc650.query.SimpleQuery;
import edu.dsc650.query.WindowedQuery;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reads a results folder into the {@link Report} the page shows, one section at a time: the replay,
 * the input, windowed, joined, the micro-batches and the --sql queries' outputs. The rides the
 * charts per ride show are chosen first ({@link ShownRides}) and given to each section.
 */
public final class ReportData {
  private static final Set<String> BUILT_IN =
      Set.of(SimpleQuery.NAME, WindowedQuery.NAME, JoinedQuery.NAME, JoinedQuery.OUTPUT);

  private final ResultsReader results;
  private final Consumer<String> progress;

  /**
   * @param progress told what was read, and how long it took (one line each)
   */
  public ReportData(
      SparkSession spark, Storage storage, ResultsLayout layout, Consumer<String> progress) {
    this.results = new ResultsReader(spark, storage, layout);
    this.progress = progress;
  }

  public Report collect() throws IOException {
    ResultsLayout layout = results.layout;
    // read once: the replay chart and the rows per topic come from them
    List<SliceRecord> records = sliceRecords();
    ReplaySection replay =
        timed("replay.json and the slice records", () -> ReplaySection.read(results, records));
    // read once: the rides, the three kinds of rows, the rates and the magnitudes all come from it
    Dataset<Row> joinOutput =
        results.output(layout.output(JoinedQuery.OUTPUT), "output/stream-joined (the join)");
    Dataset<Row> joined = joinOutput == null ? null : joinOutput.cache();
    InputSection.Published published =
        timed(
            "input (rows per topic)",
            () -> InputSection.Published.read(results, records, replay.intoKafka()));
    ShownRides rides =
        timed("the rides", () -> ShownRides.choose(union(published.uuids(), joined), results));
    InputSection input = timed("input (rides and tracks)", () -> InputSection.of(published, rides));
    WindowedSection windowed = timed("output/windowed", () -> WindowedSection.read(results, rides));
    JoinedSection joinedSection =
        timed("output/stream-joined", () -> JoinedSection.of(joined, rides, results));
    List<String> own = ownQueryNames(); // listed once: their batches and their outputs
    Map<String, List<List<Object>>> batches = timed("progress (micro-batches)", () -> batches(own));
    Map<String, OwnQueryTable> ownTables =
        timed("the outputs of --sql queries", () -> ownTables(own));
    var manifest = replay.manifest();
    Report.Headline headline =
        new Report.Headline(
            input.rows(),
            rides.shown() == null ? null : rides.total(),
            windowed.windows(),
            joinedSection.matched(),
            manifest == null || manifest.lagMs() == null ? null : manifest.lagMs().p50(),
            manifest == null || manifest.lagMs() == null ? null : manifest.lagMs().p99());
    return new Report(
        layout.root().toString(),
        Instant.now().toString(),
        headline,
        replay,
        input,
        windowed,
        joinedSection,
        batches,
        ownTables,
        results.missing,
        results.leftOut);
  }

  /** replay-slices.jsonl, with an endless run's earlier part. */
  private List<SliceRecord> sliceRecords() throws IOException {
    List<SliceRecord> records = new ArrayList<>();
    if (!results.storage.exists(results.layout.sliceRecords())) {
      results.missing("replay-slices.jsonl (each slice's publish lag)");
      return records;
    }
    org.apache.hadoop.fs.Path older = SliceRecord.Writer.older(results.layout.sliceRecords());
    if (results.storage.exists(older)) {
      records.addAll(SliceRecord.readAll(results.storage, older));
    }
    records.addAll(SliceRecord.readAll(results.storage, results.layout.sliceRecords()));
    return records;
  }

  private static Dataset<Row> union(Dataset<Row> uuids, Dataset<Row> joined) {
    if (joined == null) {
      return uuids;
    }
    return uuids == null ? joined.select("uuid") : uuids.union(joined.select("uuid"));
  }

  private interface Part<T> {
    T read() throws IOException;
  }

  private <T> T timed(String what, Part<T> part) throws IOException {
    long start = System.nanoTime();
    T result = part.read();
    progress.accept(
        String.format(Locale.ROOT, "read %s in %.1f s", what, (System.nanoTime() - start) / 1e9));
    return result;
  }

  /** Each streaming query's batches: [end ms, input rows, duration ms, latency ms or null]. */
  private Map<String, List<List<Object>>> batches(List<String> own) throws IOException {
    Map<String, List<List<Object>>> queries = new LinkedHashMap<>();
    List<String> names =
        new ArrayList<>(List.of(SimpleQuery.NAME, WindowedQuery.NAME, JoinedQuery.NAME));
    names.addAll(own); // run-query --sql: one streaming query named as its file
    for (String name : names) {
      List<List<Object>> points = new ArrayList<>();
      for (BatchHistory.Batch b : BatchHistory.read(results.storage, results.layout, name)) {
        List<Object> point = new ArrayList<>(List.of(b.endMillis(), b.inputRows(), b.durationMs()));
        point.add(b.latencyMs());
        points.add(point);
      }
      if (!points.isEmpty()) {
        queries.put(name, points);
      }
    }
    if (queries.isEmpty()) {
      results.missing("progress/ (the queries' micro-batches; run-query keeps them)");
    }
    return queries;
  }

  /**
   * The queries of run-query --sql that kept progress here: a folder in progress/ and in output/.
   */
  private List<String> ownQueryNames() throws IOException {
    List<String> names = new ArrayList<>();
    if (!results.storage.isDirectory(results.layout.progress())) {
      return names;
    }
    for (Storage.Entry e : results.storage.list(results.layout.progress())) {
      if (e.directory()
          && !BUILT_IN.contains(e.name())
          && results.storage.isDirectory(results.layout.output(e.name()))) {
        names.add(e.name());
      }
    }
    return names;
  }

  private Map<String, OwnQueryTable> ownTables(List<String> names) {
    Map<String, OwnQueryTable> own = new LinkedHashMap<>();
    for (String name : names) {
      Dataset<Row> rows =
          results.output(results.layout.output(name), "output/" + name + " (run-query --sql)");
      if (rows != null) {
        own.put(name, OwnQueryTable.of(rows));
      }
    }
    return own;
  }
}
