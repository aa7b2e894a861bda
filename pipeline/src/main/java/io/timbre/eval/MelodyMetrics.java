package io.timbre.eval;

import java.util.Arrays;

/**
 * mir_eval's melody metrics ({@code mir_eval.melody.evaluate} with binary voicing): both series are resampled to a
 * constant 10 ms timebase ({@code hop}), frequencies converted to cents above 10 Hz, and
 * <ul>
 *   <li>voicing recall / false alarm: estimated-voiced share of reference voiced / unvoiced frames;</li>
 *   <li>raw pitch accuracy: reference-voiced frames whose estimated pitch (voiced or not — a negative estimate is a
 *       pitch guess for a frame the algorithm calls unvoiced) is within 50 cents;</li>
 *   <li>raw chroma accuracy: the same with octave errors forgiven;</li>
 *   <li>overall accuracy: frames right in voicing and, where voiced, in pitch, over all frames.</li>
 * </ul>
 * Resampling follows {@code resample_melody_series}: frequencies are linearly interpolated after holding the last
 * voiced value through unvoiced frames, then zeroed where a zero-order hold of the original says unvoiced; voicing is
 * zero-order held.
 */
public final class MelodyMetrics {
  public static final double HOP = 0.01;
  public static final double CENT_TOLERANCE = 50;
  private static final double BASE_HZ = 10;

  private MelodyMetrics() {}

  /** The five figures of one track. */
  public record Scores(double voicingRecall, double voicingFalseAlarm, double rawPitchAccuracy,
      double rawChromaAccuracy, double overallAccuracy) {}

  /**
   * @param refFreq reference f0 in Hz, 0 = unvoiced
   * @param estFreq estimated f0 in Hz, 0 or negative = unvoiced (negative: a pitch guess)
   */
  public static Scores evaluate(double[] refTimes, double[] refFreq, double[] estTimes, double[] estFreq) {
    double end = round10(max(refTimes));
    int n = (int) Math.floor(end / HOP) + 1;
    double[] grid = new double[n];
    for (int i = 0; i < n; i++) {
      grid[i] = round10(i * HOP);
    }
    double[] refV = voicing(refFreq);
    double[] estV = voicing(estFreq);
    double[] refAbs = abs(refFreq);
    double[] estAbs = abs(estFreq);
    double[][] ref = resample(refTimes, refAbs, refV, grid);
    double[][] est = resample(estTimes, estAbs, estV, grid);
    double[] refCent = cents(ref[0]);
    double[] estCent = cents(est[0]);
    boolean[] rv = new boolean[n];
    boolean[] ev = new boolean[n];
    for (int i = 0; i < n; i++) {
      rv[i] = ref[1][i] > 0.5;
      ev[i] = est[1][i] > 0.5;
    }
    long refVoiced = 0;
    long refUnvoiced = 0;
    long hit = 0;
    long falseAlarm = 0;
    long pitch = 0;
    long chroma = 0;
    long overall = 0;
    for (int i = 0; i < n; i++) {
      if (rv[i]) {
        refVoiced++;
        hit += ev[i] ? 1 : 0;
        boolean bothPitched = refCent[i] != 0 && estCent[i] != 0;
        double diff = Math.abs(refCent[i] - estCent[i]);
        boolean pitchOk = bothPitched && diff <= CENT_TOLERANCE;
        boolean chromaOk = bothPitched && Math.abs(diff - 1200 * Math.floor(diff / 1200 + 0.5)) <= CENT_TOLERANCE;
        pitch += pitchOk ? 1 : 0;
        chroma += chromaOk ? 1 : 0;
        overall += pitchOk && ev[i] ? 1 : 0;
      } else {
        refUnvoiced++;
        falseAlarm += ev[i] ? 1 : 0;
        overall += ev[i] ? 0 : 1;
      }
    }
    return new Scores(ratio(hit, refVoiced), ratio(falseAlarm, refUnvoiced), ratio(pitch, refVoiced),
        ratio(chroma, refVoiced), ratio(overall, n));
  }

  /** [frequencies, voicing] at {@code grid} (mir_eval's resample_melody_series, linear). */
  static double[][] resample(double[] times, double[] freq, double[] voicing, double[] grid) {
    double[] t = Arrays.stream(times).map(MelodyMetrics::round10).toArray();
    double[] f = freq.clone();
    double[] v = voicing.clone();
    if (grid.length > 0 && grid[grid.length - 1] > t[t.length - 1]) {
      t = Arrays.copyOf(t, t.length + 1);
      t[t.length - 1] = grid[grid.length - 1];
      f = Arrays.copyOf(f, f.length + 1);
      v = Arrays.copyOf(v, v.length + 1);
    }
    double[] held = f.clone();
    for (int i = 1; i < held.length; i++) {
      if (f[i] == 0) {
        held[i] = held[i - 1];
      }
    }
    double[] outF = new double[grid.length];
    double[] outV = new double[grid.length];
    int k = 0;
    for (int i = 0; i < grid.length; i++) {
      double x = grid[i];
      while (k + 1 < t.length && t[k + 1] <= x) {
        k++;
      }
      if (x < t[0]) {
        throw new IllegalArgumentException("time " + x + " before the first sample " + t[0]);
      }
      double lin;
      if (k + 1 < t.length && t[k + 1] > t[k]) {
        double w = (x - t[k]) / (t[k + 1] - t[k]);
        lin = held[k] + w * (held[k + 1] - held[k]);
      } else {
        lin = held[k];
      }
      outF[i] = f[k] != 0 ? lin : 0; // zero-order hold of the original decides voicedness of the frequency
      outV[i] = v[k];
    }
    return new double[][] {outF, outV};
  }

  private static double[] voicing(double[] f) {
    return Arrays.stream(f).map(x -> x > 0 ? 1 : 0).toArray();
  }

  private static double[] abs(double[] f) {
    return Arrays.stream(f).map(Math::abs).toArray();
  }

  private static double[] cents(double[] hz) {
    return Arrays.stream(hz).map(f -> f > 0 ? 1200 * Math.log(f / BASE_HZ) / Math.log(2) : 0).toArray();
  }

  private static double max(double[] a) {
    return Arrays.stream(a).max().orElseThrow(() -> new IllegalArgumentException("empty time series"));
  }

  static double round10(double x) {
    return Math.round(x * 1e10) / 1e10;
  }

  private static double ratio(long a, long b) {
    return b == 0 ? 0 : a / (double) b;
  }
}
