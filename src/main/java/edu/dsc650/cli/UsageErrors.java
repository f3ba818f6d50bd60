package edu.dsc650.cli;

import edu.dsc650.ExitCode;
import java.io.PrintWriter;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * Usage errors as command-line tools print them: one {@code error: ...} line in plain words and a
 * {@code try '... --help'} line, exit 2. picocli's own messages name Java types and parameter
 * indexes ("'abc' is not a double", "positional parameter at index 0..*") and come with the whole
 * usage text.
 */
final class UsageErrors implements IParameterExceptionHandler {

  @Override
  public int handleParseException(ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    PrintWriter err = cmd.getErr();
    err.println(cmd.getColorScheme().errorText("error: " + plainWords(e)));
    err.println(helpHint(cmd));
    err.flush();
    return ExitCode.BAD_INPUT;
  }

  /** The line after a usage error: the command's help, as the user types it. */
  static String helpHint(CommandLine cmd) {
    return "try '" + cmd.getCommandSpec().qualifiedName() + " --help'";
  }

  /** The message a user reads, without picocli's Java words. */
  static String plainWords(ParameterException e) {
    if (e instanceof CommandLine.UnmatchedArgumentException u) {
      List<String> unmatched = u.getUnmatched();
      String first = unmatched.isEmpty() ? "?" : unmatched.get(0);
      if (first.startsWith("-")) {
        String suggestion =
            u.getSuggestions().isEmpty()
                ? ""
                : " (did you mean " + u.getSuggestions().get(0) + "?)";
        return "unknown option '" + first + "'" + suggestion;
      }
      // a command whose positional parameters have a fixed set of values: say which
      for (ArgSpec p : e.getCommandLine().getCommandSpec().positionalParameters()) {
        if (p.completionCandidates() != null && p.completionCandidates().iterator().hasNext()) {
          return p.paramLabel() + " must be one of " + candidates(p) + ", not '" + first + "'";
        }
      }
      return "unexpected argument '" + first + "'";
    }
    if (e instanceof CommandLine.MissingParameterException m) {
      List<ArgSpec> missing = m.getMissing();
      if (!missing.isEmpty()
          && missing.get(0).isOption()
          && e.getMessage().contains("for option")) {
        return "option "
            + name(missing.get(0))
            + " needs a value ("
            + missing.get(0).paramLabel()
            + ")";
      }
      return "missing "
          + missing.stream().map(UsageErrors::describe).collect(Collectors.joining(", "));
    }
    if (e instanceof CommandLine.MutuallyExclusiveArgsException) {
      String options =
          e.getMessage()
              .replaceFirst("^Error: ", "")
              .replaceAll("=[^, ]+", "")
              .replaceFirst(" are mutually exclusive.*", "");
      return "give only one of " + options;
    }
    if (e instanceof CommandLine.OverwrittenOptionException o) {
      return "option " + name(o.getOverwritten()) + " is given twice";
    }
    if (e.getCause() instanceof CommandLine.TypeConversionException t) {
      return conversion(e.getArgSpec(), e.getValue(), t.getMessage());
    }
    String message = e.getMessage();
    if (message.startsWith("Invalid value for ") && e.getArgSpec() != null) {
      return conversion(e.getArgSpec(), e.getValue(), message.substring(message.indexOf(": ") + 2));
    }
    if (message.equals("Missing a subcommand")) {
      return "missing a command: one of " + String.join(", ", cmdNames(e.getCommandLine()));
    }
    return message.replaceFirst("^Error: ", "");
  }

  /** A value picocli could not convert: our converters' messages stand as they are. */
  private static String conversion(ArgSpec spec, String value, String message) {
    if (spec == null) {
      return message;
    }
    String name = name(spec);
    if (message.startsWith(name) || message.startsWith("--")) {
      return message;
    }
    Class<?> type = spec.auxiliaryTypes().length > 0 ? spec.auxiliaryTypes()[0] : spec.type();
    if (type.isEnum()) {
      return name + " must be one of " + candidates(spec) + ", not '" + value + "'";
    }
    if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
      return name + " must be a whole number, not '" + value + "'";
    }
    if (type == double.class || type == Double.class) {
      return name + " must be a number, not '" + value + "'";
    }
    return name + ": " + message;
  }

  private static String describe(ArgSpec spec) {
    String name = name(spec);
    if (spec.isPositional() && spec.completionCandidates() != null) {
      return name + " (one of " + candidates(spec) + ")";
    }
    return name;
  }

  private static String name(ArgSpec spec) {
    return spec instanceof OptionSpec o ? o.longestName() : spec.paramLabel();
  }

  private static String candidates(ArgSpec spec) {
    StringBuilder b = new StringBuilder();
    for (String c : spec.completionCandidates()) {
      b.append(b.length() == 0 ? "" : ", ").append(c);
    }
    return b.toString();
  }

  private static List<String> cmdNames(CommandLine cmd) {
    return cmd.getSubcommands().keySet().stream().filter(n -> !n.equals("help")).toList();
  }
}
