package io.timbre.features;

import static io.timbre.util.Checks.check;

import org.jtransforms.fft.DoubleFFT_1D;

/**
 * librosa's {@code istft(stft_matrix, hop_length, win_length, n_fft, window, center, length)}: each frame's inverse
 * real FFT times the synthesis window (the analysis window), overlap-added every hop samples, divided by the
 * overlap-added squared window wherever that sum is above the smallest normal double, then the first n_fft/2 samples
 * dropped when the spec centres and the result cut or zero-padded to {@code length}. An STFT by {@link ComplexStft}
 * with a window satisfying the constant-overlap-add condition (Hann with hop ≤ n_fft/4) comes back to its signal to
 * rounding error.
 */
public final class InverseStft {
  private final FeatureSpec spec;
  private final double[] window;
  private final DoubleFFT_1D fft;

  public InverseStft(FeatureSpec spec) {
    this.spec = spec;
    this.window = FeatureExtractor.analysisWindow(spec);
    this.fft = new DoubleFFT_1D(spec.nFft());
  }

  /** The signal of {@code length} samples whose STFT is closest to {@code s} in the least-squares sense. */
  public float[] inverse(ComplexSpectrogram s, int length) {
    int nFft = spec.nFft();
    int hop = spec.hopLength();
    check(s.bins() == spec.nBins(), "Cannot invert STFT: %s bins, the spec's n_fft %s gives %s", s.bins(), nFft,
        spec.nBins());
    check(length >= 0, "Cannot invert STFT: length must be >= 0: %s", length);
    int start = spec.center() ? nFft / 2 : 0;
    long padded = length + 2L * start;
    int frames = (int) Math.min(s.frames(), (padded + hop - 1) / hop);
    if (frames == 0) {
      return new float[length];
    }
    int total = nFft + hop * (frames - 1);
    double[] y = new double[total];
    double[] norm = new double[total];
    double[] buf = new double[nFft];
    int bins = s.bins();
    for (int f = 0; f < frames; f++) {
      int row = f * bins;
      buf[0] = s.re()[row];
      buf[1] = s.re()[row + bins - 1];
      for (int k = 1; k < bins - 1; k++) {
        buf[2 * k] = s.re()[row + k];
        buf[2 * k + 1] = s.im()[row + k];
      }
      fft.realInverse(buf, true);
      int at = f * hop;
      for (int i = 0; i < nFft; i++) {
        y[at + i] += buf[i] * window[i];
        norm[at + i] += window[i] * window[i];
      }
    }
    float[] out = new float[length];
    for (int t = 0; t < length && t + start < total; t++) {
      double w = norm[t + start];
      double v = y[t + start];
      out[t] = (float) (w > Double.MIN_NORMAL ? v / w : v);
    }
    return out;
  }
}
