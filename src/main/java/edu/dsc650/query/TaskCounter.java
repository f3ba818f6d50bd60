package edu.dsc650.query;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.apache.spark.Success$;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * Counts the tasks that finished, per executor and its host: the end-of-run line that shows where
 * the work ran ("driver" in local mode, numbered executors on a cluster's workers).
 */
public final class TaskCounter extends SparkListener {
  private final Map<String, LongAdder> perExecutor = new ConcurrentHashMap<>();

  @Override
  public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
    if (taskEnd.reason() == Success$.MODULE$) {
      String executor = taskEnd.taskInfo().executorId() + "@" + taskEnd.taskInfo().host();
      perExecutor.computeIfAbsent(executor, e -> new LongAdder()).increment();
    }
  }

  /** e.g. "1,204 tasks ran on executor(s) 0@127.0.0.1 (602), 1@127.0.0.1 (602)". */
  /** Tasks that finished, on every executor. */
  public long total() {
    return perExecutor.values().stream().mapToLong(n -> n.sum()).sum();
  }

  public String summary() {
    Map<String, Long> sorted = new TreeMap<>();
    perExecutor.forEach((e, n) -> sorted.put(e, n.sum()));
    long total = sorted.values().stream().mapToLong(Long::longValue).sum();
    StringBuilder b =
        new StringBuilder(String.format(Locale.ROOT, "%,d tasks ran on executor(s) ", total));
    String separator = "";
    for (Map.Entry<String, Long> e : sorted.entrySet()) {
      b.append(separator)
          .append(e.getKey())
          .append(String.format(Locale.ROOT, " (%,d)", e.getValue()));
      separator = ", ";
    }
    return sorted.isEmpty() ? "no tasks ran" : b.toString();
  }
}
