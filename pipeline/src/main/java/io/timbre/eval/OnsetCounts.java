package io.timbre.eval;

import java.io.Serializable;

/**
 * Onset detection counts with mir_eval's conventions ({@code mir_eval.onset.f_measure}): an estimated onset matches
 * at most one reference onset within ± a tolerance window (50 ms by default), precision = matched / estimated,
 * recall = matched / reference. Estimates come from activations by peak picking: a frame whose activation is at
 * least the threshold and a local maximum.
 *
 * <p>For points on a line with a symmetric window, matching greedily in time order yields a maximum matching, so
 * the counts equal mir_eval's Hopcroft–Karp result.
 */
public record OnsetCounts(long truePositives, long falsePositives, long falseNegatives) implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final OnsetCounts ZERO = new OnsetCounts(0, 0, 0);

  public OnsetCounts plus(OnsetCounts o) {
    return new OnsetCounts(truePositives + o.truePositives, falsePositives + o.falsePositives,
        falseNegatives + o.falseNegatives);
  }

  /** Scores estimated against reference onset frames (both ascending) with a tolerance in frames. */
  public static OnsetCounts match(int[] reference, int[] estimated, int tolerance) {
    boolean[] used = new boolean[estimated.length];
    long tp = 0;
    int from = 0;
    for (int r : reference) {
      while (from < estimated.length && estimated[from] < r - tolerance) {
        from++;
      }
      for (int i = from; i < estimated.length && estimated[i] <= r + tolerance; i++) {
        if (!used[i]) {
          used[i] = true;
          tp++;
          break;
        }
      }
    }
    return new OnsetCounts(tp, estimated.length - tp, reference.length - tp);
  }

  /** Frames that are local maxima of {@code activation[from..to)} with value ≥ threshold (plateaus: first frame). */
  public static int[] peaks(float[] activation, int stride, int offset, int frames, double threshold) {
    int[] out = new int[frames];
    int n = 0;
    for (int t = 0; t < frames; t++) {
      float v = activation[t * stride + offset];
      float prev = t > 0 ? activation[(t - 1) * stride + offset] : Float.NEGATIVE_INFINITY;
      float next = t + 1 < frames ? activation[(t + 1) * stride + offset] : Float.NEGATIVE_INFINITY;
      if (v >= threshold && v > prev && v >= next) {
        out[n++] = t;
      }
    }
    return java.util.Arrays.copyOf(out, n);
  }

  public double precision() {
    long est = truePositives + falsePositives;
    return est == 0 ? 0 : truePositives / (double) est;
  }

  public double recall() {
    long ref = truePositives + falseNegatives;
    return ref == 0 ? 0 : truePositives / (double) ref;
  }

  /** F-measure; 0 when there is nothing to find and nothing found (mir_eval returns 0 there too). */
  public double f1() {
    double p = precision();
    double r = recall();
    return p + r == 0 ? 0 : 2 * p * r / (p + r);
  }
}
