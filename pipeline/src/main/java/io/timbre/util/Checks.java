package io.timbre.util;


/** Argument guards in the Iceberg style: {@code check(n > 0, "Cannot build spec: n_fft must be positive: %s", n)}. */
public final class Checks {
  private Checks() {}

  /** Throws {@link IllegalArgumentException} with the formatted message when {@code condition} is false. */
  public static void check(boolean condition, String messageFormat, Object... args) {
    if (!condition) {
      throw new IllegalArgumentException(String.format(messageFormat, args));
    }
  }
}
