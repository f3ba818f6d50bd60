package edu.dsc650.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** replay.json is one flat object, whatever the record's structure, and reads back as written. */
class ReplayManifestTest {
  @Test
  void aPlanAndItsProgressAreOneFlatObjectThatReadsBack() throws Exception {
    ReplayManifest m =
        ReplayManifest.starting("r1", new ReplayManifest.Plan(2.0, false, 1, 128.8, 3, 212, 424, 9))
            .with(
                new ReplayManifest.Progress(
                    ReplayManifest.Status.COMPLETED,
                    "2026-12-05T10:00:00Z",
                    212,
                    64.5,
                    new ReplayManifest.Lag(1, 2, 3),
                    null))
            .with(new ReplayManifest.Kafka("h:9092", Map.of("locations", "p-locations"), null))
            .with(
                ReplayManifest.Steering.unsteered(2.0)
                    .then(
                        true,
                        2.0,
                        0,
                        new ReplayManifest.Change("2026-12-05T10:00:01Z", 2.5, "pause", 2.0)));
    String json = new String(m.toJson(), StandardCharsets.UTF_8);
    assertEquals(
        "{\"run_id\":\"r1\",\"status\":\"completed\",\"completed\":true,"
            + "\"start\":\"2026-12-05T10:00:00Z\",\"speedup\":2.0,\"max_speed\":false,\"laps\":1,"
            + "\"lap_seconds\":128.8,\"scale\":3,\"slices\":212,\"files\":424,\"rows\":9,"
            + "\"published_slices\":212,\"wall_seconds\":64.5,"
            + "\"lag_ms\":{\"p50\":1.0,\"p99\":2.0,\"max\":3.0},\"error\":null,"
            + "\"kafka\":{\"bootstrap\":\"h:9092\",\"topics\":{\"locations\":\"p-locations\"},"
            + "\"end_offsets\":null},"
            + "\"steering\":{\"paused\":true,\"speedup\":2.0,\"paused_s\":0.0,\"changes\":"
            + "[{\"at\":\"2026-12-05T10:00:01Z\",\"sim_s\":2.5,\"action\":\"pause\",\"speedup\":2.0}]}}",
        new ObjectMapper().readTree(json).toString());
    assertEquals(m, ReplayManifest.parse(m.toJson(), "test"));
    // inside another object (the report's page) it is the same flat object
    assertEquals(
        new ObjectMapper().readTree(json),
        new ObjectMapper()
            .readTree(new ObjectMapper().writeValueAsString(Map.of("m", m)))
            .get("m"));
  }

  /** An endless run steered for a long time keeps its last changes, not all. */
  @Test
  void steeringKeepsTheLastThousandChanges() {
    ReplayManifest.Steering s = ReplayManifest.Steering.unsteered(1);
    for (int i = 0; i < ReplayManifest.Steering.MAX_CHANGES + 5; i++) {
      s = s.then(false, 1, 0, new ReplayManifest.Change("t" + i, i, "speedup", 1));
    }
    assertEquals(ReplayManifest.Steering.MAX_CHANGES, s.changes().size());
    assertEquals("t5", s.changes().get(0).at());
  }
}
