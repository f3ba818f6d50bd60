package edu.dsc650.report.live;

import static org.junit.jupiter.api.Assertions.assertEquals;

import edu.dsc650.io.Storage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file sink's files per micro-batch, from log files written here in Spark's format. */
class SinkBatchFilesTest {
  @TempDir Path tmp;

  @Test
  void aBatchHasTheFilesOfItsOwnLogFileAndACompactionTheOnesNotSeenBefore() throws Exception {
    Path out = tmp.resolve("out");
    Path log = Files.createDirectories(out.resolve("_spark_metadata"));
    // Spark's layout: "v1", then a line per file, the last one without a newline
    Files.writeString(log.resolve("0"), "v1\n" + entry(out, "a") + "\n" + entry(out, "b"));
    Files.writeString(log.resolve("1"), "v1\n" + entry(out, "c"));
    Files.writeString(
        log.resolve("2.compact"),
        "v1\n"
            + entry(out, "a")
            + "\n"
            + entry(out, "b")
            + "\n"
            + entry(out, "c")
            + "\n"
            + entry(out, "d"));
    SinkBatchFiles files =
        new SinkBatchFiles(
            Storage.forLocation(out.toString()), new org.apache.hadoop.fs.Path(out.toUri()));
    assertEquals(List.of("a", "b"), names(files.files(0)));
    assertEquals(List.of("c"), names(files.files(1)));
    assertEquals(List.of("d"), names(files.files(2)), "only what the compaction adds");
    assertEquals(List.of(), names(files.files(3)), "not written yet");
  }

  private static String entry(Path out, String name) {
    return "{\"path\":\""
        + out.resolve(name).toUri()
        + "\",\"size\":1,\"isDir\":false,\"modificationTime\":1,\"blockReplication\":1,"
        + "\"blockSize\":1,\"action\":\"add\"}";
  }

  private static List<String> names(List<org.apache.hadoop.fs.Path> paths) {
    return paths.stream().map(org.apache.hadoop.fs.Path::getName).toList();
  }
}
