package io.timbre.eval;

import java.util.Arrays;

/**
 * Melody extraction metrics defined as {@code mir_eval.melody.evaluate(ref_time, ref_freq, est_time, est_freq,
 * hop=0.01)} of mir_eval 0.7 (binary voicing, no voicing confidence, 50-cent tolerance), step for step:
 * <ol>
 *   <li>a series whose first time is after 0 gets a sample at 0 holding its first frequency;</li>
 *   <li>voicing is {@code f > 0}; frequencies become {@code |f|} (a negative estimate is a pitch guess for a frame
 *       called unvoiced) and then cents above 10 Hz, 0 staying 0;</li>
 *   <li>each series is resampled, <em>in cents</em>, to its own 10 ms grid from 0 to its last time
 *       ({@code resample_melody_series}, skipped when the times are already {@code allclose} to the grid): cents are
 *       held through unvoiced samples and interpolated linearly, then zeroed where a zero-order hold of the
 *       original is 0; voicing is zero-order held;</li>
 *   <li>the estimate is padded with unvoiced frames, or cut, to the reference's length;</li>
 *   <li>a frame's pitch is right when both cents are non-zero and differ by strictly less than 50 cents (chroma:
 *       after removing whole octaves); a reference without voiced frames has voicing recall 1.</li>
 * </ol>
 * Interpolation and the {@code allclose} test use scipy's and numpy's formulas, so results match to the last bit
 * except where {@code np.log2} and {@link Cents#log2} round a frequency's cents differently and the difference lands
 * exactly on 50.000 cents (see {@link Cents}).
 */
public final class MelodyMetrics {
  public static final double HOP = 0.01;
  public static final double CENT_TOLERANCE = 50;
  /** The reference definition these figures follow, as recorded in metrics.json. */
  public static final String DEFINITION = "mir_eval 0.7 melody.evaluate, hop 0.01, cent_tolerance 50";

  private MelodyMetrics() {}

  /** The five figures of one track, named as mir_eval names them. */
  public record Scores(double voicingRecall, double voicingFalseAlarm, double rawPitchAccuracy,
      double rawChromaAccuracy, double overallAccuracy) {}

  /** Cents and binary voicing of one series on its 10 ms grid. */
  private record Series(double[] cents, double[] voicing) {}

  /**
   * @param refFreq reference f0 in Hz, 0 = unvoiced
   * @param estFreq estimated f0 in Hz, 0 = unvoiced, negative = unvoiced with a pitch guess
   * @throws IllegalArgumentException when a series is empty, its arrays differ in length, its times do not increase
   *     strictly from ≥ 0, or a value is not finite
   */
  public static Scores evaluate(double[] refTimes, double[] refFreq, double[] estTimes, double[] estFreq) {
    check(refTimes, refFreq, "reference");
    check(estTimes, estFreq, "estimate");
    Series ref = onGrid(refTimes, refFreq);
    Series est = onGrid(estTimes, estFreq);
    int n = ref.cents().length;
    double[] estCents = Arrays.copyOf(est.cents(), n); // pads with unvoiced (0) frames, or cuts
    double[] estVoicing = Arrays.copyOf(est.voicing(), n);
    return score(ref.cents(), ref.voicing(), estCents, estVoicing);
  }

  static Scores score(double[] refCents, double[] refVoicing, double[] estCents, double[] estVoicing) {
    int n = refCents.length;
    double refVoiced = 0;
    double detected = 0;
    double refUnvoiced = 0;
    double falseAlarms = 0;
    double pitch = 0;
    double chroma = 0;
    double voicedRight = 0;
    double unvoicedRight = 0;
    boolean anyBothPitched = false;
    for (int i = 0; i < n; i++) {
      boolean voiced = refVoicing[i] > 0;
      refVoiced += voiced ? 1 : 0;
      detected += voiced ? estVoicing[i] : 0;
      refUnvoiced += voiced ? 0 : 1;
      falseAlarms += voiced ? 0 : estVoicing[i];
      unvoicedRight += voiced ? 0 : 1 - estVoicing[i];
      if (estCents[i] != 0 && refCents[i] != 0) {
        anyBothPitched = true;
        double diff = Math.abs(refCents[i] - estCents[i]);
        if (diff < CENT_TOLERANCE) {
          pitch += refVoicing[i];
          voicedRight += refVoicing[i] * estVoicing[i];
        }
        double octave = 1200.0 * Math.floor(diff / 1200 + 0.5);
        if (Math.abs(diff - octave) < CENT_TOLERANCE) {
          chroma += refVoicing[i];
        }
      }
    }
    if (n == 0) {
      return new Scores(0, 0, 0, 0, 0);
    }
    double recall = refVoiced == 0 ? 1 : detected / refVoiced;
    double falseAlarm = refUnvoiced == 0 ? 0 : falseAlarms / refUnvoiced;
    boolean pitchDefined = refVoiced > 0 && anyBothPitched;
    double rawPitch = pitchDefined ? pitch / refVoiced : 0;
    double rawChroma = pitchDefined ? chroma / refVoiced : 0;
    double overall = ((refVoiced == 0 ? 0 : voicedRight) + unvoicedRight) / n;
    return new Scores(recall, falseAlarm, rawPitch, rawChroma, overall);
  }

