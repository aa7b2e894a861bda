package io.timbre.eval;

import static io.timbre.util.Checks.check;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jtransforms.fft.DoubleFFT_1D;

/**
 * BSS Eval for labelled sources, defined as mir_eval 0.7's {@code separation.bss_eval_sources(reference, estimated,
 * compute_permutation=False)} (Vincent, Gribonval and Févotte 2006, version 3): each estimate is decomposed, by
 * least-squares projection onto the delayed references (distortion filters of {@value #FILTER_LENGTH} taps), into the
 * filtered target, interference and artefacts, and SDR, SIR, SAR are their energy ratios in dB.
 *
 * <p>The arithmetic follows mir_eval's: correlations through FFTs of length the next power of two ≥ n + 511, the Gram
 * matrix of every delayed reference solved by LU with partial pivoting (numpy's {@code linalg.solve}), the projection
 * by FFT convolution truncated to n + 511 samples, and {@code +Infinity} where an error energy is exactly 0. Unlike
 * mir_eval, which recomputes them per estimate, the Gram matrix and its factorisation are computed once per track and
 * shared by all estimates (the same numbers).
 *
 * <p>mir_eval refuses a track in which a reference or an estimate sums to exactly 0; here such a track gets a {@link
 * Result} with {@link Result#degenerate()} naming the silent source and NaN figures, so an evaluation reports it
 * instead of stopping. A Gram matrix that is exactly singular (mir_eval falls back to least squares there) is reported
 * the same way.
 */
public final class BssEval {
  /** Taps of the distortion filters: mir_eval's fixed 512. */
  public static final int FILTER_LENGTH = 512;
  /** The reference definition these figures follow, as recorded in metrics.json. */
  public static final String DEFINITION = "mir_eval 0.7 separation.bss_eval_sources, 512-tap distortion filters,"
      + " compute_permutation=False";

  private BssEval() {}

  /** One source's figures in dB. */
  public record SourceScores(double sdr, double sir, double sar) implements java.io.Serializable {}

  /** Per source, in the order given; {@code degenerate} is null when the track could be scored. */
  public record Result(List<SourceScores> sources, String degenerate) {
    public Result {
      sources = List.copyOf(sources);
    }

    public boolean scored() {
      return degenerate == null;
    }
  }

  /**
   * Scores {@code estimated[j]} against {@code reference[j]} for every source j.
   *
   * @param reference sources × samples, every row the same length
   * @param estimated the same shape
   * @throws IllegalArgumentException when the shapes differ or are empty
   */
  public static Result evaluate(double[][] reference, double[][] estimated) {
    check(reference.length > 0, "Cannot evaluate separation: no reference sources");
    check(estimated.length == reference.length, "Cannot evaluate separation: %s estimated sources for %s references",
        estimated.length, reference.length);
    int n = reference[0].length;
    check(n > 0, "Cannot evaluate separation: sources are empty");
    for (int j = 0; j < reference.length; j++) {
      check(reference[j].length == n && estimated[j].length == n,
          "Cannot evaluate separation: source %s has %s reference and %s estimated samples, source 0 has %s", j,
          reference[j].length, estimated[j].length, n);
    }
    return prepare(reference).score(estimated);
  }

  /**
   * The references' half of the work (their spectra, Gram matrices and factorisations), to score several estimates of
   * one track against: the model's, an oracle mask's and the mixture's.
   */
  public static Track prepare(double[][] reference) {
    check(reference.length > 0 && reference[0].length > 0, "Cannot evaluate separation: no reference samples");
    String silent = silentSource(reference, "reference");
    if (silent != null) {
      return new Track(reference, null, silent);
    }
    try {
      return new Track(reference, new Decomposition(reference), null);
    } catch (LuSolver.SingularMatrixException e) {
      return new Track(reference, null, e.getMessage());
    }
  }

  /** One track's references, ready to score estimates against. */
  public static final class Track {
    private final double[][] reference;
    private final Decomposition decomposition;
    private final String degenerate;

    private Track(double[][] reference, Decomposition decomposition, String degenerate) {
      this.reference = reference;
      this.decomposition = decomposition;
      this.degenerate = degenerate;
    }

