package edu.dsc650.query;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import edu.dsc650.io.ResultsLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The control folder is shared by every query: each run clears only what its own query left. */
class EndOfStreamMarkersTest {
  @RegisterExtension static final LocalSpark SPARK = new LocalSpark();

  @TempDir Path tmp;

  @Test
  void preparingAQueryLeavesAnotherQuerysMarkerMidWrite() throws Exception {
    ResultsLayout layout = new ResultsLayout(new org.apache.hadoop.fs.Path(tmp.toUri()));
    Path control = tmp.resolve("control");
    // "joined-2" begins with "joined-": a prefix match would take it for joined's
    Path others = Files.createDirectories(control.resolve("_writing-joined-2.abc"));
    Path othersByName =
        Files.createDirectories(Path.of(EndOfStream.writing(layout, "windowed", "def").toUri()));
    Path own =
        Files.createDirectories(Path.of(EndOfStream.writing(layout, "joined", "ghi").toUri()));
    EndOfStream.prepare(SPARK.session(), layout, "joined", List.of(Topics.LOCATIONS), "run-a");
    assertFalse(Files.exists(own), "what a killed run of joined left is removed");
    assertTrue(Files.exists(others), "joined-2's marker, being written, is kept");
    assertTrue(Files.exists(othersByName), "windowed's marker, being written, is kept");
  }
}
