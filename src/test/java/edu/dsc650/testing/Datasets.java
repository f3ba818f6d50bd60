package edu.dsc650.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.column.ParquetProperties.WriterVersion;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * A small generated source unlike the bundled one: folder names not zero-padded, a locations topic
 * that starts late, a ride with a GPS gap, slices of different sizes, an empty slice.
 */
public final class Datasets {
  private Datasets() {}

  /** Slice times of the generated source, per topic. */
  public static final List<String> ACCELERATION_SLICES =
      List.of("0", "1.5", "3.0", "9.5", "11.7", "20");

  public static final List<String> LOCATION_SLICES = List.of("3.0", "9.5", "11.7", "14", "20");

  public static void small(Path source) throws IOException {
    for (String t : ACCELERATION_SLICES) {
      double from = Double.parseDouble(t);
      Path dir = source.resolve("accelerations/t=" + t);
      TestData.accelerations(
          dir.resolve("ride-a.parquet"),
          "ride-a",
          from + 0.05,
          from + 1.5,
          CompressionCodecName.GZIP,
          WriterVersion.PARQUET_1_0);
      if (from >= 3) { // ride-b starts late
        TestData.accelerations(
            dir.resolve("ride-b.parquet"),
            "ride-b",
            from + 0.02,
            from + 0.8,
            CompressionCodecName.SNAPPY,
            WriterVersion.PARQUET_2_0);
      }
    }
    for (String t : LOCATION_SLICES) {
      double from = Double.parseDouble(t);
      Path dir = source.resolve("locations/t=" + t);
      List<Double> offsets = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        offsets.add(from + 0.3 + i);
      }
      TestData.locations(
          dir.resolve("ride-a.parquet"), "ride-a", offsets, CompressionCodecName.GZIP);
      if (!t.equals("11.7")) { // a GPS gap for ride-b
        TestData.locations(
            dir.resolve("ride-b.parquet"),
            "ride-b",
            offsets.subList(0, 2),
            CompressionCodecName.GZIP);
      }
    }
    java.nio.file.Files.createDirectories(source.resolve("locations/t=25"));
  }
}
