package edu.dsc650;

/**
 * Bad usage or bad input found before any work started: the command line names something that
 * cannot be used. Reported as one line, exit code 2, and nothing has been touched.
 */
public class BadInputException extends RuntimeException {
  public BadInputException(String message) {
    super(message);
  }

  public BadInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
