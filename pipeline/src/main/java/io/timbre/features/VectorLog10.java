package io.timbre.features;

import static io.timbre.features.Log10.EXP_LSB;
import static io.timbre.features.Log10.INV_LN10;
import static io.timbre.features.Log10.LG1;
import static io.timbre.features.Log10.LG2;
import static io.timbre.features.Log10.LG3;
import static io.timbre.features.Log10.LG4;
import static io.timbre.features.Log10.LG5;
import static io.timbre.features.Log10.LG6;
import static io.timbre.features.Log10.LG7;
import static io.timbre.features.Log10.LN2_HI;
import static io.timbre.features.Log10.LN2_LO;
import static io.timbre.features.Log10.MANTISSA;
import static io.timbre.features.Log10.ONE_EXP;
import static io.timbre.features.Log10.SQRT2_ROUND;
import static io.timbre.features.Log10.TWO52_BITS;
import static io.timbre.features.Log10.TWO52_PLUS_BIAS;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Log10#log10} lane by lane, with the same operations in the same order (no FMA, no lane-wise transcendental),
 * so every lane equals the scalar result bit for bit whether C2, C1 or the interpreter runs it. Only loaded when the
 * Vector API module is present.
 *
 * <p>Written for C2's vector intrinsics and box elimination (JDK 17), which are fragile: every constant is a static
 * final vector of a fixed species and the bit reinterpretations name that species. With the scalar overloads
 * ({@code v.mul(0.5)}: a virtual {@code broadcast(double)} and a bridge method per operation) and {@code
 * reinterpretAsLongs()} (species looked up at run time), C2 in about one JVM in two (it depends on JIT timing and
 * shared type profiles) lost the vectors' exact class partway through, failed to intrinsify the store and boxed every
 * intermediate vector on the heap: megabytes of garbage per clip and a slower dB pass. The allocation figures per
 * clip are in docs/performance.md; the rest of the fix is in {@code VectorSpectra.toDb} and the JIT flags in
 * {@code conf/jvm-flags.txt}.
 */
final class VectorLog10 {
  private VectorLog10() {}

  // The constants as vectors, made once (see the class comment); a static final vector is a constant to C2.
  private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Long> SL = LongVector.SPECIES_PREFERRED;
  private static final LongVector V_MANTISSA = LongVector.broadcast(SL, MANTISSA);
  private static final LongVector V_SQRT2_ROUND = LongVector.broadcast(SL, SQRT2_ROUND);
  private static final LongVector V_EXP_LSB = LongVector.broadcast(SL, EXP_LSB);
  private static final LongVector V_ONE_EXP = LongVector.broadcast(SL, ONE_EXP);
  private static final LongVector V_TWO52_BITS = LongVector.broadcast(SL, TWO52_BITS);
  private static final DoubleVector V_TWO52_PLUS_BIAS = DoubleVector.broadcast(S, TWO52_PLUS_BIAS);
  private static final DoubleVector V_ONE = DoubleVector.broadcast(S, 1.0);
  private static final DoubleVector V_TWO = DoubleVector.broadcast(S, 2.0);
  private static final DoubleVector V_HALF = DoubleVector.broadcast(S, 0.5);
  private static final DoubleVector V_LG1 = DoubleVector.broadcast(S, LG1);
  private static final DoubleVector V_LG2 = DoubleVector.broadcast(S, LG2);
  private static final DoubleVector V_LG3 = DoubleVector.broadcast(S, LG3);
  private static final DoubleVector V_LG4 = DoubleVector.broadcast(S, LG4);
  private static final DoubleVector V_LG5 = DoubleVector.broadcast(S, LG5);
  private static final DoubleVector V_LG6 = DoubleVector.broadcast(S, LG6);
  private static final DoubleVector V_LG7 = DoubleVector.broadcast(S, LG7);
  private static final DoubleVector V_LN2_HI = DoubleVector.broadcast(S, LN2_HI);
  private static final DoubleVector V_LN2_LO = DoubleVector.broadcast(S, LN2_LO);
  private static final DoubleVector V_INV_LN10 = DoubleVector.broadcast(S, INV_LN10);

  /** log10 of every lane; {@code x} has the preferred species, as every vector of {@link VectorSpectra}. */
  static DoubleVector log10(DoubleVector x) {
    LongVector bits = (LongVector) x.convertShape(VectorOperators.REINTERPRET_D2L, SL, 0);
    LongVector mb = bits.and(V_MANTISSA);
    LongVector i = mb.add(V_SQRT2_ROUND).and(V_EXP_LSB);
    DoubleVector m = asDoubles(mb.or(i.lanewise(VectorOperators.XOR, V_ONE_EXP)));
    DoubleVector k = asDoubles(bits.lanewise(VectorOperators.LSHR, 52).add(i.lanewise(VectorOperators.LSHR, 52))
        .or(V_TWO52_BITS)).sub(V_TWO52_PLUS_BIAS);
    DoubleVector f = m.sub(V_ONE);
    DoubleVector s = f.div(f.add(V_TWO));
    DoubleVector z = s.mul(s);
    DoubleVector w = z.mul(z);
    DoubleVector t1 = w.mul(w.mul(w.mul(V_LG6).add(V_LG4)).add(V_LG2));
    DoubleVector t2 = z.mul(w.mul(w.mul(w.mul(V_LG7).add(V_LG5)).add(V_LG3)).add(V_LG1));
    DoubleVector r = t2.add(t1);
    DoubleVector hfsq = f.mul(V_HALF).mul(f);
    DoubleVector ln = k.mul(V_LN2_HI).sub(hfsq.sub(s.mul(hfsq.add(r)).add(k.mul(V_LN2_LO))).sub(f));
    return ln.mul(V_INV_LN10);
  }

  /**
   * The bits as doubles, to the constant species: {@code reinterpretAsDoubles()} derives the species at run time,
   * which C2 does not always fold (see the class comment).
   */
  private static DoubleVector asDoubles(LongVector v) {
    return (DoubleVector) v.convertShape(VectorOperators.REINTERPRET_L2D, S, 0);
  }
}
