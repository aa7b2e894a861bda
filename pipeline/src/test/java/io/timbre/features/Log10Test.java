package io.timbre.features;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;

/**
 * {@link Log10} is accurate, and its vector twin gives the same bits in every lane whatever the JIT has done so far —
 * the property that makes features independent of block boundaries and warm-up (see the class Javadoc for the bug).
 */
class Log10Test {
  private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;

  /** Random normal doubles over the whole exponent range, values near 1 and the m = √2 boundary, powers of two. */
  private static double[] inputs(int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      switch (i % 5) {
        case 0 -> x[i] = Math.scalb(1 + rng.nextDouble(), rng.nextInt(-1020, 1020));
        case 1 -> x[i] = 1 + (rng.nextDouble() - 0.5) * Math.scalb(1.0, -rng.nextInt(1, 50));
        case 2 -> x[i] = Math.scalb(Math.sqrt(2) * (1 + (rng.nextDouble() - 0.5) * 1e-12), rng.nextInt(-60, 60));
        case 3 -> x[i] = Math.scalb(1.0, rng.nextInt(-1022, 1023));
        default -> x[i] = Math.scalb(1 + rng.nextDouble(), rng.nextInt(-40, 5)); // power spectra, 1e-12 .. 30
      }
    }
    return x;
  }

  @Test
  void isWithinTwoUlpOfTheCorrectlyRoundedLog10() {
    double[] x = inputs(400_000, 1);
    double worstUlps = 0;
    for (double v : x) {
      double exact = StrictMath.log10(v);
      double got = Log10.log10(v);
      double ulps = exact == 0 ? Math.abs(got) / Double.MIN_NORMAL : Math.abs(got - exact) / Math.ulp(exact);
      worstUlps = Math.max(worstUlps, ulps);
      assertThat(ulps).as("log10(%s): %s vs StrictMath %s", v, got, exact).isLessThanOrEqualTo(2.0);
    }
    assertThat(Log10.log10(1.0)).isEqualTo(0.0);
    assertThat(Log10.log10(10.0)).isEqualTo(1.0);
    assertThat(Log10.log10(1e-10)).isEqualTo(-10.0);
    assertThat(Log10.log10(Double.MIN_NORMAL)).isCloseTo(StrictMath.log10(Double.MIN_NORMAL), org.assertj.core.api
        .Assertions.within(1e-13));
    assertThat(worstUlps).isLessThanOrEqualTo(2.0);
  }

  @Test
  void vectorLanesEqualTheScalarBitForBitThroughJitWarmUp() {
    double[] x = inputs(4 * 1024, 2);
    double[] expected = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      expected[i] = Log10.log10(x[i]);
    }
    double[] got = new double[x.length];
    // Enough rounds that the loop runs interpreted, then C1-compiled, then C2-compiled; every round must agree.
    for (int round = 0; round < 400; round++) {
      for (int i = 0; i + S.length() <= x.length; i += S.length()) {
        VectorLog10.log10(DoubleVector.fromArray(S, x, i)).intoArray(got, i);
      }
      for (int i = 0; i < x.length; i++) {
        if (Double.doubleToRawLongBits(got[i]) != Double.doubleToRawLongBits(expected[i])) {
          throw new AssertionError("round " + round + ", log10(" + x[i] + "): vector " + got[i] + " vs scalar "
              + expected[i]);
        }
      }
    }
  }

  @Test
  void simdDecibelsEqualScalarDecibelsForAnyRange() {
    FeatureSpec spec = FeatureSpec.defaults();
    SpectraKernel simd = SpectraKernel.create(spec, new double[spec.nFft()]);
    assertThat(simd).isNotInstanceOf(ScalarSpectra.class);
    SplittableRandom rng = new SplittableRandom(3);
    double[] power = new double[5000];
    for (int i = 0; i < power.length; i++) {
      power[i] = rng.nextInt(10) == 0 ? 0.0 : Math.scalb(rng.nextDouble(), rng.nextInt(-45, 8));
    }
    for (int round = 0; round < 3000; round++) {
      int from = rng.nextInt(power.length);
      int to = from + rng.nextInt(power.length - from + 1);
      boolean amplitude = rng.nextBoolean();
      double ref = rng.nextBoolean() ? 1.0 : 0.37;
      double[] a = power.clone();
      double[] b = power.clone();
      double maxA = simd.toDb(a, from, to, ref, 1e-10, amplitude);
      double maxB = Decibels.toDb(b, from, to, ref, 1e-10, amplitude);
      assertThat(a).as("round %d [%d, %d)", round, from, to).isEqualTo(b);
      assertThat(maxA).isEqualTo(maxB);
    }
  }
}
