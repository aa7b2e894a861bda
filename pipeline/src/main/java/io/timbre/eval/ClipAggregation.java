package io.timbre.eval;


/**
 * Clip-level decisions from segment-level probabilities (segments × classes), aggregated in double precision so a
 * decision against a threshold is the one numpy makes on the same float32 outputs
 * ({@code segments.astype(np.float64).mean(axis=0) >= theta}): a float32 mean can land on the other side of θ.
 *
 * <ul>
 *   <li>{@link #mean}: class-wise mean, the single-label rule (then {@link #argmax}).</li>
 *   <li>{@link #s1} (Han et al. 2017, S1): class-wise mean, then a class is present when its mean ≥ θ.</li>
 *   <li>{@link #s2} (Han et al. 2017, S2): class-wise sum, normalised so the top class is 1, then ≥ θ; the top
 *       class is therefore always predicted.</li>
 * </ul>
 */
public final class ClipAggregation {
  private ClipAggregation() {}

  /** Class-wise mean: the sum over segments in order, divided by their number (numpy's {@code mean(axis=0)}). */
  public static double[] mean(float[][] segments) {
    double[] m = sum(segments);
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
  public static double[] s2Scores(float[][] segments) {
    double[] s = sum(segments);
    double max = 0;
    for (double v : s) {
      max = Math.max(max, v);
    }
    for (int c = 0; c < s.length; c++) {
      s[c] = max > 0 ? s[c] / max : 0;
    }
    return s;
  }

  public static boolean[] threshold(double[] scores, double theta) {
    boolean[] out = new boolean[scores.length];
    for (int c = 0; c < scores.length; c++) {
      out[c] = scores[c] >= theta;
    }
    return out;
  }

  /**
   * The best class, ties to the <em>highest</em> index: the first class of scikit-learn's top-k ranking
   * ({@code np.argsort(scores, kind="mergesort")[::-1]}), so that accuracy equals {@code top_k_accuracy_score(k=1)}.
   */
  public static int argmax(double[] scores) {
    int best = 0;
    for (int c = 1; c < scores.length; c++) {
      if (scores[c] >= scores[best]) {
        best = c;
      }
    }
    return best;
  }

  /** {@link #argmax(double[])} of float scores, same tie rule. */
  public static int argmax(float[] scores) {
    int best = 0;
    for (int c = 1; c < scores.length; c++) {
      if (scores[c] >= scores[best]) {
        best = c;
      }
    }
    return best;
  }

  private static double[] sum(float[][] segments) {
    if (segments.length == 0) {
      throw new IllegalArgumentException("Cannot aggregate a clip without segments");
    }
    double[] s = new double[segments[0].length];
    for (float[] seg : segments) {
      if (seg.length != s.length) {
        throw new IllegalArgumentException("Cannot aggregate segments of " + s.length + " and " + seg.length
            + " classes");
      }
      for (int c = 0; c < s.length; c++) {
        s[c] += seg[c];
      }
    }
    return s;
  }
}
