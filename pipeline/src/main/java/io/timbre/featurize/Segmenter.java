package io.timbre.featurize;

import io.timbre.features.FeatureExtractor;
import io.timbre.features.FeatureKind;
import io.timbre.features.FeatureMatrix;
import io.timbre.features.FeatureSpec;
import io.timbre.features.TopDbUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts a clip's features into the spec's segments.
 *
 * <p>Segment length and hop are rounded to whole STFT frames (L = round(segment_seconds · sr / hop_length), likewise
 * the segment hop H); segment k starts at frame k·H. Rule for the end of a clip (documented in the README): a segment
 * that runs past the last frame is kept when at least half of it is real audio, padded with silence (rows at the dB
 * floor, or zeros for linear spectra) and marked by {@code validFrames}; shorter tails are dropped and counted; a clip
 * shorter than one segment still yields one padded segment, so no clip vanishes. With segment_seconds = 0 the whole
 * clip is one segment of its own length.
 *
 * <p>The top_db floor follows the spec's unit: {@code clip} floors the whole clip once, before cutting; {@code
 * segment} floors each segment at its own maximum — then MFCC and deltas are computed on what was floored, exactly as
 * librosa would on that array.
 */
public final class Segmenter {
  private final FeatureSpec spec;

  public Segmenter(FeatureSpec spec) {
    this.spec = spec;
  }

  /** Segment length in frames (0 = whole clip). */
  public int segmentFrames() {
    return spec.segmentSeconds() == 0 ? 0
        : Math.max(1, (int) Math.round(spec.segmentSeconds() * spec.sampleRate() / spec.hopLength()));
  }

  public int hopFrames() {
    return spec.segmentSeconds() == 0 ? 0
        : Math.max(1, (int) Math.round(spec.segmentHopSeconds() * spec.sampleRate() / spec.hopLength()));
  }

