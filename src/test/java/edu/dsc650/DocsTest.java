package edu.dsc650;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The docs stay true of the code: the options tables against the commands, the package map against
 * package-info.
 */
class DocsTest {
  private static final Path MAIN = Path.of("src/main/java/edu/dsc650");
  private static final String BEGIN = "<!-- packages:";
  private static final String END = "<!-- /packages -->";

  /**
   * Each option of a command is in its table in the README and in docs/<command>.md, with its
   * default.
   */
  @ParameterizedTest
  @ValueSource(strings = {"stream-data", "run-query", "report"})
  void theOptionsTablesAreTheCommandsOptions(String command) throws IOException {
    CommandLine cmd = edu.dsc650.cli.Dsc650.commandLine().getSubcommands().get(command);
    for (Path doc : List.of(Path.of("README.md"), Path.of("docs/" + command + ".md"))) {
      Map<String, String> table =
          optionsTable(Files.readString(doc), doc.startsWith("docs") ? "" : command);
      TreeSet<String> options = new TreeSet<>();
      for (OptionSpec o : cmd.getCommandSpec().options()) {
        if (o.usageHelp() || o.versionHelp()) {
          continue;
        }
        options.add(o.longestName());
        String row = table.get(o.longestName());
        assertTrue(
            row != null, doc + ": the " + command + " table has no row for " + o.longestName());
        if (o.defaultValue() != null) {
          assertTrue(
              row.contains("`" + o.defaultValue() + "`"),
              doc
                  + ": "
                  + o.longestName()
                  + "'s default is "
                  + o.defaultValue()
                  + ", the table says: "
                  + row);
        }
      }
      assertEquals(
          options, new TreeSet<>(table.keySet()), doc + ": the " + command + " table's options");
    }
  }

  /**
   * The JDK packages Spark needs opened are listed three times, in three syntaxes (tests' JVM
   * arguments and the jar's manifest in pom.xml, the daemons' JVMs in scripts/lib.sh): one list.
   */
  @Test
  void theModuleOpensAreTheSameEverywhere() throws IOException {
    String pom = Files.readString(Path.of("pom.xml"));
    TreeSet<String> argLine =
        matches(between(pom, "<spark.opens>", "</spark.opens>"), "--add-opens=(\\S+)=ALL-UNNAMED");
    TreeSet<String> manifest =
        new TreeSet<>(List.of(between(pom, "<Add-Opens>", "</Add-Opens>").trim().split("\\s+")));
    String lib = Files.readString(Path.of("scripts/lib.sh"));
    TreeSet<String> scripts =
        matches(between(lib, "JAVA_OPENS=(", ")"), "--add-opens=(\\S+)=ALL-UNNAMED");
    assertTrue(argLine.size() >= 10, "the list: " + argLine);
    assertEquals(argLine, manifest, "pom.xml: the tests' --add-opens and the jar's Add-Opens");
    assertEquals(argLine, scripts, "pom.xml and scripts/lib.sh");
  }

  private static String between(String text, String begin, String end) {
    int from = text.indexOf(begin) + begin.length();
    return text.substring(from, text.indexOf(end, from));
  }

  private static TreeSet<String> matches(String text, String regex) {
    TreeSet<String> found = new TreeSet<>();
    Matcher m = Pattern.compile(regex).matcher(text);
    while (m.find()) {
      found.add(m.group(1));
    }
    return found;
  }

  /** docs/architecture.md's package map is the package-info.java files' first paragraphs. */
  @Test
  void theArchitecturePageHasEveryPackageInfo() throws IOException {
    String expected = packageMap();
    String doc = Files.readString(Path.of("docs/architecture.md"));
    int begin = doc.indexOf(BEGIN);
    int end = doc.indexOf(END);
    assertTrue(begin >= 0 && end > begin, "docs/architecture.md has the package markers");
    String actual = doc.substring(doc.indexOf('\n', begin) + 1, end);
    if (!actual.equals(expected) && Boolean.getBoolean("docs.update")) {
      Files.writeString(
          Path.of("docs/architecture.md"),
          doc.substring(0, doc.indexOf('\n', begin) + 1) + expected + doc.substring(end));
      return;
    }
    assertEquals(
        expected,
        actual,
        "docs/architecture.md's package map (mvn test -Dtest=DocsTest -Ddocs.update=true "
            + "writes it)");
  }

  /**
   * The rows of the options table under a heading with "option" and the command's name: {@code |
   * `--name ...` | default | meaning |}, keyed by the long option name.
   */
  static Map<String, String> optionsTable(String doc, String command) {
    Map<String, String> rows = new TreeMap<>();
    String[] lines = doc.split("\n");
    boolean inSection = false;
    Pattern row = Pattern.compile("^\\| `(?:-\\w`, `)?(--[a-z-]+)[^|]*\\|(.*)$");
    for (String line : lines) {
      if (line.startsWith("#")) {
        inSection = line.contains(command) && line.toLowerCase().contains("option");
        continue;
      }
      Matcher m = inSection ? row.matcher(line) : null;
      if (m != null && m.find()) {
        rows.put(m.group(1), m.group(2));
      }
    }
    return rows;
  }

  private static String packageMap() throws IOException {
    List<Path> infos;
    try (Stream<Path> files = Files.walk(MAIN)) {
      infos =
          files
              .filter(p -> p.getFileName().toString().equals("package-info.java"))
              .sorted(
                  java.util.Comparator.comparing(p -> MAIN.relativize(p.getParent()).toString()))
              .toList();
    }
    StringBuilder map = new StringBuilder();
    for (Path info : infos) {
      String text = Files.readString(info, StandardCharsets.UTF_8);
      // the declaration, after the comment (whose prose may say "package" too)
      int declaration = text.indexOf("\npackage ", text.indexOf("*/")) + 1;
      String pkg = text.substring(declaration + 8, text.indexOf(';', declaration));
      String comment = text.substring(text.indexOf("/**") + 3, text.indexOf("*/"));
      List<String> words = new ArrayList<>();
      for (String line : comment.split("\n")) {
        String l = line.replaceFirst("^\\s*\\* ?", "").trim();
        if (!l.isEmpty()) {
          words.add(l);
        }
      }
      String prose = String.join(" ", words).replaceAll("\\{@(?:code|link) ([^}]*)}", "`$1`");
      map.append("- **`").append(pkg).append("`** — ").append(prose).append('\n');
    }
    return map.toString();
  }
}
