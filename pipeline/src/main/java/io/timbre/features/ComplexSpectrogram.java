package io.timbre.features;

import static io.timbre.util.Checks.check;

/**
 * A complex STFT, frames × (n_fft/2 + 1) bins, row-major: what {@link ComplexStft} computes and {@link InverseStft}
 * inverts. Separation multiplies its magnitude by masks and keeps its phase.
 */
public record ComplexSpectrogram(int frames, int bins, double[] re, double[] im) {
  public ComplexSpectrogram {
    check(frames >= 0 && bins > 0, "Cannot build spectrogram: %s frames x %s bins", frames, bins);
    check(re.length == frames * bins && im.length == frames * bins,
        "Cannot build spectrogram: %s x %s needs %s values, got %s real and %s imaginary", frames, bins,
        frames * bins, re.length, im.length);
  }

  /** |X| per frame and bin, row-major. */
  public float[] magnitude() {
    float[] m = new float[re.length];
    for (int i = 0; i < m.length; i++) {
      m[i] = (float) Math.hypot(re[i], im[i]);
    }
    return m;
  }

  /**
   * The spectrogram with each bin's magnitude replaced by {@code magnitude} (row-major, same shape) and its phase
   * kept; where |X| is 0 the phase is taken as 0.
   */
  public ComplexSpectrogram withMagnitude(float[] magnitude) {
    check(magnitude.length == re.length, "Cannot apply magnitudes: %s values for a %s x %s spectrogram",
        magnitude.length, frames, bins);
    double[] r = new double[re.length];
    double[] i = new double[re.length];
    for (int k = 0; k < r.length; k++) {
      double abs = Math.hypot(re[k], im[k]);
      if (abs > 0) {
        r[k] = re[k] / abs * magnitude[k];
        i[k] = im[k] / abs * magnitude[k];
      } else {
        r[k] = magnitude[k];
      }
    }
    return new ComplexSpectrogram(frames, bins, r, i);
  }

  /** Each bin multiplied by a real gain (a mask), row-major. */
  public ComplexSpectrogram masked(float[] mask) {
    check(mask.length == re.length, "Cannot apply mask: %s values for a %s x %s spectrogram", mask.length, frames,
        bins);
    double[] r = new double[re.length];
    double[] i = new double[re.length];
    for (int k = 0; k < r.length; k++) {
      r[k] = re[k] * mask[k];
      i[k] = im[k] * mask[k];
    }
    return new ComplexSpectrogram(frames, bins, r, i);
  }
}
