package edu.dsc650.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import edu.dsc650.testing.ParquetRows;
import edu.dsc650.testing.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.parquet.column.ParquetProperties.WriterVersion;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A reader polling {@code input} while a fast replay runs never sees part of a slice or a file it
 * cannot read: every slice folder it finds holds all its files, each with all its rows.
 */
@Tag("cli")
class ConcurrentReaderTest {
  static final int SLICES = 60;
  static final int RIDES = 6;

  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void aPollingReaderOnlyEverSeesWholeSlices(boolean merge) throws Exception {
    Path source = tmp.resolve("source");
    Path results = tmp.resolve("results");
    Map<String, Integer> rowsPerSlice = new HashMap<>();
    for (int s = 0; s < SLICES; s++) {
      String slice = "accelerations/t=" + (s * 0.5);
      int rows = 0;
      for (int r = 0; r < RIDES; r++) {
        double from = s * 0.5;
        double to = from + 0.1 * (1 + (s + r) % 9); // slices of different sizes
        TestData.accelerations(
            source.resolve(slice + "/ride-" + r + ".parquet"),
            "ride-" + r,
            from,
            to,
            CompressionCodecName.GZIP,
            WriterVersion.PARQUET_1_0);
        rows += (int) Math.round((to - from) / 0.1);
      }
      rowsPerSlice.put(slice, rows);
    }

    AtomicBoolean done = new AtomicBoolean();
    Set<String> seen = new HashSet<>();
    CompletableFuture<Integer> reader =
        CompletableFuture.supplyAsync(
            () -> {
              int checks = 0;
              while (!done.get() || checks == 0) {
                try {
                  checks +=
                      checkEverythingVisible(results.resolve("input"), rowsPerSlice, merge, seen);
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              }
              return checks;
            });

    CommandRunner cli = new CommandRunner();
    int rc =
        cli.run(
            "stream-data",
            "--speedup",
            "10",
            "--source",
            source.toString(),
            "--results",
            results.toString(),
            merge ? "--merge-slices" : "--compression=source");
    done.set(true);
    int checks = reader.get();
    assertEquals(0, rc, cli.err.toString());
    assertEquals(
        SLICES, checkEverythingVisible(results.resolve("input"), rowsPerSlice, merge, seen));
    assertTrue(
        checks > SLICES, "the reader looked while the replay ran: " + checks + " slice checks");
  }

  /** Checks every slice folder visible now; returns how many it checked. */
  private static int checkEverythingVisible(
      Path input, Map<String, Integer> rowsPerSlice, boolean merge, Set<String> seen)
      throws IOException {
    Path topic = input.resolve("accelerations");
    if (!Files.isDirectory(topic)) {
      return 0;
    }
    // what a reader of the file-sink log sees now: only files of slices already published whole
    List<Path> logged =
        Files.isDirectory(topic.resolve("_spark_metadata"))
            ? edu.dsc650.testing.SinkLogs.allFiles(topic)
            : List.of();
    List<Path> slices;
    try (Stream<Path> s = Files.list(topic)) {
      slices = s.filter(p -> p.getFileName().toString().startsWith("t=")).toList();
    }
    java.util.Set<Path> listed = new java.util.HashSet<>();
    int checked = 0;
    for (Path slice : slices) {
      String key = "accelerations/" + slice.getFileName();
      List<Path> files;
      try (Stream<Path> f = Files.list(slice)) {
        files = f.toList();
      } catch (NoSuchFileException e) {
        continue; // the next run cleared input; not the case in this test
      }
      assertEquals(merge ? 1 : RIDES, files.size(), key + " is complete when visible: " + files);
      listed.addAll(files);
      int rows = 0;
      for (Path file : files) {
        rows += ParquetRows.read(file).size();
      }
      assertEquals(rowsPerSlice.get(key), rows, key);
      seen.add(key);
      checked++;
    }
    for (Path f : logged) {
      assertTrue(listed.contains(f), "the log names " + f + " before its slice is visible");
    }
    return checked;
  }
}
