package edu.dsc650.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import edu.dsc650.BadInputException;
import edu.dsc650.io.LocalStorage;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceScannerTest {
  @TempDir Path source;

  private final List<String> warnings = new ArrayList<>();

  private List<Slice> scan() throws IOException {
    return new SourceScanner(new LocalStorage(), warnings::add)
        .scan(new org.apache.hadoop.fs.Path(source.toUri()));
  }

  private void file(String relative) throws IOException {
    Path p = source.resolve(relative);
    Files.createDirectories(p.getParent());
    Files.write(p, new byte[] {1});
  }

  @Test
  void ordersSlicesNumericallyWhateverThePadding() throws IOException {
    for (String t : List.of("t=100.0", "t=11.7", "t=9.5", "t=009.0", "t=0", "t=010.25")) {
      file("locations/" + t + "/a.parquet");
    }
    List<String> order = scan().stream().map(Slice::folder).toList();
    assertEquals(List.of("t=0", "t=009.0", "t=9.5", "t=010.25", "t=11.7", "t=100.0"), order);
    assertEquals(new BigDecimal("10.25"), scan().get(3).t());
  }

  @Test
  void interleavesTopicsBySliceTimeAndKeepsLateStartingTopics() throws IOException {
    file("locations/t=0.0/a.parquet");
    file("locations/t=2.0/a.parquet");
    file("accelerations/t=1.0/a.parquet");
    file("accelerations/t=2.0/a.parquet");
    List<String> order = scan().stream().map(s -> s.topic() + "/" + s.folder()).toList();
    assertEquals(
        List.of("locations/t=0.0", "accelerations/t=1.0", "accelerations/t=2.0", "locations/t=2.0"),
        order);
  }

  @Test
  void ignoresMarkersAndWarnsOnceAboutStrayEntries() throws IOException {
    file("locations/t=1.0/a.parquet");
    file("locations/t=1.0/.a.parquet.crc");
    file("locations/t=1.0/_SUCCESS");
    file("locations/t=1.0/notes.txt");
    file("locations/_temporary/x");
    file("locations/README.md");
    file("locations/other/x.parquet");
    file("stray.txt");
    List<Slice> slices = scan();
    assertEquals(1, slices.size());
    assertEquals(
        List.of("a.parquet"), slices.get(0).files().stream().map(f -> f.path().getName()).toList());
    assertEquals(4, warnings.size(), warnings.toString());
    assertTrue(warnings.stream().anyMatch(w -> w.contains("notes.txt")));
    assertTrue(warnings.stream().anyMatch(w -> w.contains("stray.txt")));
  }

  @Test
  void keepsEmptySliceFolders() throws IOException {
    Files.createDirectories(source.resolve("locations/t=3.0"));
    file("locations/t=4.0/a.parquet");
    List<Slice> slices = scan();
    assertEquals(2, slices.size());
    assertEquals(0, slices.get(0).files().size());
  }

  @Test
  void rejectsSliceFoldersThatAreNotNumbers() throws IOException {
    file("locations/t=abc/a.parquet");
    BadInputException e = assertThrows(BadInputException.class, this::scan);
    assertTrue(e.getMessage().contains("t=abc"), e.getMessage());
  }

  @Test
  void rejectsNegativeTimes() throws IOException {
    file("locations/t=-1.0/a.parquet");
    assertThrows(BadInputException.class, this::scan);
  }

  @Test
  void rejectsASourceWithoutSlices() throws IOException {
    Files.createDirectories(source.resolve("locations"));
    assertThrows(BadInputException.class, this::scan);
  }

  @Test
  void rejectsAMissingSource() {
    BadInputException e =
        assertThrows(
            BadInputException.class,
            () ->
                new SourceScanner(new LocalStorage(), warnings::add)
                    .scan(new org.apache.hadoop.fs.Path(source.resolve("nope").toUri())));
    assertTrue(e.getMessage().contains("does not exist"));
  }
}
