package edu.dsc650.query;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** What {@code <results>/replay.json} says about the replay feeding {@code input}. */
public record ReplayState(String runId, boolean completed) {
  private static final Pattern RUN_ID = Pattern.compile("\"run_id\"\\s*:\\s*\"([^\"]*)\"");
  private static final Pattern COMPLETED = Pattern.compile("\"completed\"\\s*:\\s*(true|false)");

  /** The state, or null if there is no replay.json (yet). */
  public static ReplayState read(Path manifest, Configuration conf) throws IOException {
    FileSystem fs = manifest.getFileSystem(conf);
    if (!fs.exists(manifest)) {
      return null;
    }
    String json;
    try (InputStream in = fs.open(manifest)) {
      json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    return parse(json);
  }

  static ReplayState parse(String json) {
    Matcher id = RUN_ID.matcher(json);
    Matcher done = COMPLETED.matcher(json);
    return new ReplayState(id.find() ? id.group(1) : "", done.find() && done.group(1).equals("true"));
  }
}
