package io.timbre.features;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The orthonormal DCT-II of {@link Dct} with the Vector API: each row a matrix-vector product with the DCT basis,
 * four basis rows per pass so that an input chunk is loaded once for four coefficients. Summation order differs from
 * {@link Dct#apply}'s only within a vector, so the two agree to rounding (see KernelAgreementTest).
 */
final class VectorDct {
  private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  private VectorDct() {}

  static void apply(Dct dct, double[] in, int frames, int inStride, double[] out, int outStride) {
    int nIn = dct.nIn();
    int nOut = dct.nOut();
    double[] basis = dct.basis();
    int bound = S.loopBound(nIn);
    for (int t = 0; t < frames; t++) {
      int row = t * inStride;
      int o = t * outStride;
      int k = 0;
      // Four coefficients at a time: each input chunk is loaded once for four basis rows.
      for (; k + 3 < nOut; k += 4) {
        int b0 = k * nIn;
        int b1 = b0 + nIn;
        int b2 = b1 + nIn;
        int b3 = b2 + nIn;
        DoubleVector a0 = DoubleVector.zero(S);
        DoubleVector a1 = DoubleVector.zero(S);
        DoubleVector a2 = DoubleVector.zero(S);
        DoubleVector a3 = DoubleVector.zero(S);
        int n = 0;
        for (; n < bound; n += L) {
          DoubleVector x = DoubleVector.fromArray(S, in, row + n);
          a0 = DoubleVector.fromArray(S, basis, b0 + n).fma(x, a0);
          a1 = DoubleVector.fromArray(S, basis, b1 + n).fma(x, a1);
          a2 = DoubleVector.fromArray(S, basis, b2 + n).fma(x, a2);
          a3 = DoubleVector.fromArray(S, basis, b3 + n).fma(x, a3);
        }
        double s0 = a0.reduceLanes(VectorOperators.ADD);
        double s1 = a1.reduceLanes(VectorOperators.ADD);
        double s2 = a2.reduceLanes(VectorOperators.ADD);
        double s3 = a3.reduceLanes(VectorOperators.ADD);
        for (; n < nIn; n++) {
          double x = in[row + n];
          s0 += basis[b0 + n] * x;
          s1 += basis[b1 + n] * x;
          s2 += basis[b2 + n] * x;
          s3 += basis[b3 + n] * x;
        }
        out[o + k] = s0;
        out[o + k + 1] = s1;
        out[o + k + 2] = s2;
        out[o + k + 3] = s3;
      }
      for (; k < nOut; k++) {
        int b = k * nIn;
        DoubleVector acc = DoubleVector.zero(S);
        int n = 0;
        for (; n < bound; n += L) {
          acc = DoubleVector.fromArray(S, basis, b + n).fma(DoubleVector.fromArray(S, in, row + n), acc);
        }
        double sum = acc.reduceLanes(VectorOperators.ADD);
        for (; n < nIn; n++) {
          sum += basis[b + n] * in[row + n];
        }
        out[o + k] = sum;
      }
    }
  }
}
