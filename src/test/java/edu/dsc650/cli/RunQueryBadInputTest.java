package edu.dsc650.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** run-query's usage errors: one clear line and exit code 2. */
class RunQueryBadInputTest {
  @TempDir
  Path results;

  private CommandRunner refused(String expected, String... args) {
    CommandRunner cli = new CommandRunner();
    assertEquals(2, cli.run(args), cli.out + "\n" + cli.err);
    assertTrue(cli.err.toString().contains(expected), cli.err.toString());
    return cli;
  }

  @Test
  void unknownQueryName() {
    refused("Invalid value for positional parameter", "run-query", "windowd", "--results", results.toString());
  }

  @Test
  void noQueryAtAll() {
    refused("Missing required parameter", "run-query", "--results", results.toString());
  }

  @Test
  void badTrigger() {
    refused("--trigger must be 0, an interval such as 2s or 500ms, or available-now",
        "run-query", "simple", "--trigger", "soon", "--results", results.toString());
  }

  @Test
  void badJoinWindow() {
    refused("--join-window must look like '1 second'",
        "run-query", "joined", "--join-window", "1s; DROP", "--results", results.toString());
  }

  @Test
  void availableNowWithNothingToProcess() {
    CommandRunner cli = refused("nothing to process", "run-query", "simple", "--trigger", "available-now",
        "--master", "local[1]", "--results", results.toString());
    assertEquals(1, cli.errors().lines().count(), cli.err.toString());
  }

  @Test
  void helpListsTheQueries() {
    CommandRunner cli = new CommandRunner();
    assertEquals(0, cli.run("run-query", "--help"));
    assertTrue(cli.out.toString().contains("simple, windowed, joined, all"), cli.out.toString());
    assertTrue(cli.out.toString().contains("--until-replay-complete"), cli.out.toString());
  }
}
