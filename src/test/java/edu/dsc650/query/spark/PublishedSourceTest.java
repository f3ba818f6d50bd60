package edu.dsc650.query.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import edu.dsc650.io.LocalStorage;
import edu.dsc650.io.PublishLog;
import edu.dsc650.query.LocalSpark;
import edu.dsc650.query.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import org.apache.spark.sql.execution.streaming.Offset;
import org.apache.spark.sql.execution.streaming.SerializedOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import scala.Option;

/**
 * The source over the replay's publish log: which files a micro-batch reads, and which it refuses
 * to read (another run's, or fewer than its first attempt planned). The logs are written by hand,
 * the expected files named by hand.
 */
class PublishedSourceTest {
  @RegisterExtension static final LocalSpark SPARK = new LocalSpark();

  @TempDir Path tmp;

  private org.apache.hadoop.fs.Path topic() {
    return new org.apache.hadoop.fs.Path(tmp.resolve("input/locations").toUri());
  }

  private PublishedSource source() {
    return new PublishedSource(SPARK.session(), topic(), Topics.LOCATIONS_SCHEMA, "parquet");
  }

  /** A log of {@code run} in a cleared topic folder, with one (empty) file per batch. */
  private PublishLog log(String run, int batches) throws Exception {
    Path dir = tmp.resolve("input/locations");
    if (Files.exists(dir)) {
      try (var walk = Files.walk(dir)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    PublishLog log = PublishLog.create(new LocalStorage(), topic(), run);
    for (int b = 0; b < batches; b++) {
      append(log, run, b);
    }
    return log;
  }

  private void append(PublishLog log, String run, int b) throws Exception {
    Path file = tmp.resolve("input/locations/t=" + b + "/" + run + "-" + b + ".parquet");
    Files.createDirectories(file.getParent());
    Files.createFile(file);
    log.append(List.of(new org.apache.hadoop.fs.Path(file.toUri())));
  }

  private static TreeSet<String> read(PublishedSource source, Offset start, Offset end) {
    TreeSet<String> names = new TreeSet<>();
    var plan = source.getBatch(Option.apply(start), end).queryExecution().analyzed();
    var relation =
        (org.apache.spark.sql.execution.datasources.HadoopFsRelation)
            ((org.apache.spark.sql.execution.datasources.LogicalRelation) plan).relation();
    for (String f : relation.location().inputFiles()) {
      names.add(f.substring(f.lastIndexOf('/') + 1));
    }
    return names;
  }

  @Test
  void aBatchReadsThePublishedBatchesSinceTheLastOne() throws Exception {
    log("run-a", 4);
    PublishedSource source = source();
    Offset end = source.getOffset().get();
    assertEquals(
        new TreeSet<>(List.of("run-a-2.parquet", "run-a-3.parquet")),
        read(source, new PublishedOffset("run-a", "locations", 1), end));
  }

  /** A new replay cleared input and published its own batches: its rows are not this run's. */
  @Test
  void aBatchOfAnotherRunAfterTheLastOneFailsNamingBothRuns() throws Exception {
    log("run-b", 3);
    PublishedSource source = source();
    Offset end = source.getOffset().get();
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> source.getBatch(Option.apply(new PublishedOffset("run-a", "locations", 1)), end));
    assertTrue(
        e.getMessage().contains("run-a") && e.getMessage().contains("run-b"), e.getMessage());
  }

  /** The offset was planned on run A's log, which a new run replaced before the batch ran. */
  @Test
  void aBatchWhoseLogWasReplacedSinceItsOffsetFailsNamingBothRuns() throws Exception {
    PublishLog a = log("run-a", 2);
    PublishedSource source = source();
    Offset start = source.getOffset().get(); // run-a, batch 1
    append(a, "run-a", 2);
    append(a, "run-a", 3);
    Offset end = source.getOffset().get(); // run-a, batch 3
    log("run-b", 4); // a new replay, as fast as --max-speed
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> source.getBatch(Option.apply(start), end));
    assertTrue(
        e.getMessage().contains("run-a") && e.getMessage().contains("run-b"), e.getMessage());
  }

  /** A file the log names was deleted (by hand, or a disk cleaner): the batch fails, naming it. */
  @Test
  void aBatchWhoseFileIsGoneFailsInsteadOfReadingLess() throws Exception {
    log("run-a", 3);
    Files.delete(tmp.resolve("input/locations/t=2/run-a-2.parquet"));
    PublishedSource source = source();
    Offset end = source.getOffset().get();
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> source.getBatch(Option.apply(new PublishedOffset("run-a", "locations", 0)), end));
    assertTrue(e.getMessage().contains("1 of the 2 files"), e.getMessage());
  }

  @Test
  void aFirstBatchReadsFromTheOldestBatchItsOffsetFound() throws Exception {
    log("run-a", 3);
    PublishedSource source = source();
    Offset end = source.getOffset().get();
    assertEquals(
        new TreeSet<>(List.of("run-a-0.parquet", "run-a-1.parquet", "run-a-2.parquet")),
        read(source, null, end));
  }

  /**
   * Killed during its first batch, the query re-runs it from the checkpoint's offset after the
   * endless run's retention dropped batches it had planned to read: it fails naming what is gone,
   * instead of reading less.
   */
  @Test
  void aReRunFirstBatchReadsWhatItsFirstAttemptPlannedOrFails() throws Exception {
    PublishLog log = log("run-a", 6);
    Offset planned = new SerializedOffset(source().getOffset().get().json()); // from the checkpoint
    log.deleteThrough(2);
    Exception e = assertThrows(Exception.class, () -> source().getBatch(Option.empty(), planned));
    String message = String.valueOf(e.getMessage()) + " " + e.getCause();
    assertTrue(message.contains(PublishLog.FOLDER + "/0"), message);

    // a new query (no offset yet) starts at what the log still holds
    List<String> left = new ArrayList<>(read(source(), null, source().getOffset().get()));
    assertEquals(Arrays.asList("run-a-3.parquet", "run-a-4.parquet", "run-a-5.parquet"), left);
  }
}