  /** Steps 1–3 for one series. */
  private static Series onGrid(double[] times, double[] freq) {
    double[] t = times;
    double[] f = freq;
    if (t[0] > 0) {
      t = prepend(t, 0);
      f = prepend(f, f[0]);
    }
    double[] voicing = new double[f.length];
    double[] cents = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      voicing[i] = f[i] > 0 ? 1 : 0;
      cents[i] = f[i] == 0 ? 0 : Cents.above10Hz(Math.abs(f[i]));
    }
    return resample(t, cents, voicing, grid(t[t.length - 1]));
  }

  /** {@code constant_hop_timebase(0.01, end)}. */
  static double[] grid(double endTime) {
    double end = round10(endTime);
    int frames = (int) Math.floor(end / HOP);
    double[] g = new double[frames + 1];
    double last = HOP * frames;
    for (int i = 0; i <= frames; i++) {
      g[i] = round10(linspace(last, frames, i));
    }
    return g;
  }

  /** {@code np.linspace(0, stop, num + 1)[i]}: step = stop / num, then i * step; the end point is exact. */
  private static double linspace(double stop, int num, int i) {
    if (num == 0) {
      return 0;
    }
    if (i == num) {
      return stop;
    }
    double step = stop / num;
    return step == 0 ? i / (double) num * stop : i * step;
  }

  /** {@code resample_melody_series(times, cents, voicing, grid, kind='linear')} with binary voicing. */
  static Series resample(double[] times, double[] cents, double[] voicing, double[] grid) {
    if (times.length == grid.length && allClose(times, grid)) {
      return new Series(cents, voicing);
    }
    double[] t = Arrays.stream(times).map(MelodyMetrics::round10).toArray();
    double[] x = Arrays.stream(grid).map(MelodyMetrics::round10).toArray();
    double[] f = cents;
    double[] v = voicing;
    double gridMax = Arrays.stream(x).max().orElse(0);
    if (gridMax > t[t.length - 1]) {
      t = append(t, gridMax);
      f = append(f, 0);
      v = append(v, 0);
    }
    double[] held = f.clone();
    for (int i = 1; i < held.length; i++) {
      if (f[i] == 0) {
        held[i] = held[i - 1];
      }
    }
    double[] outCents = new double[x.length];
    double[] outVoicing = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      double mask = zeroOrderHold(t, f, x[i]);
      outCents[i] = mask != 0 ? linear(t, held, x[i]) : 0;
      outVoicing[i] = zeroOrderHold(t, v, x[i]);
    }
    return new Series(outCents, outVoicing);
  }

  /** scipy's {@code interp1d(kind='linear')}: the segment left of the first sample ≥ x, clipped to [1, n-1]. */
  private static double linear(double[] t, double[] y, double x) {
    int hi = Math.min(Math.max(searchLeft(t, x), 1), t.length - 1);
    int lo = hi - 1;
    double slope = (y[hi] - y[lo]) / (t[hi] - t[lo]);
    return slope * (x - t[lo]) + y[lo];
  }

  /** scipy's {@code interp1d(kind='zero')}: the value of the last sample at or before x. */
  private static double zeroOrderHold(double[] t, double[] y, double x) {
    int k = searchRight(t, x) - 1;
    if (k < 0 || x > t[t.length - 1]) {
      throw new IllegalStateException("Cannot interpolate at " + x + " outside [" + t[0] + ", " + t[t.length - 1]
          + "]");
    }
    return y[k];
  }

  /** numpy's {@code searchsorted(a, x, side='left')}: the first index with a[i] ≥ x. */
  private static int searchLeft(double[] a, double x) {
    int lo = 0;
    int hi = a.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (a[mid] < x) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** numpy's {@code searchsorted(a, x, side='right')}: the first index with a[i] > x. */
  private static int searchRight(double[] a, double x) {
    int lo = 0;
    int hi = a.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (a[mid] <= x) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** numpy's {@code allclose(a, b)}: |a − b| ≤ 1e-8 + 1e-5·|b| everywhere. */
  private static boolean allClose(double[] a, double[] b) {
    for (int i = 0; i < a.length; i++) {
      if (!(Math.abs(a[i] - b[i]) <= 1e-8 + 1e-5 * Math.abs(b[i]))) {
        return false;
      }
    }
    return true;
  }

  /** numpy's {@code round(x, 10)}: scale, round half to even, unscale. */
  static double round10(double x) {
    return Math.rint(x * 1e10) / 1e10;
  }

  private static void check(double[] times, double[] freq, String which) {
    if (times.length == 0) {
      throw new IllegalArgumentException("Cannot evaluate melody: the " + which + " series is empty");
    }
    if (times.length != freq.length) {
      throw new IllegalArgumentException("Cannot evaluate melody: the " + which + " series has " + times.length
          + " times and " + freq.length + " frequencies");
    }
    for (int i = 0; i < times.length; i++) {
      if (!Double.isFinite(times[i]) || !Double.isFinite(freq[i])) {
        throw new IllegalArgumentException("Cannot evaluate melody: the " + which + " series has a non-finite value"
            + " at index " + i + " (time " + times[i] + ", frequency " + freq[i] + ")");
      }
      if (i == 0 ? times[i] < 0 : times[i] <= times[i - 1]) {
        throw new IllegalArgumentException("Cannot evaluate melody: the " + which + " series' times must increase"
            + " strictly from ≥ 0, index " + i + " has " + times[i]
            + (i == 0 ? "" : " after " + times[i - 1]));
      }
    }
  }

  private static double[] prepend(double[] a, double v) {
    double[] out = new double[a.length + 1];
    out[0] = v;
    System.arraycopy(a, 0, out, 1, a.length);
    return out;
  }

  private static double[] append(double[] a, double v) {
    double[] out = Arrays.copyOf(a, a.length + 1);
    out[a.length] = v;
    return out;
  }
}
