package edu.dsc650;

/**
 * The first line of an exception's message, for one-line errors: library messages can hold whole
 * stack traces.
 */
public final class FirstLine {
  private FirstLine() {}

  /** The first line of {@code t}'s message, stripped; its class name if it has no message. */
  public static String of(Throwable t) {
    String m =
        t.getMessage() == null || t.getMessage().isBlank()
            ? t.getClass().getName()
            : t.getMessage().strip();
    int newline = m.indexOf('\n');
    return newline < 0 ? m : m.substring(0, newline).strip();
  }
}
