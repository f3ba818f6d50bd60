package edu.dsc650.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import edu.dsc650.io.ReplayManifest;
import edu.dsc650.io.SliceRecord;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The replay: its replay.json, and each slice it published.
 *
 * @param manifest replay.json; null if there is none
 * @param slices [topic, t, published ms, lag ms (-1 at max speed), files, rows] per slice of the
 *     run
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record ReplaySection(ReplayManifest manifest, List<List<Object>> slices) {

  static ReplaySection read(ResultsReader results, List<SliceRecord> records) throws IOException {
    ReplayManifest manifest =
        results.storage.exists(results.layout.replayManifest())
            ? ReplayManifest.read(results.storage, results.layout.replayManifest())
            : null;
    if (manifest == null) {
      results.missing("replay.json (the replay's summary)");
    }
    List<List<Object>> slices = new ArrayList<>();
    for (SliceRecord r : records) {
      if (manifest == null || r.runId().equals(manifest.runId())) {
        slices.add(
            List.of(
                r.topic(),
                r.t(),
                Instant.parse(r.published()).toEpochMilli(),
                r.lagMs() == null ? -1 : r.lagMs(),
                r.files(),
                r.rows()));
      }
    }
    return new ReplaySection(manifest, slices);
  }

  /** True for a replay into Kafka (its input is in topics, not in input/). */
  boolean intoKafka() {
    return manifest != null && !manifest.sourceTopicsByKafkaTopic().isEmpty();
  }
}
