package edu.dsc650.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replay's publish log: written through Storage, read through Hadoop's FileSystem as Spark's
 * driver does.
 */
class PublishLogTest {
  @TempDir Path tmp;

  @Test
  void batchesAreNumberedFromZeroNameTheirRunAndFilesAndAGoneOneIsNamed() throws Exception {
    org.apache.hadoop.fs.Path topic =
        new org.apache.hadoop.fs.Path(tmp.resolve("input/locations").toUri());
    FileSystem fs = FileSystem.getLocal(new Configuration());
    assertEquals(OptionalLong.empty(), PublishLog.latest(fs, topic), "no log yet");

    PublishLog log = PublishLog.create(new LocalStorage(), topic, "run-a");
    assertEquals(OptionalLong.empty(), PublishLog.latest(fs, topic), "an empty log");
    org.apache.hadoop.fs.Path a = new org.apache.hadoop.fs.Path(topic, "t=0/a.parquet");
    org.apache.hadoop.fs.Path b = new org.apache.hadoop.fs.Path(topic, "t=1/b.parquet");
    assertEquals(0, log.append(List.of(a)));
    assertEquals(1, log.append(List.of()));
    assertEquals(2, log.append(List.of(b, a)));
    assertEquals(OptionalLong.of(2), PublishLog.latest(fs, topic));
    assertEquals(OptionalLong.of(0), PublishLog.oldest(fs, topic));
    assertEquals(
        new PublishLog.Batch("run-a", List.of(b.toUri().toString(), a.toUri().toString())),
        PublishLog.read(fs, topic, 2));
    assertEquals(List.of(), PublishLog.read(fs, topic, 1).files());
    try (var files = Files.list(tmp.resolve("input/locations/" + PublishLog.FOLDER))) {
      assertTrue(
          files.noneMatch(f -> f.getFileName().toString().startsWith(".")),
          "no temporary file left");
    }

    log.deleteThrough(1);
    assertEquals(OptionalLong.of(2), PublishLog.oldest(fs, topic));
    FileNotFoundException gone =
        assertThrows(FileNotFoundException.class, () -> PublishLog.read(fs, topic, 1));
    assertTrue(gone.getMessage().contains(PublishLog.FOLDER + "/1 is gone"), gone.getMessage());
  }
}
