package edu.dsc650.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import edu.dsc650.testing.BddLikeData;
import edu.dsc650.testing.Datasets;
import edu.dsc650.testing.JarProcess;
import edu.dsc650.testing.PublishedSlices;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bad-input cases that need the operating system: files the user may not read, folders the user
 * may not write, a disk that fills up, a corrupt file in {@code input}. The jar runs as its own
 * process; as root (where permissions do not apply) it runs as user {@code nobody}, and a full disk
 * is a small tmpfs mounted in a private mount namespace ({@code unshare -m}) that vanishes with it.
 */
@Order(2) // in the side-by-side execution: see pom.xml
class ResourceFaultsIT {
  static final String NOBODY = "65534";

  @TempDir Path tmp;

  @BeforeEach
  void openUp() throws IOException {
    // JUnit's temp folder is private to its owner; the user nobody must be able to reach inside it
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  /** Runs the jar as an ordinary user: as root, as nobody through setpriv. */
  static List<String> asOrdinaryUser() {
    return isRoot()
        ? List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups")
        : List.of();
  }

  static void chmodRecursively(Path root, String dirs, String files) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.toList()) {
        Files.setPosixFilePermissions(
            p, PosixFilePermissions.fromString(Files.isDirectory(p) ? dirs : files));
      }
    }
  }

  /** Runs the jar to its end; returns its exit code and output. */
  record Run(int exitCode, String output) {
    List<String> errorLines() {
      return output.lines().filter(l -> l.contains("error:")).toList();
    }

    void assertOneError(int expectedExit, String... expectedFragments) {
      assertEquals(expectedExit, exitCode, output);
      assertEquals(1, errorLines().size(), "one error line:\n" + output);
      for (String fragment : expectedFragments) {
        assertTrue(
            errorLines().get(0).contains(fragment),
            "'" + fragment + "' in: " + errorLines().get(0));
      }
      assertTrue(
          output.lines().noneMatch(l -> l.startsWith("\tat ")),
          "no stack trace without --verbose:\n" + output);
    }
  }

  Run run(String name, List<String> wrapper, String... args) throws Exception {
    try (JarProcess p = JarProcess.start(tmp.resolve(name + ".log"), wrapper, args)) {
      int rc = p.waitFor(Duration.ofMinutes(3));
      return new Run(rc, p.output());
    }
  }

  /** A results folder holding a finished replay of generated rides (run as the test's own user). */
  Path replayed(Path results) throws Exception {
    Path source = tmp.resolve("source");
    BddLikeData.write(source);
    assertEquals(
        0,
        run(
                "replay",
                List.of(),
                "stream-data",
                "--max-speed",
                "--source",
                source.toString(),
                "--results",
                results.toString())
            .exitCode());
    return results;
  }

  @Test
  void streamDataRefusesASourceFileItMayNotRead() throws Exception {
    Path source = tmp.resolve("source");
    Datasets.small(source);
    Path results = tmp.resolve("results");
    Files.createDirectories(results);
    chmodRecursively(tmp, "rwxrwxrwx", "rw-rw-rw-");
    Path secret = source.resolve("locations/t=9.5/ride-a.parquet");
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("---------"));

    Run r =
        run(
            "unreadable",
            asOrdinaryUser(),
            "stream-data",
            "--max-speed",
            "--source",
            source.toString(),
            "--results",
            results.toString());
    r.assertOneError(2, "ride-a.parquet");
    assertTrue(!Files.exists(results.resolve("replay.json")), "nothing published");
  }

  @Test
  void streamDataRefusesAResultsFolderItMayNotWrite() throws Exception {
    Path source = tmp.resolve("source");
    Datasets.small(source);
    Path results = tmp.resolve("results");
    Files.createDirectories(results.resolve("input/locations/t=1"));
    Files.writeString(results.resolve("input/locations/t=1/earlier.parquet"), "earlier");
    chmodRecursively(tmp, "rwxr-xr-x", "rw-r--r--");

    Run r =
        run(
            "read-only-results",
            asOrdinaryUser(),
            "stream-data",
            "--max-speed",
            "--source",
            source.toString(),
            "--results",
            results.toString());
    r.assertOneError(2, results.toString());
    assertEquals(
        "earlier", Files.readString(results.resolve("input/locations/t=1/earlier.parquet")));
  }

  @Test
  void runQueryRefusesAResultsFolderItMayNotWrite() throws Exception {
    Path results = replayed(tmp.resolve("results"));
    chmodRecursively(tmp, "rwxr-xr-x", "rw-r--r--");

    Run r =
        run(
            "read-only-query",
            asOrdinaryUser(),
            "run-query",
            "simple",
            "--trigger",
            "available-now",
            "--master",
            "local[1]",
            "--results",
            results.toString());
    r.assertOneError(2, "checkpoints");
    assertTrue(!Files.exists(results.resolve("output")), "no output");
  }

  /**
   * Runs the jar in a private mount namespace with {@code dir} a tmpfs of {@code size}; copies it
   * out after.
   */
  List<String> onSmallDisk(Path dir, String size, Path copyTo) throws Exception {
    assumeTrue(isRoot(), "a tmpfs needs root");
    assumeTrue(
        new ProcessBuilder("unshare", "-m", "true").start().waitFor() == 0,
        "unshare -m is not permitted here");
    Files.createDirectories(dir);
    Files.createDirectories(copyTo);
    String script =
        "d=$1; c=$2; shift 2; mount -t tmpfs -o size="
            + size
            + " tmpfs \"$d\" || exit 99; "
            + "\"$@\"; rc=$?; cp -a \"$d/.\" \"$c/\"; exit $rc";
    return new ArrayList<>(
        List.of("unshare", "-m", "sh", "-c", script, "sh", dir.toString(), copyTo.toString()));
  }

  @Test
  void streamDataOnAFullDiskStopsWithOneLineAndPublishesOnlyWholeSlices() throws Exception {
    Path source = tmp.resolve("source");
    BddLikeData.write(source);
    Path results = tmp.resolve("small");
    Path copy = tmp.resolve("copy");
    // the generated rides take ~700 KiB rewritten: 256 KiB fills up part way through
    Run r =
        run(
            "full-disk",
            onSmallDisk(results, "256k", copy),
            "stream-data",
            "--max-speed",
            "--source",
            source.toString(),
            "--results",
            results.toString());
    r.assertOneError(1, "No space left on device");
    int published = PublishedSlices.assertOnlyWholeSlices(source, copy, false);
    System.out.printf(
        "full disk: %d of %d slices published before the disk filled up%n",
        published, PublishedSlices.sourceSliceCount(source));
    assertTrue(
        published > 0 && published < PublishedSlices.sourceSliceCount(source),
        "filled up part way: " + published);
    assertTrue(!Files.exists(copy.resolve(".replay.lock")), "lock released");
  }

  @Test
  void runQueryOnAFullDiskStopsWithOneLine() throws Exception {
    Path results = replayed(tmp.resolve("results"));
    Run r =
        run(
            "full-output",
            onSmallDisk(results.resolve("output"), "64k", tmp.resolve("copy")),
            "run-query",
            "simple",
            "--trigger",
            "available-now",
            "--master",
            "local[1]",
            "--results",
            results.toString());
    r.assertOneError(1, "No space left on device");
  }

  @Test
  void runQueryStopsWithOneLineOnACorruptFileInInput() throws Exception {
    Path results = replayed(tmp.resolve("results"));
    // a published file (named in the replay's file-sink log, so the queries read it) gone bad
    Path bad;
    try (var files = Files.walk(results.resolve("input/locations"))) {
      bad =
          files
              .filter(
                  p ->
                      p.toString().endsWith(".parquet")
                          && !p.toString().contains("_spark_metadata"))
              .sorted()
              .findFirst()
              .orElseThrow();
    }
    Files.writeString(bad, "this is not parquet");
    Run r =
        run(
            "corrupt-input",
            List.of(),
            "run-query",
            "simple",
            "--trigger",
            "available-now",
            "--master",
            "local[1]",
            "--results",
            results.toString());
    r.assertOneError(1, bad.getFileName().toString());
  }
}
