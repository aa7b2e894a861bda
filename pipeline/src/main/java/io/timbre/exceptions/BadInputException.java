package io.timbre.exceptions;


/** Input data that cannot be used as given: a dataset root, an audio file or an annotation, or a list of them. */
public class BadInputException extends TimbreException {
  private static final long serialVersionUID = 1L;

  public BadInputException(String message) {
    super(message);
  }

  public BadInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
