package io.timbre.testing;

import java.util.List;

/**
 * What a parser under fuzzing may do with bad input: refuse it with one of its declared exception types and a message
 * (naming the file, where the parser knows it). Anything else — a bare NumberFormatException, an index or null-pointer
 * error, a parser library's own runtime exception, a StackOverflowError — fails the fuzz test as a finding.
 */
public final class FuzzContract {
  private FuzzContract() {}

  /**
   * Rethrows {@code e} as a finding unless it is one of {@code declared} with a message that contains {@code source}
   * (null: any non-empty message).
   */
  public static void requireDeclared(Throwable e, String source, List<Class<? extends Throwable>> declared) {
    boolean typed = declared.stream().anyMatch(c -> c.isInstance(e)) && !(e instanceof NumberFormatException);
    String m = e.getMessage();
    if (!typed || m == null || m.isBlank() || (source != null && !m.contains(source))) {
      throw new AssertionError("not a declared, named refusal: " + e.getClass().getName() + ": " + m, e);
    }
  }

  /** Fails unless {@code ok}: a parsed value that breaks the parser's own promise (NaN time, negative onset, …). */
  public static void require(boolean ok, String what) {
    if (!ok) {
      throw new AssertionError("parsed value breaks its contract: " + what);
    }
  }
}
