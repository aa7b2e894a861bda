package io.timbre.features;

/**
 * Computes a {@link FeatureSpec}'s features from mono samples, with librosa's conventions exactly (see DESIGN.md §3):
 * centred frames padded by n_fft/2 (zeros, or reflection), periodic window without normalisation, |rfft|^power, the
 * mel filterbank, power_to_db with the top_db floor over the array passed in, orthonormal DCT-II, deltas.
 *
 * <p>Not thread-safe: an extractor owns its FFT plan and scratch buffers so that a long ingest allocates nothing per
 * frame. Use one per thread (the Spark tasks of an executor each make their own).
 */
public final class FeatureExtractor {
  private final FeatureSpec spec;
  private final int nFft;
  private final int hop;
  private final int nBins;
  private final double[] window;
  private final SpectraKernel kernel;
  private final MelFilterbank mel;
  private final Dct dct;
  private final float[][] frameSrc;
  private final int[] frameOff;
  private final float[][] edgeFrames;

  /** An extractor using the fastest STFT kernel this JVM supports (SIMD when the Vector API is enabled). */
  public FeatureExtractor(FeatureSpec spec) {
    this(spec, true);
  }

  private FeatureExtractor(FeatureSpec spec, boolean allowSimd) {
    this.spec = spec;
    this.nFft = spec.nFft();
    this.hop = spec.hopLength();
    this.nBins = spec.nBins();
    this.window = paddedWindow(spec);
    this.kernel = allowSimd ? SpectraKernel.create(spec, window) : new ScalarSpectra(spec, window);
    boolean needsMel = spec.kind() == FeatureKind.LOGMEL || spec.kind() == FeatureKind.MFCC;
    this.mel = needsMel ? MelFilterbank.of(spec) : null;
    this.dct = spec.kind() == FeatureKind.MFCC ? new Dct(spec.nMels(), spec.nMfcc()) : null;
    int batch = kernel.batch();
    this.frameSrc = new float[batch][];
    this.frameOff = new int[batch];
    this.edgeFrames = new float[batch][nFft];
  }

  /** An extractor on the scalar (JTransforms) STFT, whatever the JVM supports: the baseline for benchmarks. */
  public static FeatureExtractor scalar(FeatureSpec spec) {
    return new FeatureExtractor(spec, false);
  }

  /** Which STFT kernel this extractor runs: "simd(N lanes)" or "scalar". */
  public String kernelName() {
    return kernel.batch() > 1 ? "simd(" + kernel.batch() + " lanes)" : "scalar";
  }

  public FeatureSpec spec() {
    return spec;
  }

  /** librosa pads a window shorter than n_fft with zeros on both sides (left: (n_fft − win_length) / 2). */
  private static double[] paddedWindow(FeatureSpec spec) {
    double[] w = spec.window().coefficients(spec.winLength());
    if (spec.winLength() == spec.nFft()) {
      return w;
    }
    double[] padded = new double[spec.nFft()];
    System.arraycopy(w, 0, padded, (spec.nFft() - spec.winLength()) / 2, w.length);
    return padded;
  }

  /**
   * The spec's features of {@code samples} (which must already be at the spec's sample rate). The top_db floor, if
   * any, is taken over the whole of {@code samples}, as {@code librosa.power_to_db} does over the array it is given.
   */
  public FeatureMatrix extract(float[] samples) {
    int frames = spec.frameCount(samples.length);
    int base = switch (spec.kind()) {
      case STFT, STFT_DB -> nBins;
      case LOGMEL -> spec.nMels();
      case MFCC -> spec.nMfcc();
    };
    int stride = base * (1 + spec.deltaOrder());
    double[] out = new double[frames * stride];
    switch (spec.kind()) {
      case STFT -> spectra(samples, frames, out, stride);
      case STFT_DB -> {
        spectra(samples, frames, out, stride);
        toDb(out, frames, stride, base);
      }
      case LOGMEL -> {
        melSpectra(samples, frames, out, stride);
        toDb(out, frames, stride, base);
      }
      case MFCC -> mfcc(logMelDb(samples, frames), frames, out, stride);
      default -> throw new IllegalStateException("Unhandled kind " + spec.kind());
    }
    for (int order = 1; order <= spec.deltaOrder(); order++) {
      Deltas.apply(out, frames, stride, 0, order * base, base, spec.deltaWidth(), order);
    }
    return new FeatureMatrix(frames, stride, out);
  }

