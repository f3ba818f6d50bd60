package edu.dsc650.io;

import org.apache.hadoop.fs.Path;

/**
 * The one definition of the results folder ({@code results/stream} by default): stream-data writes
 * {@code staging}, {@code input}, {@code replay.json}, {@code replay-slices.jsonl} and the lock;
 * run-query writes {@code output}, {@code checkpoints}, {@code control} and {@code progress};
 * report writes {@code report}; report --serve writes requests into {@code steering}.
 */
public record ResultsLayout(Path root) {

  /** Work in progress of a replay; removed at its end. */
  public Path staging() {
    return new Path(root, "staging");
  }

  public Path staging(String topic) {
    return new Path(staging(), topic);
  }

  /** What the replay published: exactly the rewritten source slices (other tools read it too). */
  public Path input() {
    return new Path(root, "input");
  }

  public Path input(String topic) {
    return new Path(input(), topic);
  }

  /** {@code output}: one folder per query output. */
  public Path output() {
    return new Path(root, "output");
  }

  public Path output(String name) {
    return new Path(output(), name);
  }

  /** {@code checkpoints}: each query's checkpoint and lock. */
  public Path checkpoints() {
    return new Path(root, "checkpoints");
  }

  public Path checkpoint(String name) {
    return new Path(checkpoints(), name);
  }

  /** run-query's own end-of-stream markers, one folder per topic, read beside {@code input}. */
  public Path control() {
    return new Path(root, "control");
  }

  /**
   * {@code steering}: requests to pause, resume or change the speed of the running replay, a file
   * each, written by the live page's server and taken (deleted) by stream-data.
   */
  public Path steering() {
    return new Path(root, "steering");
  }

  /** {@code replay.json}: which run fed {@code input}, and how far it got. */
  public Path replayManifest() {
    return new Path(root, "replay.json");
  }

  /**
   * {@code replay-slices.jsonl}: one JSON line per published slice (due, published, files, rows).
   */
  public Path sliceRecords() {
    return new Path(root, "replay-slices.jsonl");
  }

  /**
   * run-query's {@code StreamingQueryProgress} of every micro-batch, JSON lines per query and
   * session.
   */
  public Path progress() {
    return new Path(root, "progress");
  }

  /**
   * {@code progress/run-query.json}: the timings of the last run-query, for scripts (benchmarks).
   */
  public Path runTimings() {
    return new Path(progress(), "run-query.json");
  }

  public Path progress(String query) {
    return new Path(progress(), query);
  }

  /**
   * {@code progress/<query>/latency}: each slice the query read, with its latency ({@link
   * SliceLatency}), JSON lines per streaming query and session.
   */
  public Path latency(String query) {
    return new Path(progress(query), "latency");
  }

  /** The default place of {@code report}'s page. */
  public Path reportPage() {
    return new Path(new Path(root, "report"), "index.html");
  }

  /**
   * {@code .dsc650-results}: says that stream-data made this folder, so that it may clear {@code
   * input} and {@code staging} in it (a folder with replay.json is one too).
   */
  public Path marker() {
    return new Path(root, ".dsc650-results");
  }

  /**
   * {@code checkpoints/<query>.lock}: held by the one run-query running that query on this folder.
   */
  public Path queryLock(String name) {
    return new Path(checkpoints(), name + ".lock");
  }

  /** {@code .replay.lock}: held by the one stream-data run of this folder. */
  public Path replayLock() {
    return new Path(root, ".replay.lock");
  }
}
