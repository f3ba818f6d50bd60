package edu.dsc650.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.UUID;
import org.apache.spark.sql.streaming.SinkProgress;
import org.apache.spark.sql.streaming.SourceProgress;
import org.apache.spark.sql.streaming.StateOperatorProgress;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.junit.jupiter.api.Test;

class BatchProgressLineTest {
  private static StreamingQueryProgress batch(long rows, String start, String end) {
    SourceProgress source =
        new SourceProgress("FileStreamSource[input]", start, end, end, rows, 0, 0, Map.of());
    return new StreamingQueryProgress(
        UUID.randomUUID(),
        UUID.randomUUID(),
        "joined",
        "2026-03-01T10:00:00.000Z",
        3,
        1200,
        Map.of(),
        Map.of(),
        new StateOperatorProgress[0],
        new SourceProgress[] {source},
        new SinkProgress("sink"),
        Map.of());
  }

  @Test
  void aBatchThatReadNewFilesButWasCountedZeroSaysSoInsteadOfZeroRows() {
    assertEquals(
        "1,234 rows",
        BatchProgressLine.rows(batch(1234, "{\"logOffset\":1}", "{\"logOffset\":2}")));
    assertEquals(
        "new input (rows not counted by Spark)",
        BatchProgressLine.rows(batch(0, "{\"logOffset\":1}", "{\"logOffset\":2}")));
    assertEquals(
        "new input (rows not counted by Spark)",
        BatchProgressLine.rows(batch(0, null, "{\"logOffset\":0}")));
    // a batch without new files (it moves the watermark only)
    assertEquals(
        "0 rows", BatchProgressLine.rows(batch(0, "{\"logOffset\":2}", "{\"logOffset\":2}")));
  }
}
