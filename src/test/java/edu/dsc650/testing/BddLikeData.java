package edu.dsc650.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.parquet.column.ParquetProperties.WriterVersion;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * Generated data with the BDD schemas but unlike the bundled rides: three rides, one starting late,
 * one with a GPS gap, invalid speeds (-1), slices of irregular length with folder names that are
 * not zero-padded.
 */
public final class BddLikeData {
  public static final MessageType ACCELERATIONS =
      MessageTypeParser.parseMessageType(
          """
      message schema {
        optional binary id (STRING); optional binary ride_id (STRING); optional binary uuid (STRING);
        optional int64 timestamp (TIMESTAMP(MICROS,true)); optional double offset;
        optional double x; optional double y; optional double z;
        optional boolean timelapse; optional binary filename (STRING);
      }""");
  public static final MessageType LOCATIONS =
      MessageTypeParser.parseMessageType(
          """
      message schema {
        optional binary id (STRING); optional binary ride_id (STRING); optional binary uuid (STRING);
        optional int64 timestamp (TIMESTAMP(MICROS,true)); optional double offset;
        optional double course; optional double latitude; optional double longitude;
        optional binary geohash (STRING); optional double speed; optional double accuracy;
        optional boolean timelapse; optional binary filename (STRING);
      }""");

  /** A ride: when its recording starts and ends (simulation seconds), and its GPS gap. */
  record Ride(String uuid, double start, double end, double gapFrom, double gapTo) {}

  static final List<Ride> RIDES =
      List.of(
          new Ride("aaaa0001", 0.0, 70.0, -1, -1),
          new Ride("bbbb0002", 21.3, 80.0, 40.0, 47.0), // starts late, loses GPS for 7 s
          new Ride("cccc0003", 3.7, 52.0, -1, -1));

  private BddLikeData() {}

  /** Slice boundaries: irregular, 1.2 to 2.9 s apart, like the bundled data. */
  public static List<Double> sliceStarts(double until) {
    List<Double> starts = new ArrayList<>();
    double t = 0;
    int i = 0;
    while (t < until) {
      starts.add(Math.round(t * 10) / 10.0);
      t += 1.2 + (i++ * 7 % 18) / 10.0;
    }
    return starts;
  }

  /** Writes {@code <source>/{accelerations,locations}/t=<t>/<uuid>.parquet}. */
  public static void write(Path source) throws IOException {
    List<Double> starts = sliceStarts(80.0);
    for (int s = 0; s < starts.size(); s++) {
      double from = starts.get(s);
      double to = s + 1 < starts.size() ? starts.get(s + 1) : from + 2;
      String folder = "t=" + String.format(Locale.ROOT, "%.1f", from); // not zero-padded
      for (Ride ride : RIDES) {
        writeAccelerations(
            source.resolve("accelerations").resolve(folder).resolve(ride.uuid + ".parquet"),
            ride,
            from,
            to);
        writeLocations(
            source.resolve("locations").resolve(folder).resolve(ride.uuid + ".parquet"),
            ride,
            from,
            to);
      }
    }
  }

  private static void writeAccelerations(Path file, Ride ride, double from, double to)
      throws IOException {
    List<Double> offsets = new ArrayList<>();
    for (int k = (int) Math.ceil(from * 10); k < to * 10; k++) { // 10 Hz
      double t = k / 10.0 + 0.013;
      if (t >= ride.start && t < ride.end) {
        offsets.add(t);
      }
    }
    if (offsets.isEmpty()) {
      return;
    }
    TestData.write(
        file,
        ACCELERATIONS,
        CompressionCodecName.GZIP,
        false,
        WriterVersion.PARQUET_1_0,
        w -> {
          int i = 0;
          for (double t : offsets) {
            Group g =
                w.row()
                    .append("id", ride.uuid + "-a" + Math.round(t * 1000))
                    .append("ride_id", "r-" + ride.uuid)
                    .append("uuid", ride.uuid)
                    .append("timestamp", 7L)
                    .append("offset", t)
                    .append("x", Math.sin(t))
                    .append("y", Math.cos(t))
                    .append("z", 9.81 + i * 0.001)
                    .append("timelapse", false)
                    .append("filename", ride.uuid + ".json");
            w.write(g);
            i++;
          }
        });
  }

  private static void writeLocations(Path file, Ride ride, double from, double to)
      throws IOException {
    List<Double> offsets = new ArrayList<>();
    for (int k = (int) Math.ceil(from - ride.start);
        k + ride.start < to;
        k++) { // 1 Hz from the ride's start
      double t = ride.start + k + 0.25;
      if (t >= from
          && t < to
          && t >= ride.start
          && t < ride.end
          && !(t >= ride.gapFrom && t < ride.gapTo)) {
        offsets.add(t);
      }
    }
    if (offsets.isEmpty()) {
      return;
    }
    TestData.write(
        file,
        LOCATIONS,
        CompressionCodecName.GZIP,
        true,
        WriterVersion.PARQUET_1_0,
        w -> {
          for (double t : offsets) {
            long second = Math.round(t - 0.25);
            double speed =
                second % 9 == 4 ? -1.0 : 5 + (second % 13) * 0.7 + ride.uuid.charAt(0) * 0.01;
            Group g =
                w.row()
                    .append("id", ride.uuid + "-l" + second)
                    .append("ride_id", "r-" + ride.uuid)
                    .append("uuid", ride.uuid)
                    .append("timestamp", 7L)
                    .append("offset", t)
                    .append("course", 90.0)
                    .append("latitude", 37.0 + second * 1e-4)
                    .append("longitude", -122.0)
                    .append("geohash", "9q8yy")
                    .append("speed", speed)
                    .append("accuracy", 5.0)
                    .append("timelapse", false)
                    .append("filename", ride.uuid + ".json");
            w.write(g);
          }
        });
  }
}
