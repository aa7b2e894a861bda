package io.timbre.datasets;

/**
 * A problem with the dataset as a whole (unreadable root, no recognisable layout under it), as opposed to one bad
 * file, which is quarantined. Jobs stop on this with its message.
 */
public final class DatasetException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DatasetException(String message) {
    super(message);
  }

  public DatasetException(String message, Throwable cause) {
    super(message, cause);
  }
}
