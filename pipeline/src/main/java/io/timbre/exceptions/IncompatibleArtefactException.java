package io.timbre.exceptions;


/**
 * An artefact Timbre wrote earlier (a feature table, a training run, a model, an alias, an evaluation) that is missing,
 * unpublished, damaged, of an unknown format, or that does not fit what it is used for (a model asked to score features
 * of another spec, a table of another label vocabulary).
 */
public class IncompatibleArtefactException extends TimbreException {
  private static final long serialVersionUID = 1L;

  public IncompatibleArtefactException(String message) {
    super(message);
  }

  public IncompatibleArtefactException(String message, Throwable cause) {
    super(message, cause);
  }
}
