package io.timbre.features;

import java.util.Arrays;

/**
 * Feeds samples (at the spec's rate) block by block; frames are computed as soon as their samples are in, so the
 * audio buffer stays at about n_fft + batch × hop samples whatever the clip length. {@link #finish} computes the
 * right-padded last frames and returns what {@link FeatureExtractor#intermediate} would on the whole signal.
 *
 * <p>Opened by {@link FeatureExtractor#stream()}; one open stream per extractor, as they share its rows buffer.
 */
public final class FeatureStream {
  private final FeatureExtractor fx;
  private float[] buf = new float[1 << 15];
  private long bufStart;
  private int bufLen;
  private long seen;
  private int nextFrame;
  private double[] rows;
  boolean finished;
  /** Why feed/finish must refuse (the rows buffer went to a newer stream), or null. */
  String unusable;
  private FeatureExtractor.Intermediate result;
  private FeatureExtractor.Intermediate inPlace;
  private final int pad;

  FeatureStream(FeatureExtractor fx, double[] rows) {
    this.fx = fx;
    this.rows = rows;
    this.pad = fx.spec.center() ? fx.spec.nFft() / 2 : 0;
  }

  public void feed(float[] in, int offset, int length) {
    if (finished) {
      throw new IllegalStateException("Cannot feed a finished feature stream");
    }
    checkCurrent();
    if (bufLen + length > buf.length) {
      compact();
      if (bufLen + length > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(bufLen + length, buf.length * 2));
      }
    }
    System.arraycopy(in, offset, buf, bufLen, length);
    bufLen += length;
    seen += length;
    int batch = fx.kernel.batch();
    // Frames whose last sample has arrived (the left edge may be padding), a batch at a time.
    while ((long) (nextFrame + batch - 1) * fx.hop - pad + fx.nFft <= seen) {
      computeFrames(nextFrame, batch, -1);
    }
  }

  /**
   * Computes the remaining frames (padded on the right) and returns the whole clip's intermediate rows, in an array
   * of its own; called again, returns the same result.
   */
  public FeatureExtractor.Intermediate finish() {
    if (result == null) {
      FeatureExtractor.Intermediate shared = finishInPlace();
      result = new FeatureExtractor.Intermediate(shared.frames(), shared.bins(),
          Arrays.copyOf(shared.values(), shared.frames() * shared.bins()));
    }
    return result;
  }

  /**
   * What {@link #finish} returns, without copying it out of the extractor's rows buffer: the values array is that
   * buffer (it may be longer than frames × bins) and stays valid only until the extractor's next {@link #stream()}.
   * For a caller that is done with the rows before it opens the next stream (the ingest's segmenter): a 30 s clip's
   * rows are 1.3 MB, and a fresh array of that size per clip is a humongous allocation for G1 on a 4 GB heap (over
   * half a 2 MB region), each one starting a GC cycle. Called again, returns the same result.
   */
  public FeatureExtractor.Intermediate finishInPlace() {
    if (inPlace != null) {
      if (fx.rowsBorrower != this) {
        throw new IllegalStateException("This feature stream's rows were reused by a newer stream of the same"
            + " extractor; copy them (finish()) before opening another stream");
      }
      return inPlace;
    }
    checkCurrent();
    finished = true;
    // From here on the rows buffer may be lent to the next stream, whatever happens below.
    unusable = "it failed to finish";
    int total = fx.spec.frameCount(seen);
    while (nextFrame < total) {
      computeFrames(nextFrame, Math.min(fx.kernel.batch(), total - nextFrame), seen);
    }
    int bins = fx.baseBins();
    if (fx.spec.kind() != FeatureKind.STFT) {
      fx.dbNoFloor(rows, nextFrame * bins);
    }
    inPlace = new FeatureExtractor.Intermediate(nextFrame, bins, rows);
    unusable = null;
    if (fx.streamRows.length > FeatureExtractor.RETAINED_ROWS) {
      fx.streamRows = new double[1 << 16]; // an hour-long file's rows are not worth keeping for the clips after it
    }
    return inPlace;
  }

  private void checkCurrent() {
    if (unusable != null) {
      throw new IllegalStateException("This feature stream can no longer be used: " + unusable);
    }
  }

  /** Samples seen so far. */
  public long samples() {
    return seen;
  }

  private void computeFrames(int first, int count, long total) {
    int bins = fx.baseBins();
    for (int f = 0; f < count; f++) {
      locate(first + f, f, total);
    }
    if ((long) (first + count) * bins > rows.length) {
      rows = Arrays.copyOf(rows, Math.max((first + count) * bins, rows.length * 2));
      fx.streamRows = rows;
    }
    fx.kernel.compute(fx.frameSrc, fx.frameOff, count, fx.mel, rows, first, bins);
    nextFrame = first + count;
  }

  /** Slot f ← frame t: in place in the buffer, or a padded copy at the edges ({@code total} < 0: not yet known). */
  private void locate(int t, int f, long total) {
    long start = (long) t * fx.hop - pad;
    long end = total < 0 ? seen : total;
    if (start >= bufStart && start + fx.nFft <= bufStart + bufLen && start >= 0 && start + fx.nFft <= end) {
      fx.frameSrc[f] = buf;
      fx.frameOff[f] = (int) (start - bufStart);
      return;
    }
    float[] e = fx.edgeFrames[f];
    FramePadding.fill(buf, bufStart, start, end, fx.spec.padMode() == PadMode.REFLECT, e);
    fx.frameSrc[f] = e;
    fx.frameOff[f] = 0;
  }

  /** Drops samples no future frame (nor a right-edge reflection) reads. */
  private void compact() {
    long keep = (long) nextFrame * fx.hop - pad - fx.hop - 1;
    int drop = (int) Math.max(0, Math.min(bufLen, keep - bufStart));
    if (drop > 0) {
      System.arraycopy(buf, drop, buf, 0, bufLen - drop);
      bufLen -= drop;
      bufStart += drop;
    }
  }
}
