package edu.dsc650.io;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code <results>/replay.json}: which stream-data run feeds {@code input}, what it plans to
 * publish ({@link Plan}) and how far it got ({@link Progress}). The replay writes it (always
 * replaced atomically), run-query and scripts read it. A run writes it first with status {@code
 * starting}, before it changes anything else, so that no reader takes an earlier run's {@code
 * completed} for its own. The file is one flat JSON object ({@link Json}).
 *
 * @param kafka where a run with {@code --to kafka://} published, and each topic's end offsets once
 *     it completed; null for the file transport
 * @param steering how the run was steered (paused, sped up) while it ran; null until it starts on a
 *     schedule, and at max speed
 */
public record ReplayManifest(
    String runId, Plan plan, Progress progress, Kafka kafka, Steering steering) {

  public ReplayManifest(String runId, Plan plan, Progress progress, Kafka kafka) {
    this(runId, plan, progress, kafka, null);
  }

  /**
   * What a run publishes, fixed when it starts.
   *
   * @param speedup simulation seconds per wall-clock second; null at max speed
   * @param laps how many times the source is replayed (--loop); 0 until stopped
   * @param lapSeconds one lap's length L in simulation seconds: lap k is published k * L later
   * @param scale how many distinct rides each source ride is replayed as (--scale)
   * @param slices the slices of the whole run (laps times the source's); for an endless run, one
   *     lap's
   * @param files the source files replayed, each lap and copy counted (merged slices write fewer)
   * @param rows the rows replayed, each lap and copy counted
   */
  public record Plan(
      Double speedup,
      boolean maxSpeed,
      int laps,
      double lapSeconds,
      int scale,
      int slices,
      long files,
      long rows) {}

  /**
   * How far a run got.
   *
   * @param start the run's start S (ISO-8601, UTC); null while starting
   * @param lagMs publish lag percentiles; null at max speed and before the end
   * @param error what stopped a failed run, in one line
   */
  public record Progress(
      Status status,
      String start,
      int publishedSlices,
      Double wallSeconds,
      Lag lagMs,
      String error) {
    /** Validated, the lock held; nothing changed yet. */
    public static Progress starting() {
      return new Progress(Status.STARTING, null, 0, null, null, null);
    }

    /** Input cleared; the clock started at {@code start}. */
    public static Progress replaying(String start) {
      return new Progress(Status.REPLAYING, start, 0, null, null, null);
    }
  }

  /** A run that is starting: validated, its lock held, nothing changed yet. */
  public static ReplayManifest starting(String runId, Plan plan) {
    return new ReplayManifest(runId, plan, Progress.starting(), null);
  }

  /** Written as replay.json's flat object, wherever it is written (the report's page too). */
  @JsonValue
  Json json() {
    return Json.of(this);
  }

  public ReplayManifest with(Progress newProgress) {
    return new ReplayManifest(runId, plan, newProgress, kafka, steering);
  }

  public ReplayManifest with(Kafka newKafka) {
    return new ReplayManifest(runId, plan, progress, newKafka, steering);
  }

  public ReplayManifest with(Steering newSteering) {
    return new ReplayManifest(runId, plan, progress, kafka, newSteering);
  }

  public Status status() {
    return progress.status();
  }

  public String start() {
    return progress.start();
  }

  public int publishedSlices() {
    return progress.publishedSlices();
  }

  public Lag lagMs() {
    return progress.lagMs();
  }

  public String error() {
    return progress.error();
  }

  public int laps() {
    return plan.laps();
  }

  public double lapSeconds() {
    return plan.lapSeconds();
  }

  public int scale() {
    return plan.scale();
  }

  public int slices() {
    return plan.slices();
  }

  public long files() {
    return plan.files();
  }

  public long rows() {
    return plan.rows();
  }

  /**
   * For a replay into Kafka, each Kafka topic's source topic ({@code kafka.topics} inverted); empty
   * for files.
   */
  public java.util.Map<String, String> sourceTopicsByKafkaTopic() {
    java.util.Map<String, String> topics = new java.util.LinkedHashMap<>();
    if (kafka != null && kafka.topics() != null) {
      kafka.topics().forEach((source, kafkaTopic) -> topics.put(kafkaTopic, source));
    }
    return topics;
  }

  /** True once every slice of the run is published. */
  public boolean completed() {
    return status() == Status.COMPLETED;
  }

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

  /**
   * How a run on a schedule was steered: where it is now, and every change in turn.
   *
   * @param paused true while the simulation clock is stopped
   * @param speedup the speed-up now (or the one a resume goes on at)
   * @param pausedSeconds wall-clock seconds paused so far: slices due from now on have their
   *     timestamps this much later (S + offset + paused)
   * @param changes every pause, resume and change of speed-up, in order (an endless run keeps the
   *     last {@link #MAX_CHANGES})
   */
  public record Steering(
      @JsonProperty("paused") boolean paused,
      @JsonProperty("speedup") double speedup,
      @JsonProperty("paused_s") double pausedSeconds,
      @JsonProperty("changes") java.util.List<Change> changes) {
    public static final int MAX_CHANGES = 1000;

    /** A run that has not been steered. */
    public static Steering unsteered(double speedup) {
      return new Steering(false, speedup, 0, java.util.List.of());
    }

    /** This steering after one more change. */
    public Steering then(boolean nowPaused, double nowSpeedup, double nowPausedSeconds, Change c) {
      java.util.List<Change> all = new java.util.ArrayList<>(changes);
      all.add(c);
      if (all.size() > MAX_CHANGES) {
        all = all.subList(all.size() - MAX_CHANGES, all.size());
      }
      return new Steering(nowPaused, nowSpeedup, nowPausedSeconds, java.util.List.copyOf(all));
    }
  }

  /**
   * One change of a run's pace.
   *
   * @param at when it took effect (ISO-8601 UTC)
   * @param simSeconds where the simulation clock was then
   * @param action pause, resume or speedup
   * @param speedup the speed-up from then on
   */
  public record Change(
      @JsonProperty("at") String at,
      @JsonProperty("sim_s") double simSeconds,
      @JsonProperty("action") String action,
      @JsonProperty("speedup") double speedup) {}

  /** Publish lag percentiles in milliseconds. */
  public record Lag(
      @JsonProperty("p50") double p50,
      @JsonProperty("p99") double p99,
      @JsonProperty("max") double max) {}

  /** replay.json as it is written: one flat object, read by scripts in any language. */
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
    "kafka",
    "steering"
  })
  record Json(
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
      @JsonProperty("kafka") Kafka kafka,
      @JsonProperty("steering") Steering steering) {
    /** For readers that look at one field: true once every slice of the run is published. */
    @JsonProperty("completed")
    public boolean completed() {
      return status == Status.COMPLETED;
    }

    static Json of(ReplayManifest m) {
      Plan p = m.plan();
      Progress g = m.progress();
      return new Json(
          m.runId(),
          g.status(),
          g.start(),
          p.speedup(),
          p.maxSpeed(),
          p.laps(),
          p.lapSeconds(),
          p.scale(),
          p.slices(),
          p.files(),
          p.rows(),
          g.publishedSlices(),
          g.wallSeconds(),
          g.lagMs(),
          g.error(),
          m.kafka(),
          m.steering());
    }

    ReplayManifest manifest() {
      return new ReplayManifest(
          runId,
          new Plan(speedup, maxSpeed, laps, lapSeconds, scale, slices, files, rows),
          new Progress(status, start, publishedSlices, wallSeconds, lagMs, error),
          kafka,
          steering);
    }
  }

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public byte[] toJson() {
    try {
      return (JSON.writeValueAsString(Json.of(this)) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write replay.json", e);
    }
  }

  /** Parses replay.json; a file that is not one is reported with its path. */
  public static ReplayManifest parse(byte[] json, Object where) throws IOException {
    try {
      return JSON.readValue(json, Json.class).manifest();
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
