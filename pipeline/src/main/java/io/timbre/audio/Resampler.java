package io.timbre.audio;

import static io.timbre.util.Checks.check;


/**
 * Band-limited sample-rate conversion by a polyphase Kaiser-windowed sinc, for any pair of integer rates.
 *
 * <p>Design: the ideal low-pass kernel {@code (2·fc/fin)·sinc(2·fc·τ)} with its −6 dB point at {@value #CUTOFF} of the
 * lower Nyquist frequency, a transition band of ±{@value #HALF_TRANSITION} of it (pass band flat to ~0.91, stop band
 * from the Nyquist frequency, as SoX's very-high-quality {@code rate -v} does) and a Kaiser window for
 * {@value #STOPBAND_DB} dB stop-band rejection. Output sample j sits at input position j·fin/fout (t = 0 aligned, zero
 * phase delay), so the output lines up with the input and with SoX's and librosa's resamplers; its length is
 * ceil(n·fout/fin), as librosa's.
 *
 * <p>For a rational ratio L/M (after dividing by the gcd) each of the L output phases gets its own tap table
 * (normalised to unit DC gain). When L exceeds {@value #MAX_PHASES} (coprime rates such as 44,100 → 44,099 Hz), phases
 * are rounded to the nearest of {@value #MAX_PHASES}, a timing error below 1/8192 sample.
 *
 * <p>Integer decimation (44.1 → 22.05 kHz and the like) runs the same filter a block at a time ({@link Decimator}):
 * on the Vector API, the direct form over the input's M phases with many outputs per instruction
 * ({@link VectorDecimator}, ~6,400× real time for 44.1 → 22.05 kHz on one AVX-512 core); without it, FFT
 * overlap-save ({@link FftDecimator}, ~4,000×; a quarter of the direct form's arithmetic). Other ratios use the
 * direct polyphase form, its inner product on the Vector API where enabled.
 *
 * <p>Not thread-safe (scratch buffers): one instance per task.
 */
public final class Resampler {
  /** −6 dB point, as a fraction of the lower Nyquist frequency. */
  static final double CUTOFF = 0.955;
  /** Half the transition band width, as a fraction of the lower Nyquist frequency. */
  static final double HALF_TRANSITION = 0.045;
  /** Kaiser design target for stop-band rejection. */
  static final double STOPBAND_DB = 100.0;
  static final int MAX_PHASES = 4096;

  private final int inRate;
  private final int outRate;
  private final long up;
  private final long down;
  private final int phases;
  private final int taps;
  private final int leftTaps;
  private final float[] table;
  private final DotProduct dotProduct = DotProduct.best();
  private final Decimator decimator;

  /** How integer decimation is computed; all give the same samples to float round-off. */
  public enum Decimation {
    /** {@link #VECTOR} where the Vector API is enabled, else {@link #FFT}; {@code -Dtimbre.decimator} overrides. */
    AUTO,
    /** SIMD direct form over the input's phases ({@link VectorDecimator}). */
    VECTOR,
    /** FFT overlap-save ({@link FftDecimator}). */
    FFT,
    /** One dot product per output, as for non-integer ratios. */
    DIRECT
  }

  public Resampler(int inRate, int outRate) {
    this(inRate, outRate, Decimation.AUTO);
  }

  /** A resampler whose integer decimation uses {@code decimation} (benchmarks and tests compare them). */
  public Resampler(int inRate, int outRate, Decimation decimation) {
    check(inRate > 0 && outRate > 0, "Cannot resample: rates must be positive: %s -> %s", inRate, outRate);
    this.inRate = inRate;
    this.outRate = outRate;
    long g = gcd(inRate, outRate);
    this.up = outRate / g;
    this.down = inRate / g;
    double nyquist = Math.min(inRate, outRate) / 2.0;
    double fc = CUTOFF * nyquist;
    double transitionHz = 2 * HALF_TRANSITION * nyquist;
    double beta = kaiserBeta(STOPBAND_DB);
    // Kaiser's estimate of the kernel length, in seconds: (A − 7.95) / (2.285 · 2π · Δf).
    double seconds = (STOPBAND_DB - 7.95) / (2.285 * 2 * Math.PI * transitionHz);
    int half = (int) Math.ceil(seconds * inRate / 2) + 1;
    this.leftTaps = half - 1;
    this.taps = 2 * half;
    this.phases = (int) Math.min(up, MAX_PHASES);
    this.table = new float[phases * taps];
    double halfWidth = half; // in input samples: the window reaches zero at ±half
    double i0Beta = besselI0(beta);
    for (int p = 0; p < phases; p++) {
      double frac = p / (double) phases; // fractional input position of this phase
      double sum = 0;
      double[] row = new double[taps];
      for (int k = 0; k < taps; k++) {
        // Input sample n = floor(pos) − leftTaps + k; τ = pos − n in input samples.
        double tau = frac + leftTaps - k;
        double x = tau / halfWidth;
        double w = Math.abs(x) >= 1 ? 0 : besselI0(beta * Math.sqrt(1 - x * x)) / i0Beta;
        double arg = 2 * fc * tau / inRate;
        double sinc = arg == 0 ? 1 : Math.sin(Math.PI * arg) / (Math.PI * arg);
        row[k] = (2 * fc / inRate) * sinc * w;
        sum += row[k];
      }
      for (int k = 0; k < taps; k++) {
        table[p * taps + k] = (float) (row[k] / sum);
      }
    }
    this.decimator = up == 1 && down >= 2
        ? decimator(java.util.Arrays.copyOf(table, taps), (int) down, leftTaps, decimation) : null;
  }

