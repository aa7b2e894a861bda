package io.timbre.eval;

/**
 * Clip-level decisions from segment-level probabilities (segments × classes).
 *
 * <ul>
 *   <li>{@link #mean}: class-wise mean, the single-label rule (then arg-max).</li>
 *   <li>{@link #s1} (Han et al. 2017, S1): class-wise mean, then a class is present when its mean ≥ θ.</li>
 *   <li>{@link #s2} (Han et al. 2017, S2): class-wise sum, normalised so the top class is 1, then ≥ θ; the top
 *       class is therefore always predicted.</li>
 * </ul>
 */
public final class ClipAggregation {
  private ClipAggregation() {}

  public static float[] mean(float[][] segments) {
    float[] m = sum(segments);
    for (int c = 0; c < m.length; c++) {
      m[c] /= segments.length;
    }
    return m;
  }

  public static boolean[] s1(float[][] segments, double theta) {
    return threshold(mean(segments), theta);
  }

  public static boolean[] s2(float[][] segments, double theta) {
    return threshold(s2Scores(segments), theta);
  }

  /** The S2 scores: class-wise sums divided by their maximum. */
  public static float[] s2Scores(float[][] segments) {
    float[] s = sum(segments);
    float max = 0;
    for (float v : s) {
      max = Math.max(max, v);
    }
    for (int c = 0; c < s.length; c++) {
      s[c] = max > 0 ? s[c] / max : 0;
    }
    return s;
  }

  public static boolean[] threshold(float[] scores, double theta) {
    boolean[] out = new boolean[scores.length];
    for (int c = 0; c < scores.length; c++) {
      out[c] = scores[c] >= theta;
    }
    return out;
  }

  public static int argmax(float[] scores) {
    int best = 0;
    for (int c = 1; c < scores.length; c++) {
      if (scores[c] > scores[best]) {
        best = c;
      }
    }
    return best;
  }

  private static float[] sum(float[][] segments) {
    if (segments.length == 0) {
      throw new IllegalArgumentException("a clip needs at least one segment");
    }
    float[] s = new float[segments[0].length];
    for (float[] seg : segments) {
      for (int c = 0; c < s.length; c++) {
        s[c] += seg[c];
      }
    }
    return s;
  }
}
