package edu.dsc650.report.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import edu.dsc650.io.Storage;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.fs.Path;

/**
 * The files a Spark file sink wrote in one micro-batch, from its log ({@code _spark_metadata}): the
 * batch's own log file, or, for every tenth batch, its compaction ({@code <n>.compact}), which
 * names every file so far: then the batch's files are those not seen before. Asked batch by batch,
 * in order.
 */
final class SinkBatchFiles {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Storage storage;
  private final Path output;
  private Set<String> seen = new HashSet<>();

  /**
   * @param output the sink's folder (its log is {@code _spark_metadata} in it)
   */
  SinkBatchFiles(Storage storage, Path output) {
    this.storage = storage;
    this.output = output;
  }

  /** Batch {@code batch}'s files; none if its log entry is not there (yet, or any more). */
  List<Path> files(long batch) throws IOException {
    Path log = new Path(output, "_spark_metadata");
    Path own = new Path(log, Long.toString(batch));
    Path compact = new Path(log, batch + ".compact");
    List<Path> files = new ArrayList<>();
    if (storage.exists(own)) {
      for (String path : added(own)) {
        seen.add(path);
        files.add(new Path(URI.create(path)));
      }
    } else if (storage.exists(compact)) {
      List<String> all = added(compact);
      for (String path : all) {
        if (!seen.contains(path)) {
          files.add(new Path(URI.create(path)));
        }
      }
      seen = new HashSet<>(all);
    }
    return files;
  }

  /** The paths a log file adds: its first line is the version ("v1"), each other one a file. */
  private List<String> added(Path logFile) throws IOException {
    List<String> paths = new ArrayList<>();
    // Spark writes "v1" and each entry on a line of its own, the last without a newline; a log
    // file is renamed into place whole
    String text = new String(storage.readAll(logFile), java.nio.charset.StandardCharsets.UTF_8);
    for (String line : text.split("\n")) {
      if (line.startsWith("{")) {
        JsonNode entry = JSON.readTree(line);
        if ("add".equals(entry.path("action").asText())) {
          paths.add(entry.path("path").asText());
        }
      }
    }
    return paths;
  }
}
