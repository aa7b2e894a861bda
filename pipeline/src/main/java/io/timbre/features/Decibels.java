package io.timbre.features;


/**
 * librosa's {@code power_to_db} / {@code amplitude_to_db}, in place over a range of values.
 *
 * <p>The two steps are separate because the top_db floor depends on the maximum over "the array passed in": over a
 * whole clip or over each segment (see {@link TopDbUnit}). Callers convert once, then floor each unit.
 */
public final class Decibels {
  private Decibels() {}

  /**
   * values[i] ← 10·log10(max(amin, v)) − 10·log10(max(amin, ref)) for power values; for amplitude values the same of
   * v², ref², amin² (what amplitude_to_db does). The logarithm is {@link Log10}, which the SIMD kernel reproduces bit
   * for bit, so scalar and vector kernels, streaming and whole-signal extraction give identical values.
   *
   * @return the maximum dB value in the range (for {@link #floor})
   */
  public static double toDb(double[] values, int from, int to, double ref, double amin, boolean amplitude) {
    double a = amplitude ? amin * amin : amin;
    double r = amplitude ? ref * ref : ref;
    double offset = 10.0 * Log10.log10(Math.max(a, r));
    double max = Double.NEGATIVE_INFINITY;
    for (int i = from; i < to; i++) {
      double v = values[i];
      if (amplitude) {
        v = v * v;
      }
      double db = 10.0 * Log10.log10(Math.max(a, v)) - offset;
      values[i] = db;
      if (db > max) {
        max = db;
      }
    }
    return max;
  }

  /** values[i] ← max(values[i], max − topDb) over the range. */
  public static void floor(double[] values, int from, int to, double max, double topDb) {
    double f = max - topDb;
    for (int i = from; i < to; i++) {
      if (values[i] < f) {
        values[i] = f;
      }
    }
  }

  /** The maximum of a range. */
  public static double max(double[] values, int from, int to) {
    double max = Double.NEGATIVE_INFINITY;
    for (int i = from; i < to; i++) {
      max = Math.max(max, values[i]);
    }
    return max;
  }
}
