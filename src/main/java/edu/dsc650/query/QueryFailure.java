package edu.dsc650.query;

/**
 * One line about why a streaming query failed. Spark's messages run to dozens of lines (stage
 * failures embed the executor's stack trace); the user needs the root cause, e.g. "No space left on
 * device". The full trace is printed with --verbose.
 */
public final class QueryFailure {
  private static final int MAX_LENGTH = 300;

  private QueryFailure() {}

  public static String describe(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (root == failure) {
      return firstLine(failure);
    }
    // Spark wraps the cause in stream, job, stage and task failures; one of them names the file a
    // task was writing, unless the cause names its own
    String cause = firstLine(root) + " (" + root.getClass().getSimpleName() + ")";
    if (fileIn(message(root)) != null) {
      return cause;
    }
    for (Throwable t = failure; t != null && t != root; t = t.getCause()) {
      String file = fileIn(message(t));
      if (file != null) {
        return cause + " in " + file;
      }
    }
    return cause;
  }

  private static final java.util.regex.Pattern FILE =
      java.util.regex.Pattern.compile(
          "(?:file|path|writing rows to|reading file)[:= ]+((?:[a-z]+:)?/[^\\s,\\]}]+)",
          java.util.regex.Pattern.CASE_INSENSITIVE);

  private static String fileIn(String message) {
    java.util.regex.Matcher m = FILE.matcher(message);
    return m.find() ? m.group(1).replaceAll("[.]$", "") : null;
  }

  private static String message(Throwable t) {
    return t.getMessage() == null || t.getMessage().isBlank()
        ? t.getClass().getName()
        : t.getMessage().strip();
  }

  private static String firstLine(Throwable t) {
    String line = edu.dsc650.FirstLine.of(t);
    return line.length() <= MAX_LENGTH ? line : line.substring(0, MAX_LENGTH) + "...";
  }
}
