package edu.dsc650.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

/**
 * A class-data-sharing archive of the jar under test ({@code target/dsc650.jsa}), made once per
 * build by one catch-up run of {@code run-query all} with {@code -XX:ArchiveClassesAtExit}. The
 * suites start {@code dsc650.jar} a hundred times, run-query a few dozen of them; with the archive
 * a run-query starts on about a fifth less CPU (docs/performance.md, "Start-up"), and on two cores
 * the suites are CPU-bound. It changes only how the JVM loads classes, not what runs: a missing or
 * stale archive (one older than the jar) means the JVM loads them from the jar, as without it.
 */
final class StartupArchive {
  /** The archive once it is made (or found up to date); null before, or if it cannot be made. */
  private static volatile Path archive;

  private static boolean started;

  private StartupArchive() {}

  /**
   * The JVM flags that use the archive of {@code jar}: none until it is ready. The first call
   * starts making it in the background, so that the suites that run side by side go on meanwhile
   * (their first JVMs load from the jar, as without an archive) instead of waiting ~40 s.
   */
  static List<String> flags(Path jar) {
    synchronized (StartupArchive.class) {
      if (!started) {
        started = true;
        if (upToDate(jar)) {
          archive = archiveOf(jar);
        } else {
          Thread maker = new Thread(() -> archive = make(jar), "startup-archive");
          maker.setDaemon(true);
          maker.start();
        }
      }
    }
    Path ready = archive;
    return ready == null ? List.of() : List.of("-XX:SharedArchiveFile=" + ready);
  }

  private static Path archiveOf(Path jar) {
    return jar.resolveSibling("dsc650.jsa");
  }

  private static boolean upToDate(Path jar) {
    Path jsa = archiveOf(jar);
    try {
      return Files.isRegularFile(jsa)
          && Files.getLastModifiedTime(jsa).compareTo(Files.getLastModifiedTime(jar)) >= 0;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Replays generated rides at max speed, then archives the classes a catch-up of them loads. Its
   * runs are JarProcess's, which ask {@link #flags} again: not ready yet, they get none.
   */
  private static Path make(Path jar) {
    long started = System.nanoTime();
    try {
      Path work = Files.createTempDirectory(jar.getParent(), "startup-archive-");
      Path source = work.resolve("source");
      Path results = work.resolve("results");
      BddLikeData.write(source);
      run(
          work.resolve("replay.log"),
          List.of("-Xmx1g"),
          "stream-data",
          "--max-speed",
          "--source",
          source.toString(),
          "--results",
          results.toString());
      Path made = work.resolve("dsc650.jsa");
      run(
          work.resolve("run-query.log"),
          List.of("-Xmx1g", "-XX:ArchiveClassesAtExit=" + made),
          "run-query",
          "all",
          "--trigger",
          "available-now",
          "--results",
          results.toString());
      Path jsa = archiveOf(jar);
      Files.move(made, jsa, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      System.out.printf(
          "startup archive %s made in %.1f s%n", jsa, (System.nanoTime() - started) / 1e9);
      deleteTree(work);
      return jsa;
    } catch (IOException | InterruptedException | IllegalStateException | AssertionError e) {
      System.out.println("no startup archive, the jar starts without one: " + e.getMessage());
      return null;
    }
  }

  /** A jar process run to its end, within 3 minutes, with exit code 0. */
  private static void run(Path log, List<String> jvmFlags, String... args)
      throws IOException, InterruptedException {
    try (JarProcess p = JarProcess.startWithJvmFlags(log, jvmFlags, args)) {
      if (p.waitFor(Duration.ofMinutes(3)) != 0) {
        throw new IllegalStateException(String.join(" ", args) + " failed; see " + log);
      }
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var s = Files.walk(dir)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
