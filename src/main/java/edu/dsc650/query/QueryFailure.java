package edu.dsc650.query;

/**
 * One line about why a streaming query failed. Spark's messages run to dozens of lines (stage
 * failures embed the executor's stack trace); the user needs the root cause, e.g. "No space left
 * on device". The full trace is printed with --verbose.
 */
public final class QueryFailure {
  private static final int MAX_LENGTH = 300;

  private QueryFailure() {}

  public static String describe(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String top = firstLine(failure);
    if (root == failure) {
      return top;
    }
    String cause = root.getClass().getSimpleName() + ": " + firstLine(root);
    return top.contains(firstLine(root)) ? top : top + " (caused by " + cause + ")";
  }

  private static String firstLine(Throwable t) {
    String m = t.getMessage() == null ? t.getClass().getName() : t.getMessage().strip();
    int newline = m.indexOf('\n');
    String line = newline < 0 ? m : m.substring(0, newline).strip();
    return line.length() <= MAX_LENGTH ? line : line.substring(0, MAX_LENGTH) + "...";
  }
}
