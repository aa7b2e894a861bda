package io.timbre.exceptions;


/**
 * The root of Timbre's failures that a user can act on: each subclass says what kind of thing was wrong, and the
 * message names the file, table, run or key. The command line maps each kind to one exit code (see
 * {@code io.timbre.jobs.ExitCodes}); anything that is not a {@code TimbreException} (nor an
 * {@link IllegalArgumentException} from a parser's guard) is a bug and is reported with its stack trace.
 */
public abstract class TimbreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  protected TimbreException(String message) {
    super(message);
  }

  protected TimbreException(String message, Throwable cause) {
    super(message, cause);
  }
}
