package io.timbre.features;

import static io.timbre.util.Checks.check;


/**
 * librosa's {@code filters.mel}: triangular filters, linear in Hz on the rfft bin frequencies, with edges evenly
 * spaced on the mel scale from fmin to fmax, optionally Slaney area-normalised (2 / (f[i+2] − f[i])).
 *
 * <p>Stored sparsely (each band's first non-zero bin and its weights): a 128-band bank over 1025 bins has ~2,100
 * non-zero weights of 131,200, so applying it sparsely is ~60× fewer multiplications than the dense matrix product.
 */
public final class MelFilterbank {
  private final int nMels;
  private final int nBins;
  private final int[] firstBin;
  private final double[][] weights;

  private MelFilterbank(int nMels, int nBins, int[] firstBin, double[][] weights) {
    this.nMels = nMels;
    this.nBins = nBins;
    this.firstBin = firstBin;
    this.weights = weights;
  }

  /** The filterbank the spec describes. */
  public static MelFilterbank of(FeatureSpec spec) {
    return create(spec.sampleRate(), spec.nFft(), spec.nMels(), spec.fmin(), spec.fmax(), spec.melScale(),
        spec.melNormSlaney());
  }

  public static MelFilterbank create(double sampleRate, int nFft, int nMels, double fmin, double fmax,
      MelScale scale, boolean slaneyNorm) {
    check(nMels > 0, "Cannot build mel filterbank: n_mels must be positive: %s", nMels);
    check(fmax > fmin, "Cannot build mel filterbank: fmax %s <= fmin %s", fmax, fmin);
    int nBins = nFft / 2 + 1;
    double[] fftFreqs = new double[nBins];
    double binHz = sampleRate / nFft;
    for (int k = 0; k < nBins; k++) {
      fftFreqs[k] = k * binHz;
    }
    // numpy.linspace(min_mel, max_mel, n_mels + 2) then mel_to_hz.
    double minMel = scale.hzToMel(fmin);
    double maxMel = scale.hzToMel(fmax);
    int nEdges = nMels + 2;
    double step = (maxMel - minMel) / (nEdges - 1);
    double[] melF = new double[nEdges];
    for (int i = 0; i < nEdges; i++) {
      melF[i] = scale.melToHz(i == nEdges - 1 ? maxMel : minMel + i * step);
    }
    int[] first = new int[nMels];
    double[][] w = new double[nMels][];
    double[] row = new double[nBins];
    for (int m = 0; m < nMels; m++) {
      double lowerDiff = melF[m + 1] - melF[m];
      double upperDiff = melF[m + 2] - melF[m + 1];
      double enorm = slaneyNorm ? 2.0 / (melF[m + 2] - melF[m]) : 1.0;
      int lo = -1;
      int hi = -1;
      for (int k = 0; k < nBins; k++) {
        double lower = -(melF[m] - fftFreqs[k]) / lowerDiff;
        double upper = (melF[m + 2] - fftFreqs[k]) / upperDiff;
        double v = Math.max(0.0, Math.min(lower, upper)) * enorm;
        row[k] = v;
        if (v != 0.0) {
          if (lo < 0) {
            lo = k;
          }
          hi = k;
        }
      }
      if (lo < 0) {
        // An empty band (too many mels for this n_fft): librosa warns and keeps an all-zero row.
        first[m] = 0;
        w[m] = new double[0];
      } else {
        first[m] = lo;
        w[m] = java.util.Arrays.copyOfRange(row, lo, hi + 1);
      }
    }
    return new MelFilterbank(nMels, nBins, first, w);
  }

  public int nMels() {
    return nMels;
  }

  public int nBins() {
    return nBins;
  }

  /** out[outOffset + m] = Σ_k W[m,k] · spectrum[k]. */
  public void apply(double[] spectrum, double[] out, int outOffset) {
    for (int m = 0; m < nMels; m++) {
      double[] wm = weights[m];
      int k0 = firstBin[m];
      double s0 = 0;
      double s1 = 0;
      int n = wm.length;
      int j = 0;
      for (; j + 1 < n; j += 2) {
        s0 += wm[j] * spectrum[k0 + j];
        s1 += wm[j + 1] * spectrum[k0 + j + 1];
      }
      if (j < n) {
        s0 += wm[j] * spectrum[k0 + j];
      }
      out[outOffset + m] = s0 + s1;
    }
  }

  /** First non-zero bin of band m. */
  int firstBin(int m) {
    return firstBin[m];
  }

  /** Non-zero weights of band m, from {@link #firstBin(int)} on (not to be modified). */
  double[] weights(int m) {
    return weights[m];
  }

  /** The dense nMels × nBins matrix, row-major (for tests and export). */
  public double[] dense() {
    double[] d = new double[nMels * nBins];
    for (int m = 0; m < nMels; m++) {
      System.arraycopy(weights[m], 0, d, m * nBins + firstBin[m], weights[m].length);
    }
    return d;
  }

  /** Non-zero weights in the bank. */
  public int nonZeros() {
    int n = 0;
    for (double[] w : weights) {
      n += w.length;
    }
    return n;
  }
}
