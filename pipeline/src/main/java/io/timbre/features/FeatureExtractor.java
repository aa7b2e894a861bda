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
  final FeatureSpec spec;
  final int nFft;
  final int hop;
  private final int nBins;
  private final double[] window;
  final SpectraKernel kernel;
  final MelFilterbank mel;
  private final Dct dct;
  final float[][] frameSrc;
  final int[] frameOff;
  final float[][] edgeFrames;
  /**
   * The rows buffer streams compute into, lent to one unfinished stream at a time and kept across clips: grown per
   * clip, a 30 s clip's rows were copied through 0.5, 1 and 2 MB arrays, each a humongous allocation for G1 (≥ half a
   * region) that started a GC pause of its own. {@link FeatureStream#finish} copies the result out;
   * {@link FeatureStream#finishInPlace} lends it.
   */
  double[] streamRows = new double[1 << 16];
  /** Largest rows buffer kept after a clip (16 MB: 128 mel bands of a 6-minute clip at 22,050 Hz, hop 512). */
  static final int RETAINED_ROWS = 1 << 21;
  FeatureStream rowsBorrower;

  /** An extractor using the fastest STFT kernel this JVM supports (SIMD when the Vector API is enabled). */
  public FeatureExtractor(FeatureSpec spec) {
    this(spec, true);
  }

  private FeatureExtractor(FeatureSpec spec, boolean allowSimd) {
    this.spec = spec;
    this.nFft = spec.nFft();
    this.hop = spec.hopLength();
    this.nBins = spec.nBins();
    this.window = analysisWindow(spec);
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
  public static double[] analysisWindow(FeatureSpec spec) {
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
    Intermediate m = intermediate(samples);
    return complete(m, 0, m.frames());
  }

  /**
   * The features before the top_db floor: dB rows (mel or STFT; unfloored) or linear |STFT|^power rows, frames ×
   * {@link #baseBins()}. Splitting here lets the floor be taken over a clip or over each segment
   * ({@link TopDbUnit}), with the DCT and deltas after it, exactly as librosa would on that array.
   */
  public record Intermediate(int frames, int bins, double[] values) {
    /** {@code values} holds frames × bins rows first; anything after them is not part of it. */
    public Intermediate {
      if (frames < 0 || bins < 0 || values.length < (long) frames * bins) {
        throw new IllegalArgumentException("An intermediate of " + frames + " x " + bins + " needs that many values,"
            + " got " + values.length);
      }
    }
  }

  /** Bins of an {@link Intermediate} row: n_mels for mel kinds, n_fft/2 + 1 for STFT kinds. */
  public int baseBins() {
    return mel != null ? spec.nMels() : nBins;
  }

  /** The {@link Intermediate} of a whole signal. */
  public Intermediate intermediate(float[] samples) {
    int frames = spec.frameCount(samples.length);
    int bins = baseBins();
    double[] out = new double[frames * bins];
    run(samples, frames, mel, out, bins);
    if (spec.kind() != FeatureKind.STFT) {
      dbNoFloor(out, frames * bins);
    }
    return new Intermediate(frames, bins, out);
  }

  /**
   * Finishes rows [from, to) of {@code m}: the top_db floor at (max over those rows − top_db), then the DCT for MFCC,
   * then deltas over those rows. {@code extract} is {@code complete(intermediate(y), 0, frames)}.
   */
  public FeatureMatrix complete(Intermediate m, int from, int to) {
    return complete(m, from, to, Double.NaN);
  }

  /**
   * As {@link #complete(Intermediate, int, int)} but flooring at (floorMax − top_db), where {@code floorMax} is the
   * maximum of a larger unit (NaN: of these rows). Lets a clip-unit floor be applied segment by segment without
   * holding a second copy of the whole clip.
   */
  public FeatureMatrix complete(Intermediate m, int from, int to, double floorMax) {
    int frames = to - from;
    int bins = m.bins();
    double[] rows = java.util.Arrays.copyOfRange(m.values(), from * bins, to * bins);
    if (spec.kind() != FeatureKind.STFT && spec.topDb() != null && frames > 0) {
      double max = Double.isNaN(floorMax) ? Decibels.max(rows, 0, rows.length) : floorMax;
      Decibels.floor(rows, 0, rows.length, max, spec.topDb());
    }
    int base = spec.kind() == FeatureKind.MFCC ? spec.nMfcc() : bins;
    int stride = base * (1 + spec.deltaOrder());
    double[] out;
    if (spec.kind() == FeatureKind.MFCC) {
      out = new double[frames * stride];
      mfcc(rows, frames, out, stride);
    } else if (stride == bins) {
      out = rows;
    } else {
      out = new double[frames * stride];
      for (int t = 0; t < frames; t++) {
        System.arraycopy(rows, t * bins, out, t * stride, bins);
      }
    }
    for (int order = 1; order <= spec.deltaOrder(); order++) {
      Deltas.apply(out, frames, stride, 0, order * base, base, spec.deltaWidth(), order);
    }
    return new FeatureMatrix(frames, stride, out);
  }

  void dbNoFloor(double[] values, int n) {
    boolean amplitude = spec.power() == 1.0;
    int bins = baseBins();
    for (int row = 0; row < n; row += bins) {
      kernel.toDb(values, row, row + bins, spec.dbRef(), spec.dbAmin(), amplitude);
    }
  }

  /**
   * A stream of samples in, {@link Intermediate} out, in memory bounded by the features (not the audio). One open
   * stream per extractor: opening another makes an unfinished one refuse further use (they share a rows buffer).
   */
  public FeatureStream stream() {
    if (rowsBorrower != null && !rowsBorrower.finished) {
      // Abandoned mid-clip (a decode error, say): it must not write into the buffer the new stream gets.
      rowsBorrower.unusable = "a newer stream of the same extractor was opened (one open stream per extractor)";
    }
    FeatureStream st = new FeatureStream(this, streamRows);
    rowsBorrower = st;
    return st;
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
    FramePadding.fill(y, 0, start, y.length, spec.padMode() == PadMode.REFLECT, e);
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

}
