package edu.dsc650.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import edu.dsc650.io.ReplayManifest;
import edu.dsc650.testing.ParquetRows;
import edu.dsc650.testing.Replayed;
import edu.dsc650.testing.Rows;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole bundled dataset through {@code stream-data --max-speed}: every output row equals its
 * source row (read with parquet-mr), column by column, except timestamp = start + offset to the
 * microsecond.
 */
@Tag("cli")
class StreamDataBundledTest {
  static final Path BUNDLED = Path.of("data/processed/bdd");

  @TempDir Path results;

  @Test
  void everyFileOfTheBundledDataIsRewrittenExactly() throws IOException {
    CommandRunner cli = new CommandRunner();
    int rc =
        cli.run(
            "stream-data",
            "--max-speed",
            "--source",
            BUNDLED.toString(),
            "--results",
            results.toString());
    assertEquals(0, rc, cli.err.toString());
    long start = Replayed.startMicros(results);
    ReplayManifest manifest = Replayed.manifest(results);
    assertTrue(manifest.completed(), manifest.toString());

    List<Path> sources = ParquetRows.files(BUNDLED);
    List<Path> outputs = ParquetRows.files(results.resolve("input"));
    assertEquals(sources.size(), outputs.size(), "one output file per source file");
    assertEquals(sources.size(), manifest.files(), manifest.toString());
    long rows = 0;
    for (Path source : sources) {
      Path relative = BUNDLED.relativize(source);
      String uuid = relative.getFileName().toString().replace(".parquet", "");
      Path dir = results.resolve("input").resolve(relative.getParent());
      List<Path> matches;
      try (Stream<Path> files = Files.list(dir)) {
        matches = files.filter(p -> p.getFileName().toString().startsWith(uuid + "-")).toList();
      }
      assertEquals(1, matches.size(), "output of " + relative);
      List<Map<String, Object>> expected = Replayed.withTimestamps(ParquetRows.read(source), start);
      Rows.assertSameRows(expected, ParquetRows.read(matches.get(0)), relative.toString());
      rows += expected.size();
    }
    assertEquals(199_975, rows, "rows in the bundled data (NOTES.md: 196,030 + 3,945)");
    assertTrue(cli.out.toString().contains("199,975 rows"), cli.out.toString());
  }

  @Test
  void mergedSlicesHoldTheSourceRowsInFileOrder() throws IOException {
    CommandRunner cli = new CommandRunner();
    int rc =
        cli.run(
            "stream-data",
            "--max-speed",
            "--merge-slices",
            "--source",
            BUNDLED.toString(),
            "--results",
            results.toString());
    assertEquals(0, rc, cli.err.toString());
    long start = Replayed.startMicros(results);
    for (String topic : List.of("accelerations", "locations")) {
      List<Path> slices;
      try (Stream<Path> s = Files.list(BUNDLED.resolve(topic))) {
        slices = s.sorted().toList();
      }
      for (Path slice : slices) {
        List<Map<String, Object>> expected = new ArrayList<>();
        for (Path source : ParquetRows.files(slice)) {
          expected.addAll(ParquetRows.read(source));
        }
        List<Path> merged =
            ParquetRows.files(results.resolve("input").resolve(topic).resolve(slice.getFileName()));
        assertEquals(1, merged.size(), slice.toString());
        Rows.assertSameRows(
            Replayed.withTimestamps(expected, start),
            ParquetRows.read(merged.get(0)),
            slice.toString());
      }
    }
  }
}
