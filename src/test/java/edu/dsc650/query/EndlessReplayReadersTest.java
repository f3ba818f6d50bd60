package edu.dsc650.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import edu.dsc650.cli.CommandRunner;
import edu.dsc650.io.LocalStorage;
import edu.dsc650.io.PublishLog;
import edu.dsc650.io.ResultsLayout;
import edu.dsc650.parquet.OutputCodec;
import edu.dsc650.parquet.TimestampRewriter;
import edu.dsc650.replay.FileTransport;
import edu.dsc650.replay.HeapBudget;
import edu.dsc650.replay.ReplayOptions;
import edu.dsc650.replay.ReplaySummary;
import edu.dsc650.replay.Replayer;
import edu.dsc650.replay.RideCopies;
import edu.dsc650.replay.Slice;
import edu.dsc650.replay.SourceScanner;
import edu.dsc650.replay.SourceValidator;
import edu.dsc650.testing.Datasets;
import edu.dsc650.testing.FakeClock;
import edu.dsc650.testing.ParquetRows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 21, item 2: readers of an endless replay. What the run's retention keeps in input is read
 * whole by a reader that comes late; a batch that is gone fails the reader, naming it, instead of
 * leaving a silent gap.
 */
@Tag("cli")
class EndlessReplayReadersTest {
  @TempDir Path tmp;

  /**
   * An endless run at 100x on a fake clock, keeping 600 ms of wall time (about two laps), stopped
   * in lap 10.
   */
  private Path endlessRun() throws Exception {
    Path source = tmp.resolve("source");
    Path results = tmp.resolve("results");
    Datasets.small(source);
    LocalStorage storage = new LocalStorage();
    FakeClock clock = new FakeClock();
    ExecutorService workers = Executors.newFixedThreadPool(2);
    try {
      ReplayOptions options =
          new ReplayOptions(
              new ResultsLayout(hadoop(results)),
              100,
              false,
              OutputCodec.source,
              2,
              Duration.ofMillis(700),
              0,
              1,
              Duration.ofMillis(600));
      List<Slice> slices = new SourceScanner(storage, w -> {}).scan(hadoop(source));
      SourceValidator.Totals totals =
          new SourceValidator(storage, 1 << 20).validate(slices, false, false, workers);
      Replayer[] replayer = new Replayer[1];
      replayer[0] =
          new Replayer(
              storage,
              options,
              clock,
              (done, total, sim, files, rows, lag) -> {
                if (done >= 120) {
                  replayer[0].requestStop();
                }
              },
              new FileTransport(
                  storage,
                  storage,
                  options,
                  clock,
                  ThreadLocal.withInitial(
                      () -> new TimestampRewriter(OutputCodec.source, RideCopies::key))),
              HeapBudget.NONE);
      ReplaySummary summary = replayer[0].run(slices, totals, workers);
      assertFalse(summary.completed());
    } finally {
      workers.shutdownNow();
    }
    return results;
  }

  private static org.apache.hadoop.fs.Path hadoop(Path p) {
    return new org.apache.hadoop.fs.Path(p.toUri());
  }

  /** The rows of every parquet file left in a topic's input, read with parquet-mr. */
  private static long rowsLeftInInput(Path results, String topic) throws Exception {
    long rows = 0;
    try (Stream<Path> folders = Files.list(results.resolve("input").resolve(topic))) {
      for (Path folder :
          folders.filter(f -> f.getFileName().toString().startsWith("t=")).toList()) {
        for (Path f : ParquetRows.files(folder)) {
          rows += ParquetRows.read(f).size();
        }
      }
    }
    return rows;
  }

  @Test
  void aLateReaderReadsEveryRowLeftInInputAndAGapFailsNamingTheBatch() throws Exception {
    Path results = endlessRun();
    Path log = results.resolve("input/accelerations/" + PublishLog.FOLDER);
    assertFalse(Files.exists(log.resolve("0")), "the retention dropped the first batches");

    CommandRunner catchUp = new CommandRunner();
    assertEquals(
        0,
        catchUp.run(
            "run-query",
            "simple",
            "--trigger",
            "available-now",
            "--results",
            results.toString(),
            "--master",
            "local[2]"),
        catchUp.out + "\n" + catchUp.err);
    SparkSession spark = QueryOutputs.batchSession();
    try {
      for (String topic : List.of(Topics.ACCELERATIONS, Topics.LOCATIONS)) {
        long left = rowsLeftInInput(results, topic);
        assertTrue(left > 0, topic);
        long read =
            spark
                .read()
                .schema(Topics.schema(topic))
                .parquet(results.resolve("output/simple/" + topic).toString())
                .count();
        assertEquals(left, read, topic + ": every row left in input, once");
      }
    } finally {
      QueryOutputs.release(spark);
    }

    // a batch in the middle of the log gone: the reader fails, naming it
    long oldest;
    try (Stream<Path> batches = Files.list(log)) {
      oldest =
          batches
              .map(p -> p.getFileName().toString())
              .filter(n -> n.matches("\\d+"))
              .mapToLong(Long::parseLong)
              .min()
              .orElseThrow();
    }
    Files.delete(log.resolve(Long.toString(oldest + 3)));
    CommandRunner gap = new CommandRunner();
    assertEquals(
        1,
        gap.run(
            "run-query",
            "simple",
            "--fresh",
            "--trigger",
            "available-now",
            "--results",
            results.toString(),
            "--master",
            "local[2]"),
        gap.out + "\n" + gap.err);
    assertTrue(
        gap.errors().contains(PublishLog.FOLDER + "/" + (oldest + 3) + " is gone"),
        gap.err.toString());
  }
}
