package edu.dsc650.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the real command line in-process and keeps what it printed. */
public final class CommandRunner {
  public final StringWriter out = new StringWriter();
  public final StringWriter err = new StringWriter();

  private final CommandLine.IFactory factory;

  public CommandRunner() {
    this(CommandLine.defaultFactory());
  }

  public CommandRunner(CommandLine.IFactory factory) {
    this.factory = factory;
  }

  public int run(String... args) {
    CommandLine cmd = Dsc650.commandLine(factory);
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    return cmd.execute(args);
  }

  /** The error lines the command printed (not warnings or progress). */
  public String errors() {
    return err.toString()
        .lines()
        .filter(l -> l.contains("error:"))
        .reduce("", (a, b) -> a + b + "\n");
  }
}
