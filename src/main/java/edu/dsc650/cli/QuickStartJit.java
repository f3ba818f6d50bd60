package edu.dsc650.cli;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells HotSpot, from inside a running {@code java -jar}, to compile with its quick compiler (C1)
 * only: a compiler directive (the run-time form of {@code -XX:CompileCommand}, added through the
 * DiagnosticCommand MBean, as {@code jcmd <pid> Compiler.directives_add} does) that excludes every
 * method from C2. Methods C2 may not compile are compiled by C1 at full optimization, which is what
 * {@code -XX:TieredStopAtLevel=1} does. For short runs most of the CPU would otherwise go to C2
 * compiling code that runs for a second (a catch-up: 37 s of compiler CPU in a 31 s run on 2
 * cores); long runs keep C2, whose code is faster once warm. Applied first thing in main, before
 * much is compiled; a JVM started with its own JIT flags is left as it is.
 */
final class QuickStartJit {
  private static final Logger LOG = LoggerFactory.getLogger(QuickStartJit.class);
  private static final String DIRECTIVES = "[{ match: \"*.*\", c2: { Exclude: true } }]";

  /** {@code -Ddsc650.jit=c1} or {@code c2} overrides the choice {@link #suits} makes. */
  static final String PROPERTY = "dsc650.jit";

  private QuickStartJit() {}

  /**
   * Whether a command line is a short run that C1 alone finishes sooner: {@code stream-data} (its
   * per-row work is small; at max speed the run lasts seconds), {@code report}, and {@code
   * run-query --trigger available-now} (a catch-up that ends). A live run-query keeps C2: measured
   * live at 1x, C1-only code made every micro-batch slower (docs/performance.md).
   *
   * @param override the value of {@value #PROPERTY}, or null
   */
  static boolean suits(String[] args, String override) {
    if ("c1".equalsIgnoreCase(override)) {
      return true;
    }
    if ("c2".equalsIgnoreCase(override)) {
      return false;
    }
    String command =
        java.util.Arrays.stream(args).filter(a -> !a.startsWith("-")).findFirst().orElse("");
    return switch (command) {
      case "stream-data", "report" -> true;
      case "run-query" -> availableNow(args);
      default -> false;
    };
  }

  private static boolean availableNow(String[] args) {
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--trigger") && i + 1 < args.length) {
        return args[i + 1].equalsIgnoreCase("available-now");
      }
      if (args[i].startsWith("--trigger=")) {
        return args[i].substring("--trigger=".length()).equalsIgnoreCase("available-now");
      }
    }
    return false;
  }

  /** Applies the directive; on a JVM without it (not HotSpot, or no management) nothing changes. */
  static void useC1Only() {
    for (String flag : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (flag.startsWith("-XX:TieredStopAtLevel")
          || flag.startsWith("-XX:CompileCommand")
          || flag.startsWith("-XX:-TieredCompilation")) {
        return; // the user chose the JIT's settings
      }
    }
    Path file = null;
    try {
      file = Files.createTempFile("dsc650-jit-", ".json");
      Files.writeString(file, DIRECTIVES, StandardCharsets.UTF_8);
      MBeanServer server = ManagementFactory.getPlatformMBeanServer();
      Object reply =
          server.invoke(
              new ObjectName("com.sun.management:type=DiagnosticCommand"),
              "compilerDirectivesAdd",
              new Object[] {new String[] {file.toString()}},
              new String[] {String[].class.getName()});
      LOG.debug("compiler directive added: {}", reply);
    } catch (Exception | LinkageError e) {
      LOG.debug("compiler directive not applied: {}", e.toString());
    } finally {
      if (file != null) {
        try {
          Files.deleteIfExists(file);
        } catch (java.io.IOException ignored) {
          // a temporary file of 40 bytes
        }
      }
    }
  }
}
