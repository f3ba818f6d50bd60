package edu.dsc650.cli;

import picocli.CommandLine.Option;

/**
 * The {@code --verbose} option. slf4j-simple reads its level once, when the first logger is made,
 * so {@link #configureLogging} looks at the raw arguments before anything else runs.
 */
public final class Verbosity {
  private boolean verbose;

  @Option(
      names = {"-v", "--verbose"},
      description = "Log more: INFO from Spark and Hadoop, and stack traces on errors.")
  void setVerbose(boolean value) {
    verbose = value;
  }

  /** Whether this command was given {@code --verbose}. */
  public boolean isOn() {
    return verbose;
  }

  /** Whether {@code --verbose} was given to any command of a parsed command line. */
  static boolean requested(picocli.CommandLine.ParseResult parsed) {
    for (var p = parsed; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption("--verbose")) {
        return true;
      }
    }
    return false;
  }

  private static final String LOG_LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";
  private static final String LOGGER = "org.slf4j.simpleLogger.log.";

  /**
   * Quiet (simplelogger.properties) unless {@code -v}: then INFO from everything, the loggers that
   * file quiets included. System properties win over the file; they are set either way because the
   * tests run many commands in one JVM.
   */
  static void configureLogging(String[] args) {
    boolean verbose =
        java.util.Arrays.asList(args).contains("-v")
            || java.util.Arrays.asList(args).contains("--verbose");
    System.setProperty(LOG_LEVEL, verbose ? "info" : "warn");
    for (String logger : quietedLoggers()) {
      if (verbose) {
        System.setProperty(logger, "info");
      } else {
        System.clearProperty(logger);
      }
    }
  }

  /** The loggers simplelogger.properties sets a level for. */
  static java.util.List<String> quietedLoggers() {
    java.util.Properties file = new java.util.Properties();
    try (var in = Verbosity.class.getResourceAsStream("/simplelogger.properties")) {
      if (in != null) {
        file.load(in);
      }
    } catch (java.io.IOException e) {
      return java.util.List.of(); // the file's own levels apply, or slf4j's defaults
    }
    return file.stringPropertyNames().stream().filter(k -> k.startsWith(LOGGER)).sorted().toList();
  }
}
