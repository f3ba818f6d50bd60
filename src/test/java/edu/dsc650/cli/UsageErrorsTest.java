package edu.dsc650.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every wrong invocation: one plain {@code error:} line, a {@code try ... --help} line, exit 2;
 * input that cannot be used (not a matter of --help) is the error line alone.
 */
class UsageErrorsTest {
  @TempDir static Path empty;

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "foo",
        "stream-data extra",
        "stream-data --bogus",
        "stream-data --speedup abc",
        "stream-data --speedup",
        "stream-data --speedup 0",
        "stream-data --speedup 2 --max-speed",
        "stream-data --loop x",
        "stream-data --loop -1",
        "stream-data --scale 0",
        "stream-data --compression lz",
        "stream-data --retain 0",
        "stream-data --threads 0",
        "stream-data --to kafka://",
        "stream-data --partitions 3",
        "run-query",
        "run-query foo",
        "run-query simple extra",
        "run-query simple --trigger abc",
        "run-query simple --join-window 0",
        "run-query simple --conf foo",
        "run-query simple --conf notspark=1",
        "run-query simple --master",
        "run-query simple --results a:b",
        "run-query simple --topic-prefix x.",
        "run-query simple --from kafka",
        "report extra",
      })
  void isOneLineAndExitTwo(String invocation) {
    String[] args = invocation.isEmpty() ? new String[0] : invocation.split(" ");
    CommandRunner cli = new CommandRunner();
    int rc = cli.run(args);
    List<String> lines = cli.err.toString().lines().toList();
    assertEquals(2, rc, invocation + ": " + cli.err);
    assertEquals(2, lines.size(), invocation + ": " + cli.err);
    assertTrue(lines.get(0).startsWith("error: "), lines.get(0));
    String command =
        args.length > 0 && List.of("stream-data", "run-query", "report").contains(args[0])
            ? " " + args[0]
            : "";
    assertEquals("try 'java -jar dsc650.jar" + command + " --help'", lines.get(1));
    for (String javaWord :
        List.of("double", "Integer", "index", "positional", "Exception", "Usage:")) {
      assertFalse(lines.get(0).contains(javaWord), invocation + ": " + lines.get(0));
    }
    assertEquals("", cli.out.toString(), "nothing on stdout");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "stream-data --source /nonexistent-dsc650",
        "report --results /nonexistent-dsc650"
      })
  void badInputIsOneLineAndExitTwo(String invocation) {
    CommandRunner cli = new CommandRunner();
    assertEquals(2, cli.run(invocation.split(" ")), cli.err.toString());
    List<String> lines = cli.err.toString().lines().toList();
    assertEquals(1, lines.size(), cli.err.toString());
    assertTrue(
        lines.get(0).startsWith("error: ") && lines.get(0).contains("does not exist"),
        lines.get(0));
  }
}