  /**
   * The dB mel spectrogram (floored over the whole input) and the MFCC computed from it, in one pass: what a table
   * storing both, or the benchmark, needs. Requires an MFCC spec; deltas are not applied.
   */
  public LogMelMfcc logMelAndMfcc(float[] samples) {
    if (spec.kind() != FeatureKind.MFCC) {
      throw new IllegalStateException("Cannot compute log-mel and MFCC with a " + spec.kind().id() + " spec");
    }
    int frames = spec.frameCount(samples.length);
    double[] melDb = logMelDb(samples, frames);
    double[] mfcc = new double[frames * spec.nMfcc()];
    mfcc(melDb, frames, mfcc, spec.nMfcc());
    return new LogMelMfcc(new FeatureMatrix(frames, spec.nMels(), melDb),
        new FeatureMatrix(frames, spec.nMfcc(), mfcc));
  }

  /** A dB mel spectrogram and the MFCC computed from it. */
  public record LogMelMfcc(FeatureMatrix logMel, FeatureMatrix mfcc) {}

  private double[] logMelDb(float[] samples, int frames) {
    double[] melDb = new double[frames * spec.nMels()];
    melSpectra(samples, frames, melDb, spec.nMels());
    toDb(melDb, frames, spec.nMels(), spec.nMels());
    return melDb;
  }

  private void mfcc(double[] melDb, int frames, double[] out, int stride) {
    kernel.dct(dct, melDb, frames, spec.nMels(), out, stride);
  }

  /** Mel power (or magnitude, for power 1) spectrogram: frames × n_mels into {@code out} with row stride. */
  public void melSpectra(float[] samples, int frames, double[] out, int stride) {
    run(samples, frames, mel, out, stride);
  }

  /** |STFT|^power: frames × (n_fft/2 + 1) into {@code out} with row stride. */
  public void spectra(float[] samples, int frames, double[] out, int stride) {
    run(samples, frames, null, out, stride);
  }

  /** The mel filterbank in use, or null for STFT kinds. */
  public MelFilterbank melFilterbank() {
    return mel;
  }

  /** The DCT in use, or null unless the kind is MFCC. */
  public Dct dct() {
    return dct;
  }

  private void run(float[] y, int frames, MelFilterbank bank, double[] out, int stride) {
    int batch = kernel.batch();
    for (int t0 = 0; t0 < frames; t0 += batch) {
      int count = Math.min(batch, frames - t0);
      for (int f = 0; f < count; f++) {
        locateFrame(y, t0 + f, f);
      }
      kernel.compute(frameSrc, frameOff, count, bank, out, t0, stride);
    }
  }

  /** Points slot f at frame t's n_fft samples: in place when inside the signal, else a padded copy. */
  private void locateFrame(float[] y, int t, int f) {
    int start = t * hop - (spec.center() ? nFft / 2 : 0);
    if (start >= 0 && start + nFft <= y.length) {
      frameSrc[f] = y;
      frameOff[f] = start;
      return;
    }
    float[] e = edgeFrames[f];
    boolean reflect = spec.padMode() == FeatureSpec.PadMode.REFLECT;
    for (int i = 0; i < nFft; i++) {
      int j = start + i;
      float v;
      if (j >= 0 && j < y.length) {
        v = y[j];
      } else if (reflect && y.length > 1) {
        v = y[reflectIndex(j, y.length)];
      } else if (reflect && y.length == 1) {
        v = y[0];
      } else {
        v = 0f;
      }
      e[i] = v;
    }
    frameSrc[f] = e;
    frameOff[f] = 0;
  }

  /**
   * Converts {@code bins} columns of a frames × stride matrix to dB in place and floors them at (max − top_db) over
   * the whole matrix, with this extractor's kernel. A stage of {@link #extract}, public for streaming callers and the
   * benchmark's breakdown.
   */
  public void decibels(double[] m, int frames, int stride, int bins) {
    toDb(m, frames, stride, bins);
  }

  /** MFCC rows (n_mfcc wide) of a frames × n_mels dB matrix, with this extractor's kernel. */
  public void mfccFromDb(double[] melDb, int frames, double[] out) {
    mfcc(melDb, frames, out, spec.nMfcc());
  }

  private void toDb(double[] m, int frames, int stride, int bins) {
    boolean amplitude = spec.power() == 1.0;
    double max = Double.NEGATIVE_INFINITY;
    for (int t = 0; t < frames; t++) {
      int row = t * stride;
      max = Math.max(max, kernel.toDb(m, row, row + bins, spec.dbRef(), spec.dbAmin(), amplitude));
    }
    if (spec.topDb() != null) {
      for (int t = 0; t < frames; t++) {
        int row = t * stride;
        Decibels.floor(m, row, row + bins, max, spec.topDb());
      }
    }
  }

  /** numpy 'reflect' padding index (mirror without repeating the edge), for any distance outside. */
  static int reflectIndex(int j, int n) {
    int period = 2 * (n - 1);
    int m = Math.floorMod(j, period);
    return m < n ? m : period - m;
  }
}
