package edu.dsc650.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the real command line in-process and keeps what it printed. */
final class CommandRunner {
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  int run(String... args) {
    CommandLine cmd = Dsc650.commandLine();
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    return cmd.execute(args);
  }

  /** The error lines the command printed (not warnings or progress). */
  String errors() {
    return err.toString().lines().filter(l -> l.contains("error:")).reduce("", (a, b) -> a + b + "\n");
  }
}
