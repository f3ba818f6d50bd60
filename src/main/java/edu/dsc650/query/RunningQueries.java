package edu.dsc650.query;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.apache.spark.sql.streaming.StreamingQuery;

/**
 * The streaming queries of one run-query, by the query that started them; a failure stops them all.
 */
record RunningQueries(Map<StreamingQueryDef, List<StreamingQuery>> byDef) {

  List<StreamingQuery> all() {
    List<StreamingQuery> all = new ArrayList<>();
    byDef.values().forEach(all::addAll);
    return all;
  }

  void stopAll() throws TimeoutException {
    for (StreamingQuery q : all()) {
      q.stop();
    }
  }

  /** Stops every query and reports the failure of {@code q} as one line with its root cause. */
  IllegalStateException failed(StreamingQuery q, Throwable failure) throws TimeoutException {
    stopAll();
    return new IllegalStateException(
        "query " + q.name() + " failed: " + QueryFailure.describe(failure), failure);
  }

  /** Processes everything available to {@code q}; its failure stops every query. */
  void processAllAvailable(StreamingQuery q) throws TimeoutException {
    try {
      q.processAllAvailable();
    } catch (Exception e) { // a StreamingQueryException, undeclared (Scala)
      throw failed(q, e);
    }
  }
}
