package edu.dsc650.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import edu.dsc650.BadInputException;
import edu.dsc650.io.ResultsLayout;
import edu.dsc650.io.Storage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rules of a query's checkpoint, on a folder on disk, without Spark: whose it is, which replay
 * run it follows, and the run it was drained at the end of. The expected messages and files are
 * written out by hand.
 */
class QueryCheckpointTest {
  @TempDir Path tmp;
  Storage storage;
  ResultsLayout layout;
  final StreamingQueryDef joined = new JoinedQuery(Duration.ofSeconds(1)); // holds rows: drained
  final StreamingQueryDef windowed = new WindowedQuery();

  @BeforeEach
  void setUp() throws Exception {
    storage = Storage.forLocation(tmp.toString());
    layout = new ResultsLayout(new org.apache.hadoop.fs.Path(tmp.toUri()));
  }

  private Path folder(String query) {
    return tmp.resolve("checkpoints").resolve(query);
  }

  @Test
  void aNewCheckpointIsClaimedAndFollowsTheRun() throws Exception {
    QueryCheckpoint checkpoint = QueryCheckpoint.read(storage, layout, joined);
    assertNull(checkpoint.whyNotFor("R1"));
    assertNull(checkpoint.whyNotFor(null), "no replay yet: nothing to refuse");
    checkpoint.claim();
    checkpoint.follow("R1");
    assertEquals("joined", Files.readString(folder("joined").resolve("_dsc650_query")).strip());
    assertEquals("R1", Files.readString(folder("joined").resolve("_dsc650_run")).strip());
    assertNull(QueryCheckpoint.read(storage, layout, joined).whyNotFor("R1"), "read back");
  }

  @Test
  void anotherQuerysCheckpointIsRefused() throws Exception {
    Files.createDirectories(folder("joined"));
    Files.writeString(folder("joined").resolve("_dsc650_query"), "windowed\n");
    BadInputException e =
        assertThrows(BadInputException.class, () -> QueryCheckpoint.read(storage, layout, joined));
    assertEquals(
        "checkpoint "
            + layout.checkpoint("joined")
            + " belongs to query 'windowed', not 'joined'; use --fresh to start this query over,"
            + " or another --results folder",
        e.getMessage());
  }

  @Test
  void aFolderNotWrittenByRunQueryIsRefused() throws Exception {
    Files.createDirectories(folder("joined").resolve("offsets"));
    BadInputException e =
        assertThrows(BadInputException.class, () -> QueryCheckpoint.read(storage, layout, joined));
    assertTrue(e.getMessage().contains("was not written by run-query joined"), e.getMessage());
  }

  @Test
  void anEmptyFolderMayBeClaimed() throws Exception {
    Files.createDirectories(folder("joined"));
    QueryCheckpoint.read(storage, layout, joined).claim();
    assertTrue(Files.exists(folder("joined").resolve("_dsc650_query")));
  }

  /** A run killed between making the folder and renaming its owner marker into place. */
  @Test
  void aFolderHoldingOnlyAnUnfinishedOwnerMarkerMayBeClaimed() throws Exception {
    Files.createDirectories(folder("joined"));
    Files.writeString(folder("joined").resolve("._dsc650_query.tmp"), "join");
    QueryCheckpoint.read(storage, layout, joined).claim();
    assertEquals("joined", Files.readString(folder("joined").resolve("_dsc650_query")).strip());
  }

  @Test
  void aFileInsteadOfAFolderIsRefused() throws Exception {
    Files.createDirectories(tmp.resolve("checkpoints"));
    Files.writeString(folder("joined"), "x");
    BadInputException e =
        assertThrows(BadInputException.class, () -> QueryCheckpoint.read(storage, layout, joined));
    assertEquals(
        "checkpoint " + layout.checkpoint("joined") + " is a file, not a folder", e.getMessage());
  }

  @Test
  void aCheckpointOfAnotherRunCannotGoOnWithThisOne() throws Exception {
    QueryCheckpoint first = QueryCheckpoint.read(storage, layout, windowed);
    first.claim();
    first.follow("R1");
    QueryCheckpoint again = QueryCheckpoint.read(storage, layout, windowed);
    assertEquals(
        "query windowed's checkpoint holds replay run R1, and input now holds replay run R2:"
            + " its state and offsets are run R1's",
        again.whyNotFor("R2"));
    assertEquals(
        "query windowed's checkpoint holds replay run R1, and there is no replay.json (no run to"
            + " follow): its state and offsets are run R1's",
        again.whyNotFor(null));
    IllegalStateException replaced =
        assertThrows(IllegalStateException.class, () -> again.follow("R2"));
    assertTrue(
        replaced.getMessage().endsWith("run the command again with --fresh"),
        replaced.getMessage());
    assertEquals("R1", Files.readString(folder("windowed").resolve("_dsc650_run")).strip(), "kept");
  }

  @Test
  void aDrainedCheckpointCannotGoOnWithAnotherRun() throws Exception {
    QueryCheckpoint checkpoint = QueryCheckpoint.read(storage, layout, joined);
    checkpoint.claim();
    checkpoint.follow("R1");
    checkpoint.markDrained("R1");
    assertNull(checkpoint.drainedElsewhere("R1"), "drained for the run it follows");
    QueryCheckpoint again = QueryCheckpoint.read(storage, layout, joined);
    assertEquals("R1", again.drainedRun());
    assertEquals(
        "query joined was drained at the end of replay run R1, and input now holds run R2: its"
            + " watermark is past any new data",
        again.whyNotFor("R2"),
        "the drain is named before the run: it is what --fresh undoes");
  }

  @Test
  void aQueryThatHoldsNothingIgnoresADrainMarker() throws Exception {
    // windowed in update mode emits every batch: never drained, so a stray marker means nothing
    Files.createDirectories(folder("windowed"));
    Files.writeString(folder("windowed").resolve("_dsc650_query"), "windowed");
    Files.writeString(folder("windowed").resolve("_dsc650_drained"), "R0");
    assertNull(QueryCheckpoint.read(storage, layout, windowed).whyNotFor(null));
  }

  @Test
  void freshIgnoresWhatIsThere() throws Exception {
    Files.createDirectories(folder("joined"));
    Files.writeString(folder("joined").resolve("_dsc650_query"), "windowed");
    QueryCheckpoint fresh = QueryCheckpoint.fresh(storage, layout, joined);
    assertNull(fresh.whyNotFor("R9"), "--fresh deletes the folder before the claim");
  }
}
