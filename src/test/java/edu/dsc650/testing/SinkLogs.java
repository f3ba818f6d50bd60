package edu.dsc650.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads a topic's {@code _spark_metadata} log by the rules Spark's file-sink log reader follows
 * (the latest {@code .compact} batch, then every batch after it), written here from Spark's
 * documented layout, independently of the code that writes the log.
 */
public final class SinkLogs {
  private static final Pattern PATH = Pattern.compile("\"path\":\"([^\"]+)\"");
  private static final Pattern ACTION = Pattern.compile("\"action\":\"([^\"]+)\"");

  private SinkLogs() {}

  /** The log's batches, by id: each the files it names, as local paths. */
  public static TreeMap<Long, List<Path>> batches(Path topicInput) throws IOException {
    TreeMap<Long, List<Path>> batches = new TreeMap<>();
    Path log = topicInput.resolve("_spark_metadata");
    try (Stream<Path> files = Files.list(log)) {
      for (Path f : files.toList()) {
        String name = f.getFileName().toString();
        if (name.startsWith(".")) {
          continue;
        }
        List<String> lines;
        try {
          lines = Files.readAllLines(f);
        } catch (java.nio.file.NoSuchFileException gone) {
          continue; // deleted since the listing: older than the previous compaction
        }
        assertEquals("v1", lines.get(0), f + ": version line");
        List<Path> paths = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
          Matcher p = PATH.matcher(line);
          Matcher a = ACTION.matcher(line);
          assertTrue(p.find() && a.find() && a.group(1).equals("add"), f + ": " + line);
          paths.add(Path.of(URI.create(p.group(1))));
        }
        long id = Long.parseLong(name.replace(".compact", ""));
        assertEquals(
            (id + 1) % 10 == 0,
            name.endsWith(".compact"),
            "every 10th batch is a compaction: " + name);
        batches.put(id, paths);
      }
    }
    return batches;
  }

  /**
   * Every file the log names, as a reader gets them: the latest compaction, then the batches after
   * it.
   */
  public static List<Path> allFiles(Path topicInput) throws IOException {
    // as Spark's reader does: a log that a compaction changed under the listing is listed again
    for (int attempt = 1; ; attempt++) {
      List<Path> all = allFilesOnce(topicInput);
      if (all != null || attempt == 10) {
        assertTrue(all != null, "a batch of " + topicInput + " is missing");
        return all;
      }
    }
  }

  /** {@link #allFiles}, or null if a batch it needs was deleted while it read. */
  private static List<Path> allFilesOnce(Path topicInput) throws IOException {
    TreeMap<Long, List<Path>> batches = batches(topicInput);
    if (batches.isEmpty()) {
      return List.of();
    }
    long latest = batches.lastKey();
    long from = Math.max(0, (latest + 1) / 10 * 10 - 1);
    List<Path> all = new ArrayList<>();
    for (long id = from; id <= latest; id++) {
      if (!batches.containsKey(id)) {
        return null;
      }
      all.addAll(batches.get(id));
    }
    return all;
  }
}
