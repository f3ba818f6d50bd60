package edu.dsc650;

/**
 * The exit codes every command shares (signals add 130 and 143); one definition for cli and query.
 */
public final class ExitCode {
  public static final int OK = 0;

  /** A query or the replay failed; the message says why. */
  public static final int FAILED = 1;

  /** Bad usage or bad input ({@link BadInputException}): nothing was changed. */
  public static final int BAD_INPUT = 2;

  private ExitCode() {}
}
