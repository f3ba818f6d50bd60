package edu.dsc650.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The packaged {@code dsc650.jar} run as its own process, as a user runs it ({@code java -jar}),
 * with its output in a log file. Unlike an in-process run it can be killed with SIGKILL.
 */
public final class JarProcess implements AutoCloseable {
  /**
   * The jar's own switch for short runs ({@code QuickStartJit}): C1 compiles everything. The
   * suites' runs last seconds, and on two cores C2 compiling code that then runs for a second took
   * a third of a run-query's start-up CPU; a long live run keeps C2 outside the tests.
   */
  static final List<String> SUITE_FLAGS = List.of("-Ddsc650.jit=c1");

  private final Process process;
  private final Path log;
  private final String description;

  private JarProcess(Process process, Path log, String description) {
    this.process = process;
    this.log = log;
    this.description = description;
  }

  /** The shaded jar under test (failsafe passes its path; built by {@code mvn package}). */
  public static Path jar() {
    return packaged("dsc650.jar", "target/dsc650.jar");
  }

  /**
   * A jar {@code mvn package} built: the path in system property {@code property}, else {@code
   * fallback}.
   */
  public static Path packaged(String property, String fallback) {
    String path = System.getProperty(property, "");
    Path jar = Path.of(path.isBlank() ? fallback : path).toAbsolutePath();
    assertTrue(Files.isRegularFile(jar), jar + " is missing: run `mvn package` first");
    return jar;
  }

  public static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /**
   * Starts {@code java -jar dsc650.jar args}, its output (stdout and stderr) going to {@code log}.
   */
  public static JarProcess start(Path log, String... args) throws IOException {
    return start(log, List.of(), args);
  }

  /**
   * As {@link #start(Path, String...)}, with a command in front (e.g. setpriv to run as another
   * user).
   */
  public static JarProcess start(Path log, List<String> wrapper, String... args)
      throws IOException {
    return start(log, wrapper, List.of("-Xmx1g"), args);
  }

  /**
   * As {@link #start(Path, String...)}, with these JVM flags (e.g. a small -Xmx) instead of -Xmx1g.
   */
  public static JarProcess startWithJvmFlags(Path log, List<String> jvmFlags, String... args)
      throws IOException {
    return start(log, List.of(), jvmFlags, args);
  }

  private static JarProcess start(
      Path log, List<String> wrapper, List<String> jvmFlags, String... args) throws IOException {
    List<String> command = new ArrayList<>(wrapper);
    command.add(java());
    command.addAll(SUITE_FLAGS);
    command.addAll(StartupArchive.flags(jar()));
    command.addAll(jvmFlags);
    command.addAll(List.of("-jar", jar().toString()));
    command.addAll(Arrays.asList(args));
    Process p =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new JarProcess(p, log, String.join(" ", args));
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** SIGTERM, as a service manager stops a process; {@link #waitFor} gives its exit code. */
  public void terminate() {
    process.destroy();
  }

  /** SIGKILL: no shutdown hooks, no finally blocks, nothing flushed. */
  public void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /**
   * Waits for the exit code; a process still running after {@code timeout} is killed and the test
   * fails.
   */
  public int waitFor(Duration timeout) throws InterruptedException, IOException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      kill9();
      fail(description + " still running after " + timeout + "; its output:\n" + output());
    }
    return process.exitValue();
  }

  /**
   * Waits until the output holds {@code text}; fails if the process ends or the time is up first.
   */
  public void awaitOutput(String text, Duration timeout) throws InterruptedException, IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!output().contains(text)) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        fail(description + " did not say \"" + text + "\"; its output:\n" + output());
      }
      Thread.sleep(100);
    }
  }

  public String output() throws IOException {
    return Files.exists(log) ? Files.readString(log) : "";
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill9();
    }
  }
}
