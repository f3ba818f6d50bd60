package edu.dsc650.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import edu.dsc650.io.ReplayManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The replay contract as the tests state it: timestamp = S + offset, S from replay.json. */
public final class Replayed {
  private Replayed() {}

  /** The run's start S, in microseconds since the epoch, as replay.json gives it. */
  public static long startMicros(Path results) throws IOException {
    ReplayManifest manifest = manifest(results);
    assertTrue(manifest.start() != null, "replay.json has a start");
    return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.parse(manifest.start()));
  }

  /**
   * Per slice ({@code topic|t in microseconds}), the time the run was paused before it was due, in
   * microseconds, as replay-slices.jsonl records it.
   */
  public static Map<String, Long> pausedMicros(Path results) throws IOException {
    Map<String, Long> paused = new java.util.HashMap<>();
    Path records = results.resolve("replay-slices.jsonl");
    if (!Files.exists(records)) {
      return paused;
    }
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    for (String line : Files.readAllLines(records)) {
      var r = json.readTree(line);
      long micros = Math.round(r.path("paused_s").asDouble() * 1e6);
      paused.put(r.path("topic").asText() + "|" + micros(r.path("t").asText()), micros);
    }
    return paused;
  }

  /** A slice time in seconds ("52.2", "t=052.2"), in microseconds. */
  public static long micros(String t) {
    return new java.math.BigDecimal(t.substring(t.indexOf('=') + 1))
        .movePointRight(6)
        .setScale(0, java.math.RoundingMode.HALF_EVEN)
        .longValueExact();
  }

  /**
   * The time paused before a slice that has no record (a kill between its rename and its record):
   * replay.json's pause so far, written at the last change, which came before that slice.
   */
  public static long pausedSoFarMicros(Path results) throws IOException {
    var steering = manifest(results).steering();
    return steering == null ? 0 : Math.round(steering.pausedSeconds() * 1e6);
  }

  /** {@code <results>/replay.json}. */
  public static ReplayManifest manifest(Path results) throws IOException {
    Path file = results.resolve("replay.json");
    return ReplayManifest.parse(Files.readAllBytes(file), file);
  }

  /**
   * Source rows as a replay must publish them: timestamp = start + offset, to the microsecond; a
   * float offset as a double.
   */
  public static List<Map<String, Object>> withTimestamps(
      List<Map<String, Object>> source, long startMicros) {
    List<Map<String, Object>> rows = new ArrayList<>(source.size());
    for (Map<String, Object> row : source) {
      Map<String, Object> copy = new LinkedHashMap<>(row);
      Object offset = row.get("offset");
      copy.put(
          "timestamp",
          offset == null
              ? null
              : startMicros + Math.round(((Number) offset).doubleValue() * 1_000_000d));
      if (offset instanceof Float f) {
        copy.put("offset", f.doubleValue()); // published as a double, one type for every reader
      }
      rows.add(copy);
    }
    return rows;
  }
}
