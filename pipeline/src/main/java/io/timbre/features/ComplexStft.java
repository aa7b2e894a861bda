package io.timbre.features;

import org.jtransforms.fft.DoubleFFT_1D;

/**
 * The complex STFT with librosa's conventions, as {@link FeatureExtractor}'s spectra: frames every hop samples,
 * centred and padded by n_fft/2 (zeros or reflection, the spec's pad mode) when the spec centres, the periodic window
 * zero-padded to n_fft, and {@code rfft} of each frame. Its magnitude equals the extractor's {@code stft} kind with
 * power 1.
 */
public final class ComplexStft {
  private final FeatureSpec spec;
  private final double[] window;
  private final DoubleFFT_1D fft;

  public ComplexStft(FeatureSpec spec) {
    this.spec = spec;
    this.window = FeatureExtractor.analysisWindow(spec);
    this.fft = new DoubleFFT_1D(spec.nFft());
  }

  public FeatureSpec spec() {
    return spec;
  }

  /** The STFT of {@code samples}, which must already be at the spec's sample rate. */
  public ComplexSpectrogram forward(float[] samples) {
    int nFft = spec.nFft();
    int bins = spec.nBins();
    int frames = spec.frameCount(samples.length);
    double[] re = new double[frames * bins];
    double[] im = new double[frames * bins];
    float[] frame = new float[nFft];
    double[] buf = new double[nFft];
    boolean reflect = spec.padMode() == PadMode.REFLECT;
    long offset = spec.center() ? nFft / 2 : 0;
    for (int f = 0; f < frames; f++) {
      FramePadding.fill(samples, 0, (long) f * spec.hopLength() - offset, samples.length, reflect, frame);
      for (int i = 0; i < nFft; i++) {
        buf[i] = frame[i] * window[i];
      }
      fft.realForward(buf);
      int row = f * bins;
      re[row] = buf[0];
      re[row + bins - 1] = buf[1];
      for (int k = 1; k < bins - 1; k++) {
        re[row + k] = buf[2 * k];
        // JTransforms' forward transform is e^{-i…}, numpy's rfft too: same sign.
        im[row + k] = buf[2 * k + 1];
      }
    }
    return new ComplexSpectrogram(frames, bins, re, im);
  }
}
