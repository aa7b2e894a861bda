package io.timbre.exceptions;


/** Reading or writing a file system or object store failed; the message names the path and the cause. */
public class StorageException extends TimbreException {
  private static final long serialVersionUID = 1L;

  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
