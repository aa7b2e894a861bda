package io.timbre.features;

import org.jtransforms.fft.DoubleFFT_1D;

/** One frame at a time with JTransforms' real FFT: the reference path, for any even n_fft and any JVM. */
final class ScalarSpectra implements SpectraKernel {
  private final int nFft;
  private final int nBins;
  private final boolean magnitude;
  private final double[] window;
  private final DoubleFFT_1D fft;
  private final double[] frame;
  private final double[] spectrum;

  ScalarSpectra(FeatureSpec spec, double[] window) {
    this.nFft = spec.nFft();
    this.nBins = spec.nBins();
    this.magnitude = spec.power() == 1.0;
    this.window = window;
    this.fft = new DoubleFFT_1D(nFft);
    this.frame = new double[nFft];
    this.spectrum = new double[nBins];
  }

  @Override
  public int batch() {
    return 1;
  }

  @Override
  public void compute(float[][] src, int[] off, int count, MelFilterbank mel, double[] out, int row0, int stride) {
    for (int f = 0; f < count; f++) {
      float[] y = src[f];
      int s = off[f];
      for (int i = 0; i < nFft; i++) {
        frame[i] = y[s + i] * window[i];
      }
      fft.realForward(frame);
      double[] p = spectrum;
      p[0] = frame[0] * frame[0];
      p[nBins - 1] = frame[1] * frame[1];
      for (int k = 1; k < nBins - 1; k++) {
        double re = frame[2 * k];
        double im = frame[2 * k + 1];
        p[k] = re * re + im * im;
      }
      if (magnitude) {
        for (int k = 0; k < nBins; k++) {
          p[k] = Math.sqrt(p[k]);
        }
      }
      if (mel != null) {
        mel.apply(p, out, (row0 + f) * stride);
      } else {
        System.arraycopy(p, 0, out, (row0 + f) * stride, nBins);
      }
    }
  }

  @Override
  public double toDb(double[] values, int from, int to, double ref, double amin, boolean amplitude) {
    return Decibels.toDb(values, from, to, ref, amin, amplitude);
  }

  @Override
  public void dct(Dct dct, double[] in, int frames, int inStride, double[] out, int outStride) {
    for (int t = 0; t < frames; t++) {
      dct.apply(in, t * inStride, out, t * outStride);
    }
  }
}
