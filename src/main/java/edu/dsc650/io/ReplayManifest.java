package edu.dsc650.io;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code <results>/replay.json}: which stream-data run feeds {@code input} and how far it got. The
 * replay writes it (always replaced atomically), run-query and scripts read it. A run writes it
 * first with status {@code starting}, before it changes anything else, so that no reader takes an
 * earlier run's {@code completed} for its own.
 *
 * @param start the run's start S (ISO-8601, UTC); null while starting
 * @param speedup simulation seconds per wall-clock second; null at max speed
 * @param laps how many times the source is replayed (--loop); 0 until stopped
 * @param lapSeconds one lap's length L in simulation seconds: lap k is published k * L later
 * @param scale how many distinct rides each source ride is replayed as (--scale)
 * @param files the source files replayed, each lap and copy counted (merged slices write fewer)
 * @param rows the rows replayed, each lap and copy counted
 * @param slices the slices of the whole run (laps times the source's); for an endless run, one
 *     lap's
 * @param lagMs publish lag percentiles; null at max speed and before the end
 * @param error what stopped a failed run, in one line
 * @param kafka where a run with {@code --to kafka://} published, and each topic's end offsets once
 *     it completed; null for the file transport
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({
  "run_id",
  "status",
  "completed",
  "start",
  "speedup",
  "max_speed",
  "laps",
  "lap_seconds",
  "scale",
  "slices",
  "files",
  "rows",
  "published_slices",
  "wall_seconds",
  "lag_ms",
  "error",
  "kafka"
})
public record ReplayManifest(
    @JsonProperty("run_id") String runId,
    @JsonProperty("status") Status status,
    @JsonProperty("start") String start,
    @JsonProperty("speedup") Double speedup,
    @JsonProperty("max_speed") boolean maxSpeed,
    @JsonProperty("laps") int laps,
    @JsonProperty("lap_seconds") double lapSeconds,
    @JsonProperty("scale") int scale,
    @JsonProperty("slices") int slices,
    @JsonProperty("files") long files,
    @JsonProperty("rows") long rows,
    @JsonProperty("published_slices") int publishedSlices,
    @JsonProperty("wall_seconds") Double wallSeconds,
    @JsonProperty("lag_ms") Lag lagMs,
    @JsonProperty("error") String error,
    @JsonProperty("kafka") Kafka kafka) {

  /** Where a run is. Only {@code completed} means every slice is in {@code input}. */
  public enum Status {
    /** validated, lock held; input not cleared yet */
    @JsonProperty("starting")
    STARTING,
    /** input cleared; slices being published */
    @JsonProperty("replaying")
    REPLAYING,
    @JsonProperty("completed")
    COMPLETED,
    /** stopped by a signal before the last slice */
    @JsonProperty("stopped")
    STOPPED,
    /** stopped by an error (see {@code error}) */
    @JsonProperty("failed")
    FAILED
  }

  /**
   * Where a Kafka replay published.
   *
   * @param bootstrap the brokers, {@code host:port,...}
   * @param topics each source topic's Kafka topic ({@code --topic-prefix} + name)
   * @param endOffsets per Kafka topic, per partition: the offset after the run's last committed
   *     transaction (what a reader has consumed everything at); null until the run completes
   */
  public record Kafka(
      @JsonProperty("bootstrap") String bootstrap,
      @JsonProperty("topics") java.util.Map<String, String> topics,
      @JsonProperty("end_offsets")
          java.util.Map<String, java.util.Map<Integer, Long>> endOffsets) {}

  /** Publish lag percentiles in milliseconds. */
  public record Lag(
      @JsonProperty("p50") double p50,
      @JsonProperty("p99") double p99,
      @JsonProperty("max") double max) {}

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** For readers that look at one field: true once every slice of the run is published. */
  @JsonProperty("completed")
  public boolean completed() {
    return status == Status.COMPLETED;
  }

  public ReplayManifest with(
      Status newStatus, String newStart, int published, Double wall, Lag lag, String why) {
    return new ReplayManifest(
        runId,
        newStatus,
        newStart,
        speedup,
        maxSpeed,
        laps,
        lapSeconds,
        scale,
        slices,
        files,
        rows,
        published,
        wall,
        lag,
        why,
        kafka);
  }

  public ReplayManifest with(Kafka newKafka) {
    return new ReplayManifest(
        runId,
        status,
        start,
        speedup,
        maxSpeed,
        laps,
        lapSeconds,
        scale,
        slices,
        files,
        rows,
        publishedSlices,
        wallSeconds,
        lagMs,
        error,
        newKafka);
  }

  public byte[] toJson() {
    try {
      return (JSON.writeValueAsString(this) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write replay.json", e);
    }
  }

  /** Parses replay.json; a file that is not one is reported with its path. */
  public static ReplayManifest parse(byte[] json, Object where) throws IOException {
    try {
      return JSON.readValue(json, ReplayManifest.class);
    } catch (IOException e) {
      throw new IOException(
          where
              + " is not a replay.json of stream-data: "
              + e.getMessage().lines().findFirst().orElse(""),
          e);
    }
  }

  /** Replaces {@code file} atomically. */
  public void write(Storage storage, org.apache.hadoop.fs.Path file) throws IOException {
    storage.writeAtomically(file, toJson());
  }

  /** The manifest in {@code file}, or null if there is none (yet). */
  public static ReplayManifest read(Storage storage, org.apache.hadoop.fs.Path file)
      throws IOException {
    if (!storage.exists(file)) {
      return null;
    }
    byte[] bytes;
    try {
      bytes = storage.readAll(file);
    } catch (java.io.FileNotFoundException | java.nio.file.NoSuchFileException gone) {
      return null; // replaced between the two calls: the caller polls again
    }
    return parse(bytes, file);
  }
}
