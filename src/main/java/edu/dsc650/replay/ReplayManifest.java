package edu.dsc650.replay;

import edu.dsc650.io.Storage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.apache.hadoop.fs.Path;

/**
 * {@code <results>/replay.json}: tells readers (the queries, scripts) which run fed {@code input} and
 * whether it has finished. Always replaced atomically, so a reader never sees half a file.
 */
public final class ReplayManifest {
  private ReplayManifest() {}

  public static void write(Storage storage, Path file, ReplaySummary run, double speedup,
      SourceValidator.Totals totals) throws IOException {
    StringBuilder json = new StringBuilder("{\n");
    json.append("  \"run_id\": \"").append(run.runId()).append("\",\n");
    json.append("  \"start\": \"").append(run.start()).append("\",\n");
    json.append("  \"speedup\": ").append(Double.isInfinite(speedup) ? "\"max\"" : number(speedup)).append(",\n");
    json.append("  \"slices\": ").append(totals.slices()).append(",\n");
    json.append("  \"files\": ").append(totals.files()).append(",\n");
    json.append("  \"rows\": ").append(totals.rows()).append(",\n");
    json.append("  \"published_slices\": ").append(run.slices()).append(",\n");
    if (run.completed() || run.wallTime().toNanos() > 0) {
      json.append("  \"wall_seconds\": ").append(number(run.wallTime().toNanos() / 1e9)).append(",\n");
      json.append("  \"lag_ms\": ").append(Double.isNaN(run.lagP50Ms()) ? "null"
          : String.format(Locale.ROOT, "{\"p50\": %.3f, \"p99\": %.3f, \"max\": %.3f}",
              run.lagP50Ms(), run.lagP99Ms(), run.lagMaxMs())).append(",\n");
    }
    json.append("  \"completed\": ").append(run.completed()).append("\n}\n");
    storage.writeAtomically(file, json.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static String number(double value) {
    return value == Math.rint(value) ? String.valueOf((long) value) : String.format(Locale.ROOT, "%.6f", value);
  }
}
