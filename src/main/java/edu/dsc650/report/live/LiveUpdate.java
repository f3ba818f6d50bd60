package edu.dsc650.report.live;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * What became new in a results folder since the last poll ({@link LiveFeed}), as the live page
 * receives it. Instants are epoch milliseconds; a null is "not known" (no event time in a batch
 * without rows, no watermark in a query without one).
 *
 * @param replay replay.json, when it changed (null otherwise)
 * @param slices the slices published since
 * @param batches the micro-batches committed since, every query's
 * @param latencies each slice a query read, with when its batch ended
 * @param windows the window values {@code windowed} wrote in its new micro-batches
 * @param joins what each new micro-batch of {@code joined} wrote
 * @param rows what each new micro-batch of a query of your own ({@code --sql}) wrote, the first
 *     rows
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record LiveUpdate(
    JsonNode replay,
    List<Slice> slices,
    List<Batch> batches,
    List<Latency> latencies,
    List<Window> windows,
    List<JoinBatch> joins,
    List<QueryRows> rows,
    String report) {

  public LiveUpdate(
      JsonNode replay,
      List<Slice> slices,
      List<Batch> batches,
      List<Latency> latencies,
      List<Window> windows,
      List<JoinBatch> joins,
      List<QueryRows> rows) {
    this(replay, slices, batches, latencies, windows, joins, rows, null);
  }

  /** News of the report alone. */
  public static LiveUpdate report(String state) {
    return new LiveUpdate(
        null, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), state);
  }

  public LiveUpdate(
      JsonNode replay,
      List<Slice> slices,
      List<Batch> batches,
      List<Latency> latencies,
      List<Window> windows,
      List<JoinBatch> joins) {
    this(replay, slices, batches, latencies, windows, joins, List.of());
  }

  public boolean isEmpty() {
    return replay == null
        && slices.isEmpty()
        && batches.isEmpty()
        && latencies.isEmpty()
        && windows.isEmpty()
        && joins.isEmpty()
        && rows.isEmpty()
        && report == null;
  }

  /**
   * What one micro-batch of a {@code --sql} query wrote: its columns, its first {@value #SHOWN}
   * rows (timestamps as epoch milliseconds) and how many rows it wrote in all.
   */
  public record QueryRows(
      String query,
      long batch,
      long end,
      List<String> columns,
      List<String> timestamps,
      List<List<Object>> rows,
      long total) {
    public static final int SHOWN = 20;
  }

  /**
   * A window's value as one micro-batch of {@code windowed} wrote it (update mode: a window's value
   * is written again by each batch that changes it; its last one stands).
   */
  public record Window(
      long batch,
      String uuid,
      long start,
      long end,
      @JsonProperty("mean_speed") double meanSpeed,
      long fixes) {}

  /**
   * What one micro-batch of {@code joined} wrote: pairs, and the rows the watermark released
   * without a partner (their event times: at most {@value #RELEASED_SHOWN} of each side).
   */
  public record JoinBatch(
      long batch,
      long end,
      long matched,
      @JsonProperty("fixes_alone") long fixesAlone,
      @JsonProperty("samples_alone") long samplesAlone,
      @JsonProperty("fixes_released") List<Long> fixesReleased,
      @JsonProperty("samples_released") List<Long> samplesReleased) {
    public static final int RELEASED_SHOWN = 200;
  }

  /** A slice of replay-slices.jsonl: its due and published instants and its publish lag. */
  public record Slice(
      String run,
      String topic,
      String slice,
      double t,
      Long due,
      long published,
      @JsonProperty("lag_ms") Double lagMs,
      long rows,
      @JsonProperty("txn_ms") @JsonInclude(JsonInclude.Include.NON_NULL) Double transactionMs) {
    public Slice(
        String run,
        String topic,
        String slice,
        double t,
        Long due,
        long published,
        Double lagMs,
        long rows) {
      this(run, topic, slice, t, due, published, lagMs, rows, null);
    }
  }

  /**
   * One micro-batch of one query, from Spark's progress (StreamingQueryProgress).
   *
   * @param end when it ended (Spark's timestamp is its start, plus its triggerExecution)
   * @param durations Spark's durationMs, phase by phase
   * @param eventMax the newest event time in the batch's rows
   * @param watermark the watermark the batch ran with (null until the query has one)
   * @param stateRows rows held by its stateful operators after it
   * @param late rows its stateful operators dropped as later than the watermark (Spark's count)
   * @param endOfStream the batch read run-query's end-of-stream markers (their event time is far in
   *     the future, and is not shown as one)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Batch(
      String query,
      String run,
      long id,
      long start,
      long end,
      long rows,
      Map<String, Long> durations,
      @JsonProperty("event_max") Long eventMax,
      Long watermark,
      @JsonProperty("state_rows") Long stateRows,
      Long late,
      @JsonProperty("end_of_stream") Boolean endOfStream) {}

  /** A slice read by a query's micro-batch (progress/QUERY/latency/*.jsonl). */
  public record Latency(
      String query,
      long batch,
      String topic,
      String slice,
      long due,
      long end,
      @JsonProperty("latency_ms") long latencyMs) {}
}