  /** Start frames of the segments of a clip of {@code frames} frames, per the rule above. */
  public int[] starts(int frames) {
    int len = segmentFrames();
    if (len == 0) {
      return new int[] {0};
    }
    int hop = hopFrames();
    List<Integer> out = new ArrayList<>();
    for (int s = 0; s < Math.max(frames, 1); s += hop) {
      int valid = Math.min(len, frames - s);
      if (valid == len || (out.isEmpty()) || 2 * valid >= len) {
        out.add(s);
      }
      if (s + len >= frames) {
        break;
      }
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * The segments of a clip.
   *
   * @param fx the extractor that produced {@code m} (its spec is this segmenter's)
   * @param frameTargets frames × channels per-frame targets of the whole clip (or null)
   * @param channels number of target channels
   */
  public List<Segment> segments(FeatureExtractor fx, FeatureExtractor.Intermediate m, float[] frameTargets,
      int channels) {
    int len = segmentFrames();
    int[] starts = starts(m.frames());
    int need = len == 0 ? m.frames() : starts[starts.length - 1] + len;
    FeatureExtractor.Intermediate padded = pad(m, need);
    List<Segment> out = new ArrayList<>(starts.length);
    boolean clipUnit = spec.topDbUnit() == TopDbUnit.CLIP || len == 0;
    double clipMax = io.timbre.features.Decibels.max(m.values(), 0, m.frames() * m.bins());
    // Deltas look across segment edges, so with deltas a clip-unit table completes the whole clip (its real frames
    // only, so the deltas at its end are librosa's), then cuts it and pads with silence rows; without deltas each
    // segment is completed on its own with the clip's maximum: the same values without a second copy of the clip.
    FeatureMatrix whole = clipUnit && (spec.deltaOrder() > 0 || len == 0) ? fx.complete(m, 0, m.frames()) : null;
    double[] silence = whole == null ? null : silenceRow(fx, clipMax);
    for (int k = 0; k < starts.length; k++) {
      int s = starts[k];
      int frames = len == 0 ? m.frames() : len;
      int valid = Math.max(0, Math.min(frames, m.frames() - s));
      FeatureMatrix f;
      if (whole != null) {
        f = slice(whole, s, valid, frames, silence);
      } else {
        f = fx.complete(padded, s, s + frames, clipUnit ? clipMax : Double.NaN);
      }
      float[] targets = new float[0];
      if (frameTargets != null && channels > 0) {
        targets = new float[frames * channels];
        int copy = Math.min(frames, m.frames() - s) * channels;
        if (copy > 0) {
          System.arraycopy(frameTargets, s * channels, targets, 0, copy);
        }
      }
      out.add(new Segment(k, s, frames, valid, f.bins(), f.toFloatArray(), targets));
    }
    return out;
  }

  /**
   * A generation table's segments: example t has frame t as features and frame t + 1 as target, so a clip of
   * {@code frames} frames has frames − 1 examples, cut by {@link #starts} like any clip; padding is zeros in both,
   * outside {@code validFrames}.
   *
   * @param encoded frames × width encoded STFT frames of the whole clip
   */
  public List<Segment> nextFrameSegments(float[] encoded, int frames, int width) {
    int examples = Math.max(0, frames - 1);
    int len = segmentFrames() == 0 ? Math.max(examples, 1) : segmentFrames();
    int[] starts = starts(examples);
    List<Segment> out = new ArrayList<>(starts.length);
    for (int k = 0; k < starts.length; k++) {
      int s = starts[k];
      int valid = Math.max(0, Math.min(len, examples - s));
      float[] features = new float[len * width];
      float[] next = new float[len * width];
      System.arraycopy(encoded, s * width, features, 0, valid * width);
      System.arraycopy(encoded, (s + 1) * width, next, 0, valid * width);
      out.add(new Segment(k, s, len, valid, width, features, next));
    }
    return out;
  }

  /** Rows appended up to {@code frames}, holding silence: the dB floor's lowest value, or 0 for linear spectra. */
  private FeatureExtractor.Intermediate pad(FeatureExtractor.Intermediate m, int frames) {
    if (frames <= m.frames()) {
      return m;
    }
    double[] v = Arrays.copyOf(m.values(), frames * m.bins());
    double silence = spec.kind() == FeatureKind.STFT ? 0.0 : lowestDb();
    Arrays.fill(v, m.frames() * m.bins(), v.length, silence);
    return new FeatureExtractor.Intermediate(frames, m.bins(), v);
  }

  private double lowestDb() {
    double amin = spec.power() == 1.0 ? spec.dbAmin() * spec.dbAmin() : spec.dbAmin();
    double ref = spec.power() == 1.0 ? spec.dbRef() * spec.dbRef() : spec.dbRef();
    return 10 * Math.log10(amin) - 10 * Math.log10(Math.max(amin, ref));
  }

  /** Rows [from, from + valid) of {@code m}, then {@code silence} rows up to {@code frames}. */
  private static FeatureMatrix slice(FeatureMatrix m, int from, int valid, int frames, double[] silence) {
    double[] v = new double[frames * m.bins()];
    System.arraycopy(m.values(), from * m.bins(), v, 0, valid * m.bins());
    for (int t = valid; t < frames; t++) {
      System.arraycopy(silence, 0, v, t * m.bins(), m.bins());
    }
    return new FeatureMatrix(frames, m.bins(), v);
  }

  /** The completed features of a silent frame (the dB floor; deltas 0) under a clip maximum. */
  private double[] silenceRow(FeatureExtractor fx, double clipMax) {
    int rows = Math.max(spec.deltaWidth(), 1);
    double[] v = new double[rows * fx.baseBins()];
    Arrays.fill(v, spec.kind() == FeatureKind.STFT ? 0.0 : lowestDb());
    FeatureMatrix f = fx.complete(new FeatureExtractor.Intermediate(rows, fx.baseBins(), v), 0, rows, clipMax);
    return Arrays.copyOf(f.values(), f.bins());
  }
}
