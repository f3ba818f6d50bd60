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
                tmp.resolve("on-a-terminal").toString(),
                "--speedup",
                "20"));
    // -e: script exits with the command's code; its stdin stays open (a pipe), as a keyboard would
    Process terminal =
        new ProcessBuilder("script", "-q", "-e", "-f", "-c", command, "/dev/null")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
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
}
