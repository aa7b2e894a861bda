package io.timbre.exceptions;


/**
 * A configuration that cannot be used: a job config, an experiment or an option combination whose parts are valid one by
 * one but not together (a finished run asked to train again, a resume with nothing to resume). Parsers of single
 * values keep throwing {@link IllegalArgumentException} from their guards, which the command line treats the same way.
 */
public class BadConfigException extends TimbreException {
  private static final long serialVersionUID = 1L;

  public BadConfigException(String message) {
    super(message);
  }

  public BadConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
