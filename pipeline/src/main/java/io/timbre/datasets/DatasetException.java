package io.timbre.datasets;

import io.timbre.exceptions.BadInputException;

/**
 * A problem with the dataset as a whole (unreadable root, no recognisable layout under it), as opposed to one bad
 * file, which is quarantined. Jobs stop on this with its message.
 */
public final class DatasetException extends BadInputException {
  private static final long serialVersionUID = 1L;

  public DatasetException(String message) {
    super(message);
  }

  public DatasetException(String message, Throwable cause) {
    super(message, cause);
  }
}
