package edu.dsc650.report.live;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * What the live page's viewers are sent: the recent updates, numbered, for the viewers that are
 * following, and a bounded snapshot of everything so far for a viewer that connects (or falls
 * behind). Bounded so that an endless run's page stays as light after hours as after minutes.
 */
final class LiveHistory {
  /** An update and its number. */
  record Numbered(long seq, LiveUpdate update) {}

  private final int keepUpdates;
  private final int keepRows;
  private final Deque<Numbered> recent = new ArrayDeque<>();
  private final Deque<LiveUpdate.Slice> slices = new ArrayDeque<>();
  private final Deque<LiveUpdate.Batch> batches = new ArrayDeque<>();
  private final Deque<LiveUpdate.Latency> latencies = new ArrayDeque<>();
  private final Deque<LiveUpdate.Window> windows = new ArrayDeque<>();
  private final Deque<LiveUpdate.JoinBatch> joins = new ArrayDeque<>();

  /** Per --sql query, the rows of its latest micro-batch that wrote some: all the page shows. */
  private final java.util.Map<String, LiveUpdate.QueryRows> rows = new java.util.LinkedHashMap<>();

  private JsonNode replay;
  private String report;
  private long seq;
  private boolean closed;

  /**
   * @param keepUpdates how many recent updates a following viewer may be behind by
   * @param keepRows how many of the latest slices, batches and latencies a snapshot holds, each
   */
  LiveHistory(int keepUpdates, int keepRows) {
    this.keepUpdates = keepUpdates;
    this.keepRows = keepRows;
  }

  synchronized void add(LiveUpdate update) {
    recent.addLast(new Numbered(++seq, update));
    if (recent.size() > keepUpdates) {
      recent.removeFirst();
    }
    if (update.replay() != null) {
      replay = update.replay();
    }
    keep(slices, update.slices());
    keep(batches, update.batches());
    keep(latencies, update.latencies());
    keep(windows, update.windows());
    keep(joins, update.joins());
    update.rows().forEach(r -> rows.put(r.query(), r));
    if (update.report() != null) {
      report = update.report();
    }
    notifyAll();
  }

  private <T> void keep(Deque<T> kept, List<T> added) {
    for (T t : added) {
      kept.addLast(t);
      if (kept.size() > keepRows) {
        kept.removeFirst();
      }
    }
  }

  /** Everything kept, as one update, with the number of the last update it holds. */
  synchronized Numbered snapshot() {
    return new Numbered(
        seq,
        new LiveUpdate(
            replay,
            new ArrayList<>(slices),
            new ArrayList<>(batches),
            new ArrayList<>(latencies),
            new ArrayList<>(windows),
            new ArrayList<>(joins),
            new ArrayList<>(rows.values()),
            report));
  }

  /**
   * The updates after number {@code after}, waiting up to {@code waitMs} for one: empty if none
   * came (or the history was closed), null if some were already let go (the viewer needs a new
   * snapshot).
   */
  synchronized List<Numbered> after(long after, long waitMs) throws InterruptedException {
    long deadline = System.currentTimeMillis() + waitMs;
    while (seq <= after && !closed) {
      long left = deadline - System.currentTimeMillis();
      if (left <= 0) {
        return List.of();
      }
      wait(left);
    }
    if (!recent.isEmpty() && recent.peekFirst().seq() > after + 1) {
      return null;
    }
    List<Numbered> next = new ArrayList<>();
    for (Numbered n : recent) {
      if (n.seq() > after) {
        next.add(n);
      }
    }
    return next;
  }

  synchronized boolean closed() {
    return closed;
  }

  /** Wakes every waiting viewer, for good. */
  synchronized void close() {
    closed = true;
    notifyAll();
  }
}
