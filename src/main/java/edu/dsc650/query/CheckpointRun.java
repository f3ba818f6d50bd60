package edu.dsc650.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import edu.dsc650.io.HadoopFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The replay run a query's checkpoint belongs to. Its offsets, state and watermark are of the rows
 * of one run: the files of that run, or the Kafka topics that run created. A new run replays the
 * same rides over overlapping event times, so a checkpoint going on with it would mix the two runs
 * (or drop the new run's rows as late). run-query writes the run into {@code _dsc650_run} and
 * refuses to go on with another.
 */
final class CheckpointRun {
  static final String MARKER = "_dsc650_run";
  private static final ObjectMapper JSON = new ObjectMapper();

  private CheckpointRun() {}

  /** The run {@code checkpoint} belongs to, or null if none is recorded. */
  static String read(FileSystem fs, Path checkpoint) throws IOException {
    Path marker = new Path(checkpoint, MARKER);
    return fs.exists(marker) ? HadoopFiles.readString(fs, marker) : null;
  }

  static void write(FileSystem fs, Path checkpoint, String runId) throws IOException {
    HadoopFiles.mkdirs(fs, checkpoint);
    HadoopFiles.writeString(fs, new Path(checkpoint, MARKER), runId);
  }

  /**
   * The files under {@code input} that the file sources of the checkpoint tree have read and that
   * are not of run {@code runId} (stream-data names every file {@code <name>-<run>.parquet}): at
   * most {@code limit} of them. Read from Spark's file-source logs ({@code sources/<n>/<batch>}, a
   * {@code v1} line, then one JSON object per file).
   */
  static List<String> foreignInputFiles(
      FileSystem fs, Path checkpoint, Path input, String runId, int limit) throws IOException {
    List<String> foreign = new ArrayList<>();
    if (!fs.exists(checkpoint)) {
      return foreign;
    }
    String inputPath = fs.makeQualified(input).toUri().getPath();
    String suffix = "-" + runId + ".parquet";
    List<Path> logs = new ArrayList<>();
    sourceLogs(fs, checkpoint, logs);
    for (Path log : logs) {
      for (FileStatus batch : fs.listStatus(log)) {
        if (batch.getPath().getName().startsWith(".") || batch.isDirectory()) {
          continue;
        }
        try (BufferedReader in =
            new BufferedReader(
                new InputStreamReader(fs.open(batch.getPath()), StandardCharsets.UTF_8))) {
          for (String line = in.readLine();
              line != null && foreign.size() < limit;
              line = in.readLine()) {
            if (!line.startsWith("{")) {
              continue; // the version line
            }
            JsonNode path = JSON.readTree(line).get("path");
            String file = path == null ? "" : new Path(path.asText()).toUri().getPath();
            if (file.startsWith(inputPath + "/") && !file.endsWith(suffix)) {
              foreign.add(file);
            }
          }
        }
      }
    }
    return foreign;
  }

  /** Every {@code sources/<n>} folder below {@code dir}. */
  private static void sourceLogs(FileSystem fs, Path dir, List<Path> found) throws IOException {
    for (FileStatus s : fs.listStatus(dir)) {
      if (!s.isDirectory()) {
        continue;
      }
      if (s.getPath().getName().equals("sources")) {
        for (FileStatus source : fs.listStatus(s.getPath())) {
          if (source.isDirectory()) {
            found.add(source.getPath());
          }
        }
      } else if (!s.getPath().getName().equals("state")) {
        sourceLogs(fs, s.getPath(), found);
      }
    }
  }
}
