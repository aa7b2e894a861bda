package io.timbre.features;


/**
 * Orthonormal DCT-II ({@code scipy.fft.dct(x, type=2, norm='ortho')}), keeping the first {@code nOut} coefficients:
 * the MFCC transform. A precomputed nOut × nIn matrix, because nOut·nIn (40·128) is smaller than the setup of a fast
 * transform and the matrix product vectorises.
 */
public final class Dct {
  private final int nIn;
  private final int nOut;
  private final double[] basis;

  public Dct(int nIn, int nOut) {
    if (nOut > nIn || nOut <= 0) {
      throw new IllegalArgumentException("Cannot build DCT: need 0 < n_out <= n_in: " + nOut + ", " + nIn);
    }
    this.nIn = nIn;
    this.nOut = nOut;
    this.basis = new double[nOut * nIn];
    double s0 = Math.sqrt(1.0 / nIn);
    double s = Math.sqrt(2.0 / nIn);
    for (int k = 0; k < nOut; k++) {
      for (int n = 0; n < nIn; n++) {
        basis[k * nIn + n] = (k == 0 ? s0 : s) * Math.cos(Math.PI * k * (2 * n + 1) / (2.0 * nIn));
      }
    }
  }

  /** out[outOffset + k] = Σ_n C[k,n] · in[inOffset + n]. */
  public void apply(double[] in, int inOffset, double[] out, int outOffset) {
    for (int k = 0; k < nOut; k++) {
      int row = k * nIn;
      double s0 = 0;
      double s1 = 0;
      double s2 = 0;
      double s3 = 0;
      int n = 0;
      for (; n + 3 < nIn; n += 4) {
        s0 += basis[row + n] * in[inOffset + n];
        s1 += basis[row + n + 1] * in[inOffset + n + 1];
        s2 += basis[row + n + 2] * in[inOffset + n + 2];
        s3 += basis[row + n + 3] * in[inOffset + n + 3];
      }
      for (; n < nIn; n++) {
        s0 += basis[row + n] * in[inOffset + n];
      }
      out[outOffset + k] = (s0 + s1) + (s2 + s3);
    }
  }

  /** The nOut × nIn basis, row-major (not to be modified). */
  double[] basis() {
    return basis;
  }

  public int nIn() {
    return nIn;
  }

  public int nOut() {
    return nOut;
  }
}
