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

  static void configureLogging(String[] args) {
    boolean verbose =
        java.util.Arrays.asList(args).contains("-v")
            || java.util.Arrays.asList(args).contains("--verbose");
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "info" : "warn");
    if (verbose) { // simplelogger.properties keeps Kafka's clients at error
      System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "info");
      System.setProperty("org.slf4j.simpleLogger.log.org.apache.spark.sql.kafka010", "info");
    }
    if (!verbose) {
      // When a query fails, each of these logs the same failure with a full stack trace; the
      // command reports it as one line (with the root cause), and --verbose brings them back.
      for (String logger : REPEAT_A_QUERY_FAILURE) {
        System.setProperty("org.slf4j.simpleLogger.log." + logger, "off");
      }
    }
  }

  private static final String[] REPEAT_A_QUERY_FAILURE = {
    "org.apache.spark.executor.Executor",
    "org.apache.spark.util.Utils", // "Aborting task", with the trace
    "org.apache.spark.scheduler.TaskSetManager",
    "org.apache.spark.sql.execution.datasources.FileFormatWriter",
    "org.apache.spark.sql.execution.streaming.MicroBatchExecution",
    "org.apache.spark.sql.execution.streaming.MicroBatchExecutionContext",
  };
}
