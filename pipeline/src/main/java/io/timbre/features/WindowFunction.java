package io.timbre.features;

import io.timbre.util.Identified;

/**
 * Analysis windows, periodic ("fftbins=True") as {@code scipy.signal.get_window} builds them for librosa's STFT.
 *
 * <p>Periodic rather than symmetric because a periodic window of length N is the symmetric window of length N+1 with
 * its last sample dropped, which is what makes overlapping frames sum evenly; librosa uses it and so must we.
 */
public enum WindowFunction implements Identified {
  HANN("hann"),
  HAMMING("hamming"),
  BLACKMAN("blackman"),
  RECTANGULAR("boxcar");

  private final String scipyName;

  WindowFunction(String scipyName) {
    this.scipyName = scipyName;
  }

  /** The name scipy and librosa use ({@code window='hann'}); also the spec's JSON value. */
  public String scipyName() {
    return scipyName;
  }

  @Override
  public String id() {
    return scipyName;
  }

  public static WindowFunction fromName(String name) {
    return Identified.parse(WindowFunction.class, name, "window");
  }

  /** The window's {@code length} coefficients, periodic. */
  public double[] coefficients(int length) {
    double[] w = new double[length];
    for (int n = 0; n < length; n++) {
      double x = 2 * Math.PI * n / length;
      w[n] = switch (this) {
        case HANN -> 0.5 - 0.5 * Math.cos(x);
        case HAMMING -> 0.54 - 0.46 * Math.cos(x);
        case BLACKMAN -> 0.42 - 0.5 * Math.cos(x) + 0.08 * Math.cos(2 * x);
        case RECTANGULAR -> 1.0;
      };
    }
    return w;
  }
}
