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

/**
 * {@link Log10#log10} lane by lane, with the same operations in the same order (no FMA, no lane-wise transcendental),
 * so every lane equals the scalar result bit for bit whether C2, C1 or the interpreter runs it. Only loaded when the
 * Vector API module is present.
 */
final class VectorLog10 {
  private VectorLog10() {}

  static DoubleVector log10(DoubleVector x) {
    LongVector bits = x.reinterpretAsLongs();
    LongVector mb = bits.and(MANTISSA);
    LongVector i = mb.add(SQRT2_ROUND).and(EXP_LSB);
    DoubleVector m = mb.or(i.lanewise(VectorOperators.XOR, ONE_EXP)).reinterpretAsDoubles();
    DoubleVector k = bits.lanewise(VectorOperators.LSHR, 52).add(i.lanewise(VectorOperators.LSHR, 52))
        .or(TWO52_BITS).reinterpretAsDoubles().sub(TWO52_PLUS_BIAS);
    DoubleVector f = m.sub(1.0);
    DoubleVector s = f.div(f.add(2.0));
    DoubleVector z = s.mul(s);
    DoubleVector w = z.mul(z);
    DoubleVector t1 = w.mul(w.mul(w.mul(LG6).add(LG4)).add(LG2));
    DoubleVector t2 = z.mul(w.mul(w.mul(w.mul(LG7).add(LG5)).add(LG3)).add(LG1));
    DoubleVector r = t2.add(t1);
    DoubleVector hfsq = f.mul(0.5).mul(f);
    DoubleVector ln = k.mul(LN2_HI).sub(hfsq.sub(s.mul(hfsq.add(r)).add(k.mul(LN2_LO))).sub(f));
    return ln.mul(INV_LN10);
  }
}
