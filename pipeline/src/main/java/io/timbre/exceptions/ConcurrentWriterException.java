package io.timbre.exceptions;


/** Another run holds the write lease of a table (or left a stale one that was not to be broken); names the holder. */
public class ConcurrentWriterException extends TimbreException {
  private static final long serialVersionUID = 1L;

  public ConcurrentWriterException(String message) {
    super(message);
  }
}
