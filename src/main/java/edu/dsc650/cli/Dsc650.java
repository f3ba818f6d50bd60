package edu.dsc650.cli;

import edu.dsc650.BadInputException;
import edu.dsc650.BadUsageException;
import edu.dsc650.ExitCode;
import edu.dsc650.FirstLine;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.ParseResult;

/** The {@code dsc650} command: replay recorded ride data as a stream, and query it with Spark. */
@Command(
    name = Dsc650.NAME,
    mixinStandardHelpOptions = true,
    versionProvider = Dsc650.ManifestVersion.class,
    description = {
      "Replays recorded ride data (BDD100K) as a live stream, to parquet files or Kafka topics, and runs "
          + "Spark Structured Streaming queries on it.",
      "",
      "A session: stream-data in one terminal, run-query in another, report at the end.",
      "Each command's --help has its options."
    },
    commandListHeading = "%nCommands:%n",
    footer = {
      "",
      "Exit codes: 0 done, 1 failed, 2 bad usage or input (nothing changed), 130/143 stopped by a signal.",
      "Documentation: README.md and docs/ in the project."
    },
    subcommands = {
      StreamDataCommand.class,
      RunQueryCommand.class,
      ReportCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Dsc650 implements Runnable {
  /** The command as users type it: usage lines and hints show it. */
  static final String NAME = "java -jar dsc650.jar";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    // first: slf4j-simple fixes its level when the first logger is made (QuickStartJit has one)
    Verbosity.configureLogging(args);
    if (QuickStartJit.suits(args, System.getProperty(QuickStartJit.PROPERTY))) {
      QuickStartJit.useC1Only(); // a short run: C2 would cost more CPU than it saves
    }
    System.exit(commandLine().execute(args));
  }

  /** The command line with this project's error handling; tests run it as users do. */
  public static CommandLine commandLine() {
    return commandLine(CommandLine.defaultFactory());
  }

  /**
   * The command line with subcommands made by {@code factory} (tests hand in their own instances).
   */
  public static CommandLine commandLine(CommandLine.IFactory factory) {
    return new CommandLine(new Dsc650(), factory)
        .setExecutionExceptionHandler(new ErrorHandler())
        .setParameterExceptionHandler(new UsageErrors())
        .setCaseInsensitiveEnumValuesAllowed(true);
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing a subcommand");
  }

  /** Prints one line per error (the stack trace too with --verbose) and maps it to an exit code. */
  static final class ErrorHandler implements IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
      PrintWriter err = cmd.getErr();
      boolean bad = e instanceof BadInputException;
      // one line: library messages can hold whole stack traces (--verbose prints the trace)
      err.println(cmd.getColorScheme().errorText("error: " + FirstLine.of(e)));
      if (e instanceof BadUsageException) { // what --help answers
        err.println(UsageErrors.helpHint(cmd));
      }
      if (Verbosity.requested(parsed)) {
        e.printStackTrace(err);
      }
      err.flush();
      return bad ? ExitCode.BAD_INPUT : ExitCode.FAILED;
    }
  }

  /** The version from the jar's manifest ({@code Implementation-Version}). */
  static final class ManifestVersion implements IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Dsc650.class.getPackage().getImplementationVersion();
      return new String[] {"dsc650 " + (version == null ? "(development build)" : version)};
    }
  }
}
