package edu.dsc650;

/**
 * An option's value that cannot be used, or options that do not go together: bad input that the
 * command's {@code --help} answers, so the error line is followed by a hint to it.
 */
public class BadUsageException extends BadInputException {
  public BadUsageException(String message) {
    super(message);
  }
}
