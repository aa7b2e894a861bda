package io.timbre.separation;

import io.timbre.exceptions.BadInputException;

/** A clip that cannot be separated or scored as given; the ingest quarantines it under {@link #reason()}. */
public final class SeparationInputException extends BadInputException {
  private static final long serialVersionUID = 1L;
  private final String path;
  private final String reason;

  public SeparationInputException(String path, String reason, String message) {
    super(message);
    this.path = path;
    this.reason = reason;
  }

  /** The file the problem is about. */
  public String path() {
    return path;
  }

  /** A short class of problem, recorded as the quarantine's error class. */
  public String reason() {
    return reason;
  }
}
