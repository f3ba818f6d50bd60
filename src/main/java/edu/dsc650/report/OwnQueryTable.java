package edu.dsc650.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A --sql query's output: its columns, how many rows it holds, and its latest rows (of the highest
 * batch_id, for update and complete), at most {@link #OWN_ROWS}.
 *
 * @param latestBatch true if the rows shown are those of the highest batch_id
 */
record OwnQueryTable(
    List<String> columns,
    long total,
    @JsonProperty("latest_batch") boolean latestBatch,
    List<List<String>> rows) {
  /** Rows of each --sql query's output shown on the page, at most. */
  static final int OWN_ROWS = 20;

  static OwnQueryTable of(Dataset<Row> rows) {
    boolean batches = Arrays.asList(rows.columns()).contains("batch_id");
    Dataset<Row> latest =
        batches
            ? rows.where(col("batch_id").equalTo(rows.agg(max("batch_id")).first().get(0)))
            : rows;
    List<List<String>> shown = new ArrayList<>();
    for (Row r : latest.limit(OWN_ROWS).collectAsList()) {
      List<String> cells = new ArrayList<>();
      for (int i = 0; i < r.size(); i++) {
        cells.add(r.isNullAt(i) ? null : String.valueOf(r.get(i)));
      }
      shown.add(cells);
    }
    return new OwnQueryTable(List.of(latest.columns()), rows.count(), batches, shown);
  }
}
