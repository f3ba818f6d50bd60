package edu.dsc650.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import edu.dsc650.testing.BddLikeData;
import edu.dsc650.testing.JarProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * stream-data's status line, as a user sees it: redrawn in place with a bar and an ETA on a
 * terminal (a pseudo-terminal from util-linux's {@code script}), plain lines in a pipe.
 */
class StatusLineOnATerminalIT {
  @TempDir Path tmp;

  @Test
  void inPlaceOnATerminalAndPlainInAPipe() throws Exception {
    Path source = tmp.resolve("source");
    BddLikeData.write(source);

    Path log = tmp.resolve("terminal.log");
    Process terminal = onATerminal(source, tmp.resolve("on-a-terminal"), "20", log);
    assertTrue(terminal.waitFor(3, TimeUnit.MINUTES), "stream-data on a terminal did not end");
    String drawn = Files.readString(log, StandardCharsets.UTF_8);
    assertEquals(0, terminal.exitValue(), drawn);
    assertTrue(drawn.contains("\r[####################] 100% slice "), drawn);
    assertTrue(drawn.contains("% slice ") && drawn.contains("ETA "), drawn);

    try (JarProcess pipe =
        JarProcess.start(
            tmp.resolve("pipe.log"),
            "stream-data",
            "--source",
            source.toString(),
            "--results",
            tmp.resolve("in-a-pipe").toString(),
            "--speedup",
            "20")) {
      assertEquals(0, pipe.waitFor(Duration.ofMinutes(3)), pipe.output());
      String lines = pipe.output();
      assertFalse(lines.contains("\r"), lines);
      assertFalse(lines.contains("["), "no bar in a pipe: " + lines);
      assertTrue(lines.lines().anyMatch(l -> l.startsWith("slice ")), lines);
    }
  }

  /**
   * Issue 33: the keys, typed into the pseudo-terminal. Space pauses (no slice is published until
   * the next space), + doubles and - halves the speed-up; replay.json and the slice records say so.
   */
  @Test
  void spacePausesAndResumesPlusAndMinusChangeTheSpeedup() throws Exception {
    Path source = tmp.resolve("source");
    BddLikeData.write(source);
    Path results = tmp.resolve("steered");
    Path log = tmp.resolve("keys.log");
    Process terminal = onATerminal(source, results, "4", log);
    try (java.io.OutputStream keys = terminal.getOutputStream()) {
      waitFor(() -> Files.readString(log).contains("slice 4/"), terminal, log);
      type(keys, " ");
      waitFor(() -> steering(results).path("paused").asBoolean(), terminal, log);
      Thread.sleep(1500); // paused for a while: nothing may be published meanwhile
      type(keys, " ");
      waitFor(() -> !steering(results).path("paused").asBoolean(), terminal, log);
      type(keys, "x+++-"); // x is no key: ignored
      assertTrue(terminal.waitFor(3, TimeUnit.MINUTES), "stream-data on a terminal did not end");
    }
    String drawn = Files.readString(log, StandardCharsets.UTF_8);
    assertEquals(0, terminal.exitValue(), drawn);
    assertTrue(drawn.contains("PAUSED  (paused)"), drawn);
    assertTrue(drawn.contains("(resumed)"), drawn);

    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    var steering = steering(results);
    List<String> changes = new java.util.ArrayList<>();
    steering
        .path("changes")
        .forEach(c -> changes.add(c.path("action").asText() + " " + c.path("speedup").asDouble()));
    assertEquals(
        List.of(
            "pause 4.0",
            "resume 4.0",
            "speedup 8.0",
            "speedup 16.0",
            "speedup 32.0",
            "speedup 16.0"),
        changes);
    java.time.Instant pausedAt =
        java.time.Instant.parse(steering.path("changes").get(0).path("at").asText());
    java.time.Instant resumedAt =
        java.time.Instant.parse(steering.path("changes").get(1).path("at").asText());
    double pausedFor = java.time.Duration.between(pausedAt, resumedAt).toNanos() / 1e9;
    assertTrue(pausedFor >= 1.5, "paused " + pausedFor + " s");
    assertEquals(pausedFor, steering.path("paused_s").asDouble(), 1e-6);
    int before = 0;
    int after = 0;
    for (String line : Files.readAllLines(results.resolve("replay-slices.jsonl"))) {
      var r = json.readTree(line);
      java.time.Instant published = java.time.Instant.parse(r.path("published").asText());
      assertFalse(
          published.isAfter(pausedAt) && published.isBefore(resumedAt),
          "published while paused: " + line);
      // shifted by the pause if due after it (one due before it but late goes out at the resume,
      // unshifted)
      java.time.Instant due = java.time.Instant.parse(r.path("due").asText());
      if (!due.isAfter(pausedAt)) {
        before++;
        assertEquals(0.0, r.path("paused_s").asDouble(), line);
      } else {
        after++;
        assertFalse(due.isBefore(resumedAt), "due while paused: " + line);
        assertEquals(pausedFor, r.path("paused_s").asDouble(), 1e-6, line);
      }
    }
    assertTrue(before >= 4 && after > 0, before + " slices before the pause, " + after + " after");
  }

  /**
   * stream-data of the packaged jar on a pseudo-terminal (util-linux's {@code script}), its output
   * in {@code log}. {@code -e}: script exits with the command's code; its stdin stays open (a
   * pipe), as a keyboard would.
   */
  private static Process onATerminal(Path source, Path results, String speedup, Path log)
      throws java.io.IOException {
    String command =
        String.join(
            " ",
            List.of(
                JarProcess.java(),
                "-jar",
                JarProcess.jar().toString(),
                "stream-data",
                "--source",
                source.toString(),
                "--results",
                results.toString(),
                "--speedup",
                speedup));
    return new ProcessBuilder("script", "-q", "-e", "-f", "-c", command, "/dev/null")
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  private static com.fasterxml.jackson.databind.JsonNode steering(Path results)
      throws java.io.IOException {
    Path manifest = results.resolve("replay.json");
    if (!Files.exists(manifest)) {
      return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }
    return new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(manifest.toFile())
        .path("steering");
  }

  private static void type(java.io.OutputStream keys, String typed) throws java.io.IOException {
    keys.write(typed.getBytes(StandardCharsets.UTF_8));
    keys.flush();
  }

  interface Condition {
    boolean holds() throws Exception;
  }

  /** Polls until the condition holds; fails if the command ended or a minute passed first. */
  private static void waitFor(Condition condition, Process process, Path log) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    while (!condition.holds()) {
      assertTrue(process.isAlive(), "ended first: " + Files.readString(log));
      assertTrue(System.nanoTime() < deadline, "waited a minute: " + Files.readString(log));
      Thread.sleep(50);
    }
  }
}
