package edu.dsc650.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import edu.dsc650.testing.ParquetRows;
import edu.dsc650.testing.Replayed;
import edu.dsc650.testing.Rows;
import edu.dsc650.testing.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.parquet.column.ParquetProperties.WriterVersion;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Your own data": stream-data replays any topic whose files have an {@code offset}
 * column; run-query, which reads the BDD topics, says which one is missing before Spark starts.
 */
class OwnDataTest {
  /** Taxi trips: a timestamp column of its own (replaced), other columns of every kind. */
  static final MessageType TRIPS =
      MessageTypeParser.parseMessageType(
          """
      message trip {
        required binary trip (STRING);
        required double offset;
        optional int64 timestamp (TIMESTAMP(MICROS,true));
        optional double fare;
        optional int32 passengers;
        optional boolean cash;
      }""");

  /** Weather readings: a float offset and no timestamp column (one is added). */
  static final MessageType WEATHER =
      MessageTypeParser.parseMessageType(
          """
      message reading {
        required float offset;
        optional binary station (STRING);
        optional float celsius;
      }""");

  @TempDir Path source;
  @TempDir Path results;

  @Test
  void topicsOfAnyColumnsReplayAndTheQueriesSayWhatIsMissing() throws IOException {
    writeTrips("0", 0.0, 3);
    writeTrips("2.5", 2.5, 1);
    writeTrips("10", 10.25, 4);
    writeWeather("1", 1.5);
    writeWeather("12", 12.0);

    CommandRunner replay = new CommandRunner();
    assertEquals(
        0,
        replay.run(
            "stream-data",
            "--max-speed",
            "--source",
            source.toString(),
            "--results",
            results.toString()),
        replay.err.toString());
    long start = Replayed.startMicros(results);
    for (String topic : List.of("trips", "weather")) {
      List<Map<String, Object>> expected = new ArrayList<>();
      for (Path file : ParquetRows.files(source.resolve(topic))) {
        expected.addAll(Replayed.withTimestamps(ParquetRows.read(file), start));
      }
      List<Map<String, Object>> published = new ArrayList<>();
      for (Path file : ParquetRows.files(results.resolve("input").resolve(topic))) {
        published.addAll(ParquetRows.read(file));
      }
      Rows.assertSameRows(expected, published, topic);
    }
    assertEquals(
        8, ParquetRows.files(results.resolve("input/trips")).stream().mapToLong(this::rows).sum());

    CommandRunner query = new CommandRunner();
    assertEquals(
        2,
        query.run(
            "run-query", "simple", "--trigger", "available-now", "--results", results.toString()),
        query.err.toString());
    List<String> lines = query.err.toString().lines().toList();
    assertEquals(1, lines.size(), query.err.toString());
    assertTrue(
        lines.get(0).contains("no topic 'accelerations'")
            && lines.get(0).contains("trips, weather"),
        lines.get(0));
    assertFalse(query.err.toString().contains("Spark 3"), "refused before Spark started");
    assertFalse(Files.exists(results.resolve("checkpoints/simple")), "nothing changed");
  }

  private long rows(Path file) {
    try {
      return ParquetRows.read(file).size();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private void writeTrips(String slice, double from, int count) throws IOException {
    TestData.write(
        source.resolve("trips/t=" + slice + "/part-0.parquet"),
        TRIPS,
        CompressionCodecName.SNAPPY,
        true,
        WriterVersion.PARQUET_1_0,
        w -> {
          for (int i = 0; i < count; i++) {
            Group g =
                w.row()
                    .append("trip", "trip-" + slice + "-" + i)
                    .append("offset", from + i * 0.5)
                    .append("timestamp", 42L)
                    .append("passengers", i + 1)
                    .append("cash", i % 2 == 0);
            if (i != 1) {
              g.append("fare", 7.5 + i);
            }
            w.write(g);
          }
        });
  }

  private void writeWeather(String slice, double at) throws IOException {
    TestData.write(
        source.resolve("weather/t=" + slice + "/station.parquet"),
        WEATHER,
        CompressionCodecName.GZIP,
        false,
        WriterVersion.PARQUET_2_0,
        w ->
            w.write(
                w.row()
                    .append("offset", (float) at)
                    .append("station", "KOMA")
                    .append("celsius", -3.5f)));
  }
}
