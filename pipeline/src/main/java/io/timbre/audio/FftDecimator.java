package io.timbre.audio;

import org.jtransforms.fft.DoubleFFT_1D;

/**
 * The resampler's filter for integer decimation (fout = fin / M: 44.1 → 22.05 kHz, 88.2 → 22.05, 48 → 16 kHz) by
 * FFT overlap-save, computing only the kept outputs.
 *
 * <p>Why: the direct form costs {@code taps} multiply-adds per output (288 for 44.1 → 22.05 kHz); here the filter is
 * split into M polyphase sub-filters, each correlated with its input phase (x[M·i + p]) in the frequency domain, and
 * the M products summed before one inverse FFT: M + 1 real FFTs of N = 4096 per ~3,950 outputs — about a quarter of
 * the arithmetic. Outputs equal the direct form's to double-precision round-off (tested).
 *
 * <p>Output j is Σ_k h[k]·x[M·j − left + k] (x = 0 outside the signal), exactly as {@link Resampler#output}. Blocks
 * of {@link #block()} outputs start at multiples of it, so a stream and a whole signal produce identical samples.
 * Not thread-safe (scratch buffers): one per resampler, one resampler per task.
 */
final class FftDecimator implements Decimator {
  private static final int N = 4096;

  private final int m;
  private final int block;
  private final int qmin;
  private final int[] phaseOfSub;
  private final double[][] filterSpectra;
  private final DoubleFFT_1D fft = new DoubleFFT_1D(N);
  private final double[] acc = new double[N];
  private final double[] work = new double[N];

  /**
   * @param h the filter taps (output j reads x[M·j − left + k] with weight h[k])
   * @param m decimation factor (≥ 2)
   * @param left the filter's left extent (taps before the output's own input position)
   */
  FftDecimator(float[] h, int m, int left) {
    this.m = m;
    int taps = h.length;
    int[] q = new int[m];
    int[] len = new int[m];
    phaseOfSub = new int[m];
    int qmin0 = Integer.MAX_VALUE;
    for (int r = 0; r < m; r++) {
      phaseOfSub[r] = Math.floorMod(r - left, m);
      q[r] = Math.floorDiv(r - left, m);
      len[r] = r < taps ? (taps - r + m - 1) / m : 0;
      qmin0 = Math.min(qmin0, q[r]);
    }
    this.qmin = qmin0;
    int dmax = 0;
    for (int r = 0; r < m; r++) {
      dmax = Math.max(dmax, q[r] - qmin + len[r] - 1);
    }
    this.block = N - dmax;
    if (block < N / 4) {
      throw new IllegalArgumentException("Cannot decimate by FFT: filter of " + taps + " taps too long for " + N);
    }
    // Per input phase p: conj(FFT(g_p)) where g_p[d] = h[M·mm + r] at d = q_r − qmin + mm (r the sub with phase p).
    filterSpectra = new double[m][];
    for (int r = 0; r < m; r++) {
      double[] g = new double[N];
      for (int mm = 0; mm < len[r]; mm++) {
        g[q[r] - qmin + mm] = h[m * mm + r];
      }
      fft.realForward(g);
      filterSpectra[phaseOfSub[r]] = g;
    }
  }

  /** Outputs per block. */
  @Override
  public int block() {
    return block;
  }

  /** Index of the first input sample block b reads (may be negative: zeros). */
  @Override
  public long firstInput(long j0) {
    return (long) m * (j0 + qmin);
  }

  /** One past the last input sample the block starting at output j0 reads. */
  @Override
  public long endInput(long j0) {
    return (long) m * (j0 + qmin + N);
  }

  /**
   * Outputs [j0, j0 + block()) into {@code out[outOff…]}, reading input sample i from {@code buf[i − bufStart]} for
   * 0 ≤ i < end (zero elsewhere).
   */
  @Override
  public void compute(long j0, float[] buf, long bufStart, long end, float[] out, int outOff, int count) {
    java.util.Arrays.fill(acc, 0);
    long i0 = j0 + qmin;
    for (int p = 0; p < m; p++) {
      // W_p[i] = x[M·(i0 + i) + p]
      long start = (long) m * i0 + p;
      if (start >= 0 && start + (long) m * (N - 1) < end) {
        int o = (int) (start - bufStart);
        for (int i = 0; i < N; i++, o += m) {
          work[i] = buf[o];
        }
      } else {
        for (int i = 0; i < N; i++) {
          long idx = start + (long) m * i;
          work[i] = idx >= 0 && idx < end ? buf[(int) (idx - bufStart)] : 0.0;
        }
      }
      fft.realForward(work);
      multiplyConjugateAdd(work, filterSpectra[p], acc);
    }
    fft.realInverse(acc, true);
    for (int u = 0; u < count; u++) {
      out[outOff + u] = (float) acc[u];
    }
  }

  /** acc += a · conj(b) in JTransforms' packed real-FFT layout (a[0] = Re0, a[1] = Re(N/2), then Re/Im pairs). */
  private static void multiplyConjugateAdd(double[] a, double[] b, double[] acc) {
    acc[0] += a[0] * b[0];
    acc[1] += a[1] * b[1];
    for (int k = 2; k < N; k += 2) {
      double ar = a[k];
      double ai = a[k + 1];
      double br = b[k];
      double bi = b[k + 1];
      acc[k] += ar * br + ai * bi;
      acc[k + 1] += ai * br - ar * bi;
    }
  }
}