    /** Scores {@code estimated} (sources × samples, the references' shape) source by source. */
    public Result score(double[][] estimated) {
      check(estimated.length == reference.length,
          "Cannot evaluate separation: %s estimated sources for %s references", estimated.length, reference.length);
      for (int j = 0; j < estimated.length; j++) {
        check(estimated[j].length == reference[0].length,
            "Cannot evaluate separation: estimate %s has %s samples, the references %s", j, estimated[j].length,
            reference[0].length);
      }
      if (degenerate != null) {
        return nan(reference.length, degenerate);
      }
      String silent = silentSource(estimated, "estimated");
      if (silent != null) {
        return nan(reference.length, silent);
      }
      return new Result(decomposition.scoreAll(estimated), null);
    }
  }

  /** mir_eval's test: a source whose samples sum to exactly 0. */
  private static String silentSource(double[][] sources, String which) {
    for (int j = 0; j < sources.length; j++) {
      double sum = 0;
      for (double v : sources[j]) {
        sum += v;
      }
      if (sum == 0) {
        return which + " source " + j + " is silent (all zeros)";
      }
    }
    return null;
  }

  private static Result nan(int sources, String why) {
    List<SourceScores> scores = new ArrayList<>();
    for (int j = 0; j < sources; j++) {
      scores.add(new SourceScores(Double.NaN, Double.NaN, Double.NaN));
    }
    return new Result(scores, why);
  }

  /** The references' spectra, the Gram matrices of their delayed copies and those matrices' factorisations. */
  private static final class Decomposition {
    private final double[][] reference;
    private final int nsrc;
    private final int nsampl;
    private final int nfft;
    private final DoubleFFT_1D fft;
    /** Interleaved complex spectra of the zero-padded references. */
    private final double[][] spectra;
    private final LuSolver all;
    private final LuSolver[] single;

    Decomposition(double[][] reference) {
      this.reference = reference;
      nsrc = reference.length;
      nsampl = reference[0].length;
      nfft = Integer.highestOneBit(nsampl + FILTER_LENGTH - 2) << 1;
      fft = new DoubleFFT_1D(nfft);
      spectra = new double[nsrc][];
      for (int i = 0; i < nsrc; i++) {
        spectra[i] = spectrum(reference[i]);
      }
      double[][] gram = new double[nsrc * FILTER_LENGTH][nsrc * FILTER_LENGTH];
      for (int i = 0; i < nsrc; i++) {
        for (int j = i; j < nsrc; j++) {
          double[] ssf = crossCorrelation(spectra[i], spectra[j]);
          for (int a = 0; a < FILTER_LENGTH; a++) {
            for (int b = 0; b < FILTER_LENGTH; b++) {
              // mir_eval's toeplitz(c=[ssf[0], ssf[-1], …], r=ssf[:flen]): entry (a, b) is ssf[(b - a) mod nfft].
              double v = ssf[Math.floorMod(b - a, nfft)];
              gram[i * FILTER_LENGTH + a][j * FILTER_LENGTH + b] = v;
              gram[j * FILTER_LENGTH + b][i * FILTER_LENGTH + a] = v;
            }
          }
        }
      }
      single = new LuSolver[nsrc];
      for (int j = 0; j < nsrc; j++) {
        double[][] block = new double[FILTER_LENGTH][];
        for (int a = 0; a < FILTER_LENGTH; a++) {
          block[a] = Arrays.copyOfRange(gram[j * FILTER_LENGTH + a], j * FILTER_LENGTH,
              (j + 1) * FILTER_LENGTH);
        }
        single[j] = LuSolver.factor(block, "reference source " + j);
      }
      all = LuSolver.factor(gram, "the references");
    }

    List<SourceScores> scoreAll(double[][] estimated) {
      List<SourceScores> out = new ArrayList<>();
      for (int j = 0; j < nsrc; j++) {
        out.add(score(estimated[j], j));
      }
      return out;
    }

