package edu.dsc650.query.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.apache.spark.sql.execution.streaming.Offset;
import org.apache.spark.sql.execution.streaming.SerializedOffset;

/**
 * How far a {@link PublishedSource} has read: the last batch of its topic's publish log, and the
 * replay run that wrote it. Spark keeps it in the checkpoint's offset log as JSON.
 */
public final class PublishedOffset extends Offset {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String run;
  private final String topic;
  private final long batch;
  private final long first;

  /**
   * @param topic the topic, for readers of the checkpoint (the report, scripts/batch-latency.py)
   */
  PublishedOffset(String run, String topic, long batch) {
    this(run, topic, batch, -1);
  }

  /**
   * @param first where a query's first micro-batch starts: the oldest batch the log held when this
   *     offset was planned (-1: not known, an offset of an older version)
   */
  PublishedOffset(String run, String topic, long batch, long first) {
    this.run = run;
    this.topic = topic;
    this.batch = batch;
    this.first = first;
  }

  /**
   * The first batch a query's first micro-batch reads, as planned: a re-run after a restart reads
   * the same batches, or fails naming the one that is gone.
   */
  public java.util.OptionalLong first() {
    return first < 0 ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(first);
  }

  public String run() {
    return run;
  }

  public long batch() {
    return batch;
  }

  @Override
  public String json() {
    var node = JSON.createObjectNode().put("run", run).put("topic", topic).put("batch", batch);
    if (first >= 0) {
      node.put("first", first);
    }
    return node.toString();
  }

  /**
   * An offset as Spark hands it back: this class, or its JSON from the checkpoint after a restart.
   */
  static PublishedOffset of(org.apache.spark.sql.connector.read.streaming.Offset offset) {
    if (offset instanceof PublishedOffset p) {
      return p;
    }
    String json = offset instanceof SerializedOffset s ? s.json() : offset.json();
    return parse(json);
  }

  /** The offset in {@code json} if it is one of this source's and names its topic, else null. */
  public static PublishedOffset ofTopicOrNull(String json) {
    try {
      JsonNode node = json == null ? null : JSON.readTree(json);
      if (node != null && node.has("run") && node.has("batch") && node.has("topic")) {
        return parse(json);
      }
    } catch (IOException e) {
      // not JSON: not this source's
    }
    return null;
  }

  /** The topic whose publish log it is in. */
  public String topic() {
    return topic;
  }

  /**
   * The offset in {@code json}; one of another source (an older checkpoint) is refused with a way
   * out.
   */
  public static PublishedOffset parse(String json) {
    try {
      JsonNode node = JSON.readTree(json);
      if (node != null && node.has("run") && node.has("batch")) {
        return new PublishedOffset(
            node.get("run").asText(),
            node.path("topic").asText(""),
            node.get("batch").asLong(),
            node.path("first").asLong(-1));
      }
    } catch (IOException e) {
      // not JSON of this source: below
    }
    throw new IllegalStateException(
        "the checkpoint holds an offset of another source ("
            + json
            + "), written by an earlier version of run-query; run it again with --fresh");
  }
}
