package edu.dsc650.replay;

import edu.dsc650.BadInputException;
import edu.dsc650.FirstLine;
import edu.dsc650.io.Storage;
import edu.dsc650.parquet.ParquetFile;
import edu.dsc650.parquet.ReplaySchema;
import edu.dsc650.parquet.TimestampRewriter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Checks every source file before anything is touched: its parquet footer can be read and its
 * schema can be replayed. The first problem found is reported as a {@link BadInputException} naming
 * the file.
 */
public final class SourceValidator {

  /**
   * What the validation learned: totals for the progress display and replay.json, and the range of
   * the rows' offsets in microseconds ({@code {MAX, MIN}} if none).
   */
  public record Totals(
      int slices, long files, long rows, long minOffsetMicros, long maxOffsetMicros) {
    public Totals(int slices, long files, long rows) {
      this(slices, files, rows, Long.MAX_VALUE, Long.MIN_VALUE);
    }
  }

  private final Storage storage;
  private final AtomicLong keepBudget;

  /**
   * @param keepBytes how many bytes of source files to keep in memory for the rewrite, instead of
   *     reading them again
   */
  public SourceValidator(Storage storage, long keepBytes) {
    this.storage = storage;
    this.keepBudget = new AtomicLong(keepBytes);
  }

  /**
   * Checks every file, its offsets included (every offset column is decoded: an offset out of range
   * is refused, and laps need the range).
   *
   * @param oneSchemaPerSlice require all files of a slice to share a schema (needed to merge them)
   * @param rideKeys require ride keys that copies can be named by ({@code --scale} above 1)
   */
  public Totals validate(
      List<Slice> slices, boolean oneSchemaPerSlice, boolean rideKeys, ExecutorService pool)
      throws IOException, InterruptedException {
    // Each slice's check keeps only its counts: the footers and schemas of thousands of files would
    // otherwise all be held until the last one is checked.
    List<Future<long[]>> results = new ArrayList<>();
    for (Slice slice : slices) {
      results.add(
          pool.submit(
              () -> {
                List<FileInfo> infos = checkSlice(slice, oneSchemaPerSlice, rideKeys);
                return new long[] {
                  infos.size(),
                  infos.stream().mapToLong(FileInfo::rows).sum(),
                  infos.stream().mapToLong(FileInfo::minOffset).min().orElse(Long.MAX_VALUE),
                  infos.stream().mapToLong(FileInfo::maxOffset).max().orElse(Long.MIN_VALUE)
                };
              }));
    }
    long files = 0;
    long rows = 0;
    long minOffset = Long.MAX_VALUE;
    long maxOffset = Long.MIN_VALUE;
    for (Future<long[]> result : results) {
      try {
        long[] counts = result.get();
        files += counts[0];
        rows += counts[1];
        minOffset = Math.min(minOffset, counts[2]);
        maxOffset = Math.max(maxOffset, counts[3]);
      } catch (ExecutionException e) {
        results.forEach(f -> f.cancel(true));
        if (e.getCause() instanceof BadInputException bad) {
          throw bad;
        }
        if (e.getCause() instanceof IOException io) {
          throw io;
        }
        throw new IllegalStateException(e.getCause());
      }
    }
    return new Totals(slices.size(), files, rows, minOffset, maxOffset);
  }

  private record FileInfo(
      long rows, ReplaySchema.Rewritten schema, long minOffset, long maxOffset) {}

  private List<FileInfo> checkSlice(Slice slice, boolean oneSchema, boolean rideKeys) {
    List<FileInfo> infos = new ArrayList<>(slice.files().size());
    for (SourceFile file : slice.files()) {
      FileInfo info = checkFile(file, rideKeys);
      if (oneSchema && !infos.isEmpty() && !infos.get(0).schema.equals(info.schema)) {
        throw new BadInputException(
            file
                + ": its schema differs from "
                + slice.files().get(0)
                + " in the same slice, so the slice cannot be merged into one file (drop --merge-slices)");
      }
      infos.add(info);
    }
    return infos;
  }

  private FileInfo checkFile(SourceFile file, boolean rideKeys) {
    ParquetFile parsed;
    try {
      byte[] bytes = storage.readAll(file.path());
      boolean keep = keepBudget.addAndGet(-bytes.length) >= 0;
      parsed = ParquetFile.of(bytes, true);
      if (keep) {
        file.keep(parsed);
      }
    } catch (IOException | RuntimeException e) {
      throw new BadInputException(
          file + ": not a readable parquet file (" + FirstLine.of(e) + ")", e);
    }
    ReplaySchema.Rewritten schema;
    try {
      schema = ReplaySchema.check(parsed, rideKeys);
    } catch (IllegalArgumentException e) {
      throw new BadInputException(file + ": " + e.getMessage());
    }
    double[] range;
    try {
      range = offsetReaders.get().offsetRange(parsed);
    } catch (IOException | RuntimeException e) {
      throw new BadInputException(
          file + ": its offset column cannot be read (" + FirstLine.of(e) + ")", e);
    }
    for (double offset : range) {
      if (Double.isFinite(offset) && Math.abs(offset) > ReplaySchema.MAX_OFFSET_SECONDS) {
        throw new BadInputException(
            String.format(
                Locale.ROOT,
                "%s: offset %.6g s is out of range (offsets are seconds since the recording"
                    + " began, from -%.0e to %.0e)",
                file,
                offset,
                ReplaySchema.MAX_OFFSET_SECONDS,
                ReplaySchema.MAX_OFFSET_SECONDS));
      }
    }
    return range[0] > range[1]
        ? new FileInfo(parsed.rows(), schema, Long.MAX_VALUE, Long.MIN_VALUE)
        : new FileInfo(
            parsed.rows(),
            schema,
            ReplaySchema.timestampMicros(0, range[0]),
            ReplaySchema.timestampMicros(0, range[1]));
  }

  /** An offset reader per worker thread: it keeps its buffers between files. */
  private final ThreadLocal<TimestampRewriter> offsetReaders =
      ThreadLocal.withInitial(TimestampRewriter::forOffsets);
}
