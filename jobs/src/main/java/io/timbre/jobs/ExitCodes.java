package io.timbre.jobs;

import io.timbre.backend.RequiredBackend.BackendUnavailableException;
import io.timbre.exceptions.TimbreException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.Optional;

/**
 * The one place where failures become exit codes and one-line messages. A failure the user can act on (bad input, bad
 * config, an incompatible artefact, storage, another writer, a full disk) exits {@link #USER_ERROR} with one line
 * naming the file; a missing GPU backend exits {@link #BACKEND_UNAVAILABLE}; anything else is a bug and keeps its
 * stack trace.
 */
final class ExitCodes {
  static final int OK = 0;
  static final int USER_ERROR = 2;
  static final int BACKEND_UNAVAILABLE = 3;

  private ExitCodes() {}

  /** An exit code and the line to print, or empty when the failure is unexpected. */
  record Outcome(int code, String line) {}

  static Optional<Outcome> of(Throwable e) {
    if (e instanceof NoSuchFileException) {
      return Optional.of(new Outcome(USER_ERROR, "no such file: " + ConsoleLine.escape(e.getMessage())));
    }
    if (e instanceof BackendUnavailableException) {
      return Optional.of(new Outcome(BACKEND_UNAVAILABLE, ConsoleLine.escape(e.getMessage())));
    }
    if (e instanceof IllegalArgumentException || e instanceof IOException || e instanceof TimbreException) {
      return Optional.of(new Outcome(USER_ERROR, ConsoleLine.escape(e.getMessage())));
    }
    String full = fullDisk(e);
    if (full != null) {
      return Optional.of(new Outcome(USER_ERROR, "no space left on device: " + ConsoleLine.escape(full)
          + " (nothing was published; free space or use another --output, then re-run)"));
    }
    return Optional.empty();
  }

  /** The message of a full-disk error anywhere in the cause chain (Spark wraps it in task and job failures). */
  static String fullDisk(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof IOException && t.getMessage() != null && t.getMessage().contains("No space left on device")) {
        return t.getMessage();
      }
    }
    return null;
  }
}
