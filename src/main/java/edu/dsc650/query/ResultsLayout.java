package edu.dsc650.query;

import org.apache.hadoop.fs.Path;

/** Where the queries read and write under one results root ({@code results/stream} by default). */
public record ResultsLayout(Path root) {

  public Path input(String topic) {
    return new Path(new Path(root, "input"), topic);
  }

  public Path output(String name) {
    return new Path(new Path(root, "output"), name);
  }

  public Path checkpoint(String name) {
    return new Path(new Path(root, "checkpoints"), name);
  }

  public Path replayManifest() {
    return new Path(root, "replay.json");
  }
}
