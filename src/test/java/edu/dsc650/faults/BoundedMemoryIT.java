package edu.dsc650.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import edu.dsc650.io.ReplayManifest;
import edu.dsc650.testing.JarProcess;
import edu.dsc650.testing.PublishedSlices;
import edu.dsc650.testing.Replayed;
import edu.dsc650.testing.SinkLogs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a replay holds in memory does not grow with the data: eight laps of the bundled data (1.6 M
 * rows) replayed in a 64 MiB heap, as a separate JVM (the way a user runs it).
 */
@Order(3) // in the side-by-side execution: see pom.xml
class BoundedMemoryIT {
  static final int LAPS = 8;

  @TempDir Path tmp;

  @Test
  void eightLapsOfTheBundledDataFitInA64MiBHeap() throws Exception {
    Path source = Path.of("data/processed/bdd").toAbsolutePath();
    Path results = tmp.resolve("results");
    try (JarProcess replay =
        JarProcess.startWithJvmFlags(
            tmp.resolve("replay.log"),
            List.of("-Xmx64m"),
            "stream-data",
            "--max-speed",
            "--loop",
            Integer.toString(LAPS),
            "--results",
            results.toString())) {
      assertEquals(0, replay.waitFor(Duration.ofMinutes(5)), replay.output());
    }
    ReplayManifest manifest = Replayed.manifest(results);
    int perLap = PublishedSlices.sourceSliceCount(source);
    assertEquals(ReplayManifest.Status.COMPLETED, manifest.status());
    assertEquals(LAPS * perLap, manifest.publishedSlices());
    // every lap's folders are there: lap 0's and the shifted ones
    for (String topic : PublishedSlices.TOPICS) {
      long folders;
      try (var list = Files.list(results.resolve("input").resolve(topic))) {
        folders = list.filter(p -> p.getFileName().toString().startsWith("t=")).count();
      }
      long perLapOfTopic;
      try (var list = Files.list(source.resolve(topic))) {
        perLapOfTopic = list.count();
      }
      assertEquals(LAPS * perLapOfTopic, folders, topic);

      // a run with an end keeps every file in its log, so a query started after it reads them all;
      // of the log's own files, the two latest compactions and the batches after them
      TreeMap<Long, List<Path>> batches = SinkLogs.batches(results.resolve("input").resolve(topic));
      assertEquals(
          LAPS * perLapOfTopic - 1,
          batches.lastKey(),
          topic + ": one log batch per published slice, numbered from 0");
      assertTrue(
          batches.size() <= 21
              && batches.keySet().stream().filter(b -> (b + 1) % 10 == 0).count() <= 2,
          topic
              + ": two compactions and the batches after them, not every one: "
              + batches.keySet());
      assertEquals(
          LAPS * perLapOfTopic,
          SinkLogs.allFiles(results.resolve("input").resolve(topic)).stream()
              .map(Path::getParent)
              .distinct()
              .count(),
          topic + ": the log names every lap's slices");
    }
  }
}
