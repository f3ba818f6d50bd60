package edu.dsc650.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What a replay has published in {@code <results>/input}, checked against the source: per topic a
 * prefix of the source's slices in time order, each slice whole (every file, every row, timestamp =
 * S + offset), and nothing else (no hidden, partial or stray files).
 */
public final class PublishedSlices {
  public static final List<String> TOPICS = List.of("accelerations", "locations");

  private PublishedSlices() {}

  /** The source's slice folders of a topic, in simulation-time order. */
  public static List<Path> sourceSlices(Path source, String topic) throws IOException {
    try (Stream<Path> s = Files.list(source.resolve(topic))) {
      return s.filter(p -> p.getFileName().toString().startsWith("t="))
          .sorted(
              Comparator.comparingDouble(
                  p -> Double.parseDouble(p.getFileName().toString().substring(2))))
          .toList();
    }
  }

  /** Checks what is published; returns the number of slices published (all topics). */
  public static int assertOnlyWholeSlices(Path source, Path results, boolean merged)
      throws IOException {
    Path input = results.resolve("input");
    if (!Files.exists(input)) {
      return 0;
    }
    int published = 0;
    for (String topic : TOPICS) {
      Path topicInput = input.resolve(topic);
      if (!Files.exists(topicInput)) {
        continue;
      }
      List<String> names;
      try (Stream<Path> s = Files.list(topicInput)) {
        // not the logs (_spark_metadata, _dsc650_batches): readers skip names starting with _
        names =
            s.map(p -> p.getFileName().toString())
                .filter(n -> !n.startsWith("_"))
                .sorted()
                .toList();
      }
      if (names.isEmpty()) {
        continue;
      }
      long start = Replayed.startMicros(results); // anything published implies a replay.json
      Map<String, Long> paused = Replayed.pausedMicros(results);
      long pausedSoFar = Replayed.pausedSoFarMicros(results);
      List<Path> slices = sourceSlices(source, topic);
      assertTrue(
          names.size() <= slices.size(), topic + ": more entries than source slices: " + names);
      for (int i = 0; i < names.size(); i++) {
        String name = slices.get(i).getFileName().toString();
        assertTrue(
            names.contains(name),
            topic + ": slice " + name + " missing while later ones are published: " + names);
        // timestamp = S + offset + the time paused before the slice (steered runs)
        long shift = paused.getOrDefault(topic + "|" + Replayed.micros(name), pausedSoFar);
        assertWholeSlice(slices.get(i), topicInput.resolve(name), start + shift, merged);
      }
      assertLogNamesThePublishedFiles(topicInput, names);
      published += names.size();
    }
    return published;
  }

  /**
   * The topic's file-sink log names the files of every published slice, in publication order, one
   * batch per slice; the last slice may be missing (a kill between its rename and its log batch).
   */
  private static void assertLogNamesThePublishedFiles(Path topicInput, List<String> published)
      throws IOException {
    // by slice/file: the log names files where they were written, and a test may look at a copy
    List<String> logged =
        SinkLogs.allFiles(topicInput).stream().map(PublishedSlices::sliceAndFile).sorted().toList();
    List<String> onDisk = new ArrayList<>();
    for (String slice : published) {
      try (Stream<Path> s = Files.list(topicInput.resolve(slice))) {
        s.forEach(p -> onDisk.add(sliceAndFile(p)));
      }
    }
    List<String> all = onDisk.stream().sorted().toList();
    if (logged.equals(all)) {
      return;
    }
    assertTrue(
        all.containsAll(logged),
        topicInput + ": the log names files that are not published: " + logged);
    java.util.Set<String> missing = new java.util.TreeSet<>(all);
    logged.forEach(missing::remove);
    String last = lastSlice(published);
    assertTrue(
        missing.stream().allMatch(f -> f.startsWith(last + "/")),
        topicInput
            + ": files missing from the log besides the last slice's ("
            + last
            + "): "
            + missing);
  }

  private static String sliceAndFile(Path file) {
    return file.getParent().getFileName() + "/" + file.getFileName();
  }

  /** The published slice with the highest t. */
  private static String lastSlice(List<String> published) {
    return published.stream()
        .max(Comparator.comparingDouble(n -> Double.parseDouble(n.substring(2))))
        .orElseThrow();
  }

  private static void assertWholeSlice(Path sourceSlice, Path published, long start, boolean merged)
      throws IOException {
    List<Path> sources = ParquetRows.files(sourceSlice);
    List<Path> outputs;
    try (Stream<Path> s = Files.list(published)) {
      outputs = s.sorted().toList();
    }
    String what = published.toString();
    for (Path out : outputs) {
      String name = out.getFileName().toString();
      assertTrue(
          name.endsWith(".parquet") && !name.startsWith(".") && !name.startsWith("_"),
          what + ": unexpected file " + name);
    }
    if (merged) {
      assertEquals(1, outputs.size(), what + ": one merged file");
      List<Map<String, Object>> expected = new ArrayList<>();
      for (Path source : sources) {
        expected.addAll(ParquetRows.read(source));
      }
      Rows.assertSameRows(
          Replayed.withTimestamps(expected, start), ParquetRows.read(outputs.get(0)), what);
      return;
    }
    assertEquals(sources.size(), outputs.size(), what + ": one file per source file");
    for (Path source : sources) {
      String uuid = source.getFileName().toString().replace(".parquet", "");
      List<Path> matches =
          outputs.stream().filter(p -> p.getFileName().toString().startsWith(uuid + "-")).toList();
      assertEquals(1, matches.size(), what + ": output of " + source.getFileName());
      Rows.assertSameRows(
          Replayed.withTimestamps(ParquetRows.read(source), start),
          ParquetRows.read(matches.get(0)),
          what + "/" + source.getFileName());
    }
  }

  /** The number of slice folders of the source, all topics. */
  public static int sourceSliceCount(Path source) throws IOException {
    int n = 0;
    for (String topic : TOPICS) {
      n += sourceSlices(source, topic).size();
    }
    return n;
  }
}
