package io.timbre.features;


/**
 * A base-10 logarithm made only of exactly rounded IEEE operations (bit masks, +, −, ×, ÷), so that it gives the same
 * bits in every execution mode; {@link VectorLog10} is its lane-wise twin, operation for operation.
 *
 * <p>Why not {@link Math#log10}: the SIMD kernel needs a vector logarithm, and the Vector API's lane-wise
 * {@code LOG10} is the one operation whose result depends on how the code runs — C2 calls an SVML routine, the
 * interpreter and C1 (and the scalar loop tail) call {@code Math.log10}, and the two differ by an ulp now and then.
 * The same clip then gave different dB values depending on JIT state and on which frames fell in the vector body of a
 * block (streaming ≠ whole, caught by {@code FeatureStreamTest} in CI). A scalar {@code Math.log10} inside the vector
 * kernel is deterministic but made the whole feature pass 25 % slower (measured with {@code ./timbre bench features}).
 *
 * <p>Algorithm: fdlibm's {@code __ieee754_log} (x = 2^k·m with m in [√2/2, √2), log m = 2·atanh(f/(2+f)) by its
 * degree-14 polynomial, k·ln2 in two parts), then one multiplication by 1/ln 10. Within 2 ulp of the correctly rounded
 * log10 (tested against {@link StrictMath#log10}), far inside librosa parity tolerances.
 *
 * <p>Domain: positive normal finite doubles, which is what power_to_db feeds it ({@code max(amin, S)} with a normal
 * {@code amin}; non-finite samples are rejected at decode). Zero, subnormals, infinities and NaN are not handled.
 */
public final class Log10 {
  static final long MANTISSA = 0x000F_FFFF_FFFF_FFFFL;
  /** Adds 1 to the exponent field exactly when the mantissa is ≥ √2 − 1 (fdlibm's 0x95f64 high-word constant). */
  static final long SQRT2_ROUND = 0x95F64L << 32;
  static final long EXP_LSB = 1L << 52;
  static final long ONE_EXP = 0x3FF0_0000_0000_0000L;
  /** 2^52 as bits: OR-ing a small integer n into it gives the double 2^52 + n, an exact long→double without L2D. */
  static final long TWO52_BITS = 0x4330_0000_0000_0000L;
  static final double TWO52_PLUS_BIAS = 4503599627370496.0 + 1023.0;
  static final double LN2_HI = 6.93147180369123816490e-01;
  static final double LN2_LO = 1.90821492927058770002e-10;
  static final double LG1 = 6.666666666666735130e-01;
  static final double LG2 = 3.999999999940941908e-01;
  static final double LG3 = 2.857142874366239149e-01;
  static final double LG4 = 2.222219843214978396e-01;
  static final double LG5 = 1.818357216161805012e-01;
  static final double LG6 = 1.531383769920937332e-01;
  static final double LG7 = 1.479819860511658591e-01;
  static final double INV_LN10 = 4.34294481903251816668e-01;

  private Log10() {}

  /** log10(x) for a positive normal finite x; bit-identical to {@link VectorLog10#log10} lane by lane. */
  public static double log10(double x) {
    long bits = Double.doubleToRawLongBits(x);
    long mb = bits & MANTISSA;
    long i = (mb + SQRT2_ROUND) & EXP_LSB;
    double m = Double.longBitsToDouble(mb | (i ^ ONE_EXP));
    double k = Double.longBitsToDouble(((bits >>> 52) + (i >>> 52)) | TWO52_BITS) - TWO52_PLUS_BIAS;
    double f = m - 1.0;
    double s = f / (2.0 + f);
    double z = s * s;
    double w = z * z;
    double t1 = w * (LG2 + w * (LG4 + w * LG6));
    double t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
    double r = t2 + t1;
    double hfsq = 0.5 * f * f;
    double ln = k * LN2_HI - ((hfsq - (s * (hfsq + r) + k * LN2_LO)) - f);
    return ln * INV_LN10;
  }
}
