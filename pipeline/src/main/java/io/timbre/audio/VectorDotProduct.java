package io.timbre.audio;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** The dot product on the Vector API: 16 floats per FMA with AVX-512, two accumulators. */
final class VectorDotProduct implements DotProduct {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  @Override
  public float dot(float[] a, int ao, float[] b, int bo, int len) {
    FloatVector acc0 = FloatVector.zero(S);
    FloatVector acc1 = FloatVector.zero(S);
    int k = 0;
    for (; k + 2 * L <= len; k += 2 * L) {
      acc0 = FloatVector.fromArray(S, a, ao + k).fma(FloatVector.fromArray(S, b, bo + k), acc0);
      acc1 = FloatVector.fromArray(S, a, ao + k + L).fma(FloatVector.fromArray(S, b, bo + k + L), acc1);
    }
    for (; k + L <= len; k += L) {
      acc0 = FloatVector.fromArray(S, a, ao + k).fma(FloatVector.fromArray(S, b, bo + k), acc0);
    }
    float s = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
    for (; k < len; k++) {
      s += a[ao + k] * b[bo + k];
    }
    return s;
  }
}
