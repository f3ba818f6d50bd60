package edu.dsc650.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * The one line a failed query is reported with: the root cause, and the file if a wrapper names it.
 */
class QueryFailureTest {
  @Test
  void aWriteFailureGivesTheRootCauseAndTheFolderBeingWritten() {
    Exception e =
        new RuntimeException(
            "[STREAM_FAILED] Query [id = 1] terminated with exception: Job aborted\n  at x",
            new RuntimeException(
                "[TASK_WRITE_FAILED] Task failed while writing rows to /r/output/simple/locations.",
                new IOException("No space left on device")));
    assertEquals(
        "No space left on device (IOException) in /r/output/simple/locations",
        QueryFailure.describe(e));
  }

  @Test
  void aCauseThatNamesItsFileIsEnough() {
    Exception e =
        new RuntimeException(
            "Task failed while writing rows to /r/output/simple/locations.",
            new RuntimeException("file:/r/input/t=9/broken.parquet is not a Parquet file.\nmore"));
    assertEquals(
        "file:/r/input/t=9/broken.parquet is not a Parquet file. (RuntimeException)",
        QueryFailure.describe(e));
  }

  @Test
  void anExceptionWithoutCauseGivesItsFirstLine() {
    assertEquals("boom", QueryFailure.describe(new IllegalStateException("boom\n\tat somewhere")));
    assertEquals(
        "java.lang.IllegalStateException", QueryFailure.describe(new IllegalStateException()));
  }
}
