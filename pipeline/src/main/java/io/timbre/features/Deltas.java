package io.timbre.features;

import static io.timbre.util.Checks.check;


/**
 * librosa's {@code feature.delta(data, width, order, axis=time, mode='interp')}: a Savitzky–Golay derivative
 * ({@code scipy.signal.savgol_filter(window_length=width, polyorder=order, deriv=order)}) along time.
 *
 * <p>Inside, the filter is the least-squares derivative over {@code width} frames: Σ k·x[t+k] / Σ k² for order 1 and
 * 2·Σ (k² − m)·x[t+k] / Σ (k² − m)² (m = mean k²) for order 2. At the edges mode 'interp' fits the same polynomial to
 * the first (last) {@code width} frames and evaluates its derivative there; for polyorder = deriv that derivative is
 * constant, so the edge frames take the value of the first (last) interior frame. Like librosa, this needs at least
 * {@code width} frames.
 */
public final class Deltas {
  private Deltas() {}

  /** Coefficients c[j] for offsets k = j − width/2, applied as Σ c[j]·x[t+k]. */
  static double[] coefficients(int width, int order) {
    check(width >= 3 && width % 2 == 1, "Cannot compute deltas: width must be odd and >= 3: %s", width);
    check(order == 1 || order == 2, "Cannot compute deltas: order must be 1 or 2: %s", order);
    int h = width / 2;
    double[] c = new double[width];
    if (order == 1) {
      double denom = 0;
      for (int k = -h; k <= h; k++) {
        denom += k * k;
      }
      for (int k = -h; k <= h; k++) {
        c[k + h] = k / denom;
      }
    } else {
      double m = 0;
      for (int k = -h; k <= h; k++) {
        m += k * k;
      }
      m /= width;
      double denom = 0;
      for (int k = -h; k <= h; k++) {
        denom += (k * k - m) * (k * k - m);
      }
      for (int k = -h; k <= h; k++) {
        c[k + h] = 2.0 * (k * k - m) / denom;
      }
    }
    return c;
  }

  /**
   * Writes the order-{@code order} delta of a frames × stride matrix's columns [srcCol, srcCol + bins) into columns
   * [dstCol, dstCol + bins) of the same matrix.
   */
  public static void apply(double[] m, int frames, int stride, int srcCol, int dstCol, int bins, int width,
      int order) {
    check(frames >= width, "Cannot compute deltas: %s frames is fewer than the delta width %s (librosa refuses "
        + "this too; use a longer clip or a smaller delta_width)", frames, width);
    double[] c = coefficients(width, order);
    int h = width / 2;
    for (int t = h; t < frames - h; t++) {
      int out = t * stride + dstCol;
      for (int b = 0; b < bins; b++) {
        double s = 0;
        int base = (t - h) * stride + srcCol + b;
        for (int j = 0; j < width; j++) {
          s += c[j] * m[base + j * stride];
        }
        m[out + b] = s;
      }
    }
    for (int t = 0; t < h; t++) {
      System.arraycopy(m, h * stride + dstCol, m, t * stride + dstCol, bins);
    }
    for (int t = frames - h; t < frames; t++) {
      System.arraycopy(m, (frames - h - 1) * stride + dstCol, m, t * stride + dstCol, bins);
    }
  }
}