    private SourceScores score(double[] estimate, int j) {
      int len = nsampl + FILTER_LENGTH - 1;
      double[] d = correlationsWith(estimate);
      double[] cj = single[j].solve(Arrays.copyOfRange(d, j * FILTER_LENGTH, (j + 1) * FILTER_LENGTH));
      double[] projTarget = filtered(new int[] {j}, new double[][] {cj}, len);
      double[] c = all.solve(d);
      int[] every = new int[nsrc];
      double[][] filters = new double[nsrc][];
      for (int i = 0; i < nsrc; i++) {
        every[i] = i;
        filters[i] = Arrays.copyOfRange(c, i * FILTER_LENGTH, (i + 1) * FILTER_LENGTH);
      }
      double[] projAll = filtered(every, filters, len);
      // s_true = reference padded; e_spat = projTarget - s_true; e_interf = projAll - projTarget;
      // e_artif = estimate (padded) - projAll. mir_eval forms each term in this order; so does this.
      double filt = 0;
      double interf = 0;
      double artif = 0;
      double noise = 0;
      double filtPlusInterf = 0;
      for (int t = 0; t < len; t++) {
        double sTrue = t < nsampl ? reference[j][t] : 0;
        double eSpat = projTarget[t] - sTrue;
        double eInterf = projAll[t] - sTrue - eSpat;
        double eArtif = -sTrue - eSpat - eInterf;
        if (t < nsampl) {
          eArtif += estimate[t];
        }
        double sFilt = sTrue + eSpat;
        filt += sFilt * sFilt;
        interf += eInterf * eInterf;
        artif += eArtif * eArtif;
        double n = eInterf + eArtif;
        noise += n * n;
        double si = sFilt + eInterf;
        filtPlusInterf += si * si;
      }
      return new SourceScores(safeDb(filt, noise), safeDb(filt, interf), safeDb(filtPlusInterf, artif));
    }

    /** D: for each source i and delay a, Σ_t ref_i[t - a] · estimate[t]. */
    private double[] correlationsWith(double[] estimate) {
      double[] se = spectrum(estimate);
      double[] d = new double[nsrc * FILTER_LENGTH];
      for (int i = 0; i < nsrc; i++) {
        double[] ssef = crossCorrelation(spectra[i], se);
        for (int a = 0; a < FILTER_LENGTH; a++) {
          d[i * FILTER_LENGTH + a] = ssef[Math.floorMod(-a, nfft)];
        }
      }
      return d;
    }

    /** Σ_i (filter_i * ref_i)[t] for t < len, by FFT (no wrap-around: len ≤ nfft). */
    private double[] filtered(int[] sources, double[][] filters, int len) {
      double[] acc = new double[2 * nfft];
      for (int k = 0; k < sources.length; k++) {
        double[] h = new double[2 * nfft];
        for (int a = 0; a < FILTER_LENGTH; a++) {
          h[2 * a] = filters[k][a];
        }
        fft.complexForward(h);
        double[] s = spectra[sources[k]];
        for (int f = 0; f < nfft; f++) {
          double re = h[2 * f];
          double im = h[2 * f + 1];
          acc[2 * f] += re * s[2 * f] - im * s[2 * f + 1];
          acc[2 * f + 1] += re * s[2 * f + 1] + im * s[2 * f];
        }
      }
      fft.complexInverse(acc, true);
      double[] out = new double[len];
      for (int t = 0; t < len; t++) {
        out[t] = acc[2 * t];
      }
      return out;
    }

    private double[] spectrum(double[] x) {
      double[] z = new double[2 * nfft];
      for (int t = 0; t < x.length; t++) {
        z[2 * t] = x[t];
      }
      fft.complexForward(z);
      return z;
    }

    /** real(ifft(X · conj(Y))): entry k is Σ_t x[t + k] · y[t], circularly. */
    private double[] crossCorrelation(double[] x, double[] y) {
      double[] z = new double[2 * nfft];
      for (int f = 0; f < nfft; f++) {
        double xr = x[2 * f];
        double xi = x[2 * f + 1];
        double yr = y[2 * f];
        double yi = y[2 * f + 1];
        z[2 * f] = xr * yr + xi * yi;
        z[2 * f + 1] = xi * yr - xr * yi;
      }
      fft.complexInverse(z, true);
      double[] out = new double[nfft];
      for (int k = 0; k < nfft; k++) {
        out[k] = z[2 * k];
      }
      return out;
    }
  }

  /** mir_eval's {@code _safe_db}: +Infinity when the error energy is exactly 0. */
  static double safeDb(double num, double den) {
    if (den == 0) {
      return Double.POSITIVE_INFINITY;
    }
    return 10 * Math.log10(num / den);
  }
}
