package edu.dsc650.io;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * A slice as one streaming query read it, a line of run-query's {@code latency/<query>/} files: the
 * one definition of live latency that the report and the benchmark scripts read. A slice's latency
 * is the end of the micro-batch that read it (its trigger's start plus its duration: its commit)
 * minus the slice's due instant; a batch's latency is that of the oldest slice it read.
 *
 * @param query the streaming query ({@code simple}, {@code windowed}, a --sql file's name)
 * @param batch the micro-batch that read the slice
 * @param topic the slice's topic
 * @param slice the slice's folder ({@code t=052.2})
 * @param due the instant the replay's schedule said (ISO-8601 UTC); null at max speed
 * @param end the instant the batch ended (ISO-8601 UTC)
 * @param latencyMs end − due in milliseconds; null at max speed
 * @param rows the slice's rows
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"query", "batch", "topic", "slice", "due", "end", "latency_ms", "rows"})
public record SliceLatency(
    @JsonProperty("query") String query,
    @JsonProperty("batch") long batch,
    @JsonProperty("topic") String topic,
    @JsonProperty("slice") String slice,
    @JsonProperty("due") String due,
    @JsonProperty("end") String end,
    @JsonProperty("latency_ms") Long latencyMs,
    @JsonProperty("rows") long rows) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public String json() {
    try {
      return JSON.writeValueAsString(this);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The whole lines of a file ({@link JsonLines}): a line cut short by a kill is not read. */
  public static List<SliceLatency> readAll(Storage storage, org.apache.hadoop.fs.Path file)
      throws IOException {
    return JsonLines.read(storage, file, SliceLatency.class);
  }
}