  /**
   * The block decimator for an integer ratio: SIMD direct form where the Vector API is enabled, FFT overlap-save
   * otherwise; for AUTO, {@code -Dtimbre.decimator=vector|fft|direct} chooses (direct: one dot product per output).
   */
  private static Decimator decimator(float[] h, int m, int left, Decimation decimation) {
    Decimation choice = decimation != Decimation.AUTO ? decimation
        : Decimation.valueOf(System.getProperty("timbre.decimator", "auto").toUpperCase(java.util.Locale.ROOT));
    if (choice == Decimation.DIRECT) {
      return null;
    }
    if (choice != Decimation.FFT && DotProduct.vectorApi()) {
      try {
        return (Decimator) Class.forName("io.timbre.audio.VectorDecimator")
            .getDeclaredConstructor(float[].class, int.class, int.class).newInstance(h, m, left);
      } catch (ReflectiveOperationException | LinkageError e) {
        // fall through to the FFT form
      }
    }
    return new FftDecimator(h, m, left);
  }

  /** The block decimator for integer ratios, or null (direct form). */
  Decimator decimator() {
    return decimator;
  }

  public int inRate() {
    return inRate;
  }

  public int outRate() {
    return outRate;
  }

  /** Taps per output sample. */
  public int taps() {
    return taps;
  }

  /** Output length for {@code n} input samples: ceil(n · fout / fin). */
  public long outputLength(long n) {
    return (n * up + down - 1) / down;
  }

  /** Resamples a whole signal (samples outside it are zero). Returns the input itself when the rates are equal. */
  public float[] resample(float[] in) {
    if (inRate == outRate) {
      return in;
    }
    long outLen = outputLength(in.length);
    check(outLen <= Integer.MAX_VALUE - 16, "Cannot resample: %s output samples do not fit one array", outLen);
    float[] out = new float[(int) outLen];
    process(in, out, 0, out.length);
    return out;
  }

  /** Computes outputs [from, to) of the resampled {@code in} into {@code out[from..to)}. */
  public void process(float[] in, float[] out, int from, int to) {
    if (decimator != null) {
      int b = decimator.block();
      float[] scratch = new float[b];
      for (long j0 = (from / b) * (long) b; j0 < to; j0 += b) {
        decimator.compute(j0, in, 0, in.length, scratch, 0, b);
        for (int u = 0; u < b; u++) {
          long j = j0 + u;
          if (j >= from && j < to) {
            out[(int) j] = scratch[u];
          }
        }
      }
      return;
    }
    for (int j = from; j < to; j++) {
      out[j] = output(j, in, 0, in.length);
    }
  }

  /**
   * Output sample j, reading input sample i from {@code buf[i - bufStart]} for i in [bufStart, end) and treating
   * samples outside [0, end) as zero. Callers guarantee the kernel's support within [0, end) lies in the buffer.
   */
  float output(long j, float[] buf, long bufStart, long end) {
    long num = j * down;
    long base = num / up;
    long rem = num - base * up;
    int phase = phases == up ? (int) rem : (int) Math.min(phases - 1, Math.round(rem * (double) phases / up));
    long first = base - leftTaps;
    int t0 = phase * taps;
    if (first >= 0 && first + taps <= end) {
      return dotProduct.dot(table, t0, buf, (int) (first - bufStart), taps);
    }
    double s = 0;
    for (int k = 0; k < taps; k++) {
      long idx = first + k;
      if (idx >= 0 && idx < end) {
        s += table[t0 + k] * buf[(int) (idx - bufStart)];
      }
    }
    return (float) s;
  }

  /** Index of the last input sample output j reads (its kernel's right edge). */
  long lastInputOf(long j) {
    return j * down / up - leftTaps + taps - 1;
  }

  /** Index of the first input sample output j reads. */
  long firstInputOf(long j) {
    return j * down / up - leftTaps;
  }

  /** Kaiser's β for a stop-band attenuation of {@code a} dB. */
  static double kaiserBeta(double a) {
    if (a > 50) {
      return 0.1102 * (a - 8.7);
    }
    if (a >= 21) {
      return 0.5842 * Math.pow(a - 21, 0.4) + 0.07886 * (a - 21);
    }
    return 0;
  }

  /** Modified Bessel function of the first kind, order 0 (power series; converges fast for the β used here). */
  static double besselI0(double x) {
    double sum = 1;
    double term = 1;
    double q = x * x / 4;
    for (int k = 1; k < 200; k++) {
      term *= q / ((double) k * k);
      sum += term;
      if (term < sum * 1e-17) {
        break;
      }
    }
    return sum;
  }

  private static long gcd(long a, long b) {
    while (b != 0) {
      long t = a % b;
      a = b;
      b = t;
    }
    return a;
  }
}
