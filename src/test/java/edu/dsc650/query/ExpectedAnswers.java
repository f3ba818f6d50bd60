package edu.dsc650.query;

import edu.dsc650.testing.ParquetRows;
import edu.dsc650.testing.Replayed;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The answers the queries must give, computed in plain Java from the source parquet files and the
 * replay's start S (timestamp = S + offset), without Spark.
 */
public final class ExpectedAnswers {
  static final long WINDOW_MICROS = 15_000_000L;
  static final long JOIN_MICROS = 1_000_000L;

  final Map<String, List<Map<String, Object>>> rows = new HashMap<>();

  /** A window of one ride: the mean of its valid speeds and their number. */
  public record Window(
      long startMicros, String uuid, String rideId, double meanSpeed, long fixes) {}

  public ExpectedAnswers(Path source, long startMicros) throws IOException {
    this(source, startMicros, 1, 0);
  }

  /**
   * The source replayed {@code laps} times, lap k with every timestamp {@code k * lapMicros} later.
   */
  public ExpectedAnswers(Path source, long startMicros, int laps, long lapMicros)
      throws IOException {
    this(source, startMicros, laps, lapMicros, (topic, sliceMicros) -> 0);
  }

  /** How long a run was paused before a slice was due: its rows are that much later. */
  @FunctionalInterface
  public interface Pauses {
    /**
     * @param sliceMicros the slice's time t (in lap k: t + k L), in microseconds
     */
    long pausedMicros(String topic, long sliceMicros);
  }

  /**
   * The source replayed {@code laps} times, lap k with every timestamp {@code k * lapMicros} later,
   * and each slice's rows later by the time paused before it was due ({@code pauses}).
   */
  public ExpectedAnswers(Path source, long startMicros, int laps, long lapMicros, Pauses pauses)
      throws IOException {
    for (String topic : List.of(Topics.ACCELERATIONS, Topics.LOCATIONS)) {
      List<Map<String, Object>> all = new ArrayList<>();
      for (Path file : ParquetRows.files(source.resolve(topic))) {
        String folder = file.getParent().getFileName().toString();
        long t =
            new java.math.BigDecimal(folder.substring(folder.indexOf('=') + 1))
                .movePointRight(6)
                .longValueExact();
        List<Map<String, Object>> lap0 =
            Replayed.withTimestamps(ParquetRows.read(file), startMicros);
        for (int k = 0; k < laps; k++) {
          long shift = k * lapMicros + pauses.pausedMicros(topic, t + k * lapMicros);
          for (Map<String, Object> row : lap0) {
            Map<String, Object> copy = new java.util.LinkedHashMap<>(row);
            copy.put("timestamp", (Long) row.get("timestamp") + shift);
            all.add(copy);
          }
        }
      }
      rows.put(topic, all);
    }
  }

  private ExpectedAnswers() {}

  /**
   * The answers for whatever the replay published, as its file-sink logs name the files, read with
   * parquet-mr: for runs whose rows are not the source's one to one ({@code --scale}; that the
   * copies are the source's rides is {@code ReplayerTest}'s to check).
   */
  public static ExpectedAnswers ofPublished(Path input) throws IOException {
    ExpectedAnswers answers = new ExpectedAnswers();
    for (String topic : List.of(Topics.ACCELERATIONS, Topics.LOCATIONS)) {
      List<Map<String, Object>> all = new ArrayList<>();
      for (Path file : edu.dsc650.testing.SinkLogs.allFiles(input.resolve(topic))) {
        all.addAll(ParquetRows.read(file));
      }
      answers.rows.put(topic, all);
    }
    return answers;
  }

  static long micros(Map<String, Object> row) {
    return (Long) row.get("timestamp");
  }

  /** Every row as one string of its columns, in schema order: a multiset key. */
  static String key(Map<String, Object> row, org.apache.spark.sql.types.StructType schema) {
    StringBuilder b = new StringBuilder();
    for (String field : schema.fieldNames()) {
      b.append(row.get(field)).append('|');
    }
    return b.toString();
  }

  public Map<String, Long> simple(String topic) {
    Map<String, Long> counts = new TreeMap<>();
    for (Map<String, Object> row : rows.get(topic)) {
      counts.merge(key(row, Topics.schema(topic)), 1L, Long::sum);
    }
    return counts;
  }

  /** windowed: per (window start, uuid), over fixes with speed >= 0. */
  public Map<String, Window> windows() {
    Map<String, double[]> sums = new TreeMap<>();
    Map<String, String> rideIds = new HashMap<>();
    for (Map<String, Object> row : rows.get(Topics.LOCATIONS)) {
      Double speed = (Double) row.get("speed");
      if (speed == null || speed < 0) {
        continue;
      }
      long start = Math.floorDiv(micros(row), WINDOW_MICROS) * WINDOW_MICROS;
      String k = start + "|" + row.get("uuid");
      double[] s = sums.computeIfAbsent(k, x -> new double[2]);
      s[0] += speed;
      s[1] += 1;
      rideIds.put(k, (String) row.get("ride_id"));
    }
    Map<String, Window> out = new TreeMap<>();
    sums.forEach(
        (k, s) -> {
          String[] parts = k.split("\\|");
          out.put(
              k,
              new Window(
                  Long.parseLong(parts[0]), parts[1], rideIds.get(k), s[0] / s[1], (long) s[1]));
        });
    return out;
  }

  /** joined: matched pairs as "uuid|loc ts|acc ts", with multiplicity. */
  public Map<String, Long> matchedPairs() {
    Map<String, Long> pairs = new TreeMap<>();
    forEachPair(
        (loc, acc) ->
            pairs.merge(loc.get("uuid") + "|" + micros(loc) + "|" + micros(acc), 1L, Long::sum));
    return pairs;
  }

  /**
   * joined: fixes without any sample ("L|uuid|loc ts") and samples without a fix ("A|uuid|acc ts").
   */
  public Map<String, Long> unmatched() {
    Map<String, Boolean> locMatched = new HashMap<>();
    Map<String, Boolean> accMatched = new HashMap<>();
    forEachPair(
        (loc, acc) -> {
          locMatched.put(loc.get("uuid") + "|" + micros(loc), true);
          accMatched.put(acc.get("uuid") + "|" + micros(acc), true);
        });
    Map<String, Long> out = new TreeMap<>();
    for (Map<String, Object> loc : rows.get(Topics.LOCATIONS)) {
      String k = loc.get("uuid") + "|" + micros(loc);
      if (!locMatched.containsKey(k)) {
        out.merge("L|" + k, 1L, Long::sum);
      }
    }
    for (Map<String, Object> acc : rows.get(Topics.ACCELERATIONS)) {
      String k = acc.get("uuid") + "|" + micros(acc);
      if (!accMatched.containsKey(k)) {
        out.merge("A|" + k, 1L, Long::sum);
      }
    }
    return out;
  }

  private void forEachPair(
      java.util.function.BiConsumer<Map<String, Object>, Map<String, Object>> each) {
    Map<Object, List<Map<String, Object>>> accByRide = new HashMap<>();
    for (Map<String, Object> acc : rows.get(Topics.ACCELERATIONS)) {
      accByRide.computeIfAbsent(acc.get("uuid"), u -> new ArrayList<>()).add(acc);
    }
    for (Map<String, Object> loc : rows.get(Topics.LOCATIONS)) {
      for (Map<String, Object> acc : accByRide.getOrDefault(loc.get("uuid"), List.of())) {
        long d = micros(acc) - micros(loc);
        if (d >= 0 && d < JOIN_MICROS) {
          each.accept(loc, acc);
        }
      }
    }
  }
}
