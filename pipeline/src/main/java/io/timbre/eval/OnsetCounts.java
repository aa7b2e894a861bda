package io.timbre.eval;

import java.io.Serializable;

/**
 * Onset detection counts defined as mir_eval 0.7's {@code onset.f_measure(reference, estimated, window=0.05)}: times
 * in seconds; a reference onset and an estimate can pair when {@code ref >= est - window} and
 * {@code ref <= est + window} in double arithmetic (mir_eval's {@code _fast_hit_windows}, so a pair exactly 50 ms
 * apart is in or out as floating point decides there, not by rounding to frames); each onset pairs at most once and
 * the number of pairs is maximal; precision = pairs / estimated, recall = pairs / reference, and every figure is 0
 * when either list is empty. Estimates come from activations by peak picking: a frame whose activation is at least
 * the threshold and a local maximum.
 *
 * <p>mir_eval finds the maximum matching with Hopcroft–Karp. Both window bounds are monotone in the estimate's time
 * (rounding is monotone), so each estimate's partners are a contiguous run of the sorted references that moves right
 * with the estimate; pairing each estimate, in time order, with the earliest unpaired partner is then a maximum
 * matching too, in linear time.
 */
public record OnsetCounts(long truePositives, long falsePositives, long falseNegatives) implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final OnsetCounts ZERO = new OnsetCounts(0, 0, 0);
  /** mir_eval's default window, seconds. */
  public static final double WINDOW_SECONDS = 0.05;
  /** The reference definition these figures follow, as recorded in metrics.json. */
  public static final String DEFINITION = "mir_eval 0.7 onset.f_measure, window 0.05 s";

  public OnsetCounts plus(OnsetCounts o) {
    return new OnsetCounts(truePositives + o.truePositives, falsePositives + o.falsePositives,
        falseNegatives + o.falseNegatives);
  }

  /**
   * Scores estimated against reference onset times in seconds, both ascending.
   *
   * @throws IllegalArgumentException when a list is not ascending or holds a value that is not finite
   */
  public static OnsetCounts match(double[] reference, double[] estimated, double window) {
    checkAscending(reference, "reference");
    checkAscending(estimated, "estimated");
    long pairs = 0;
    int next = 0; // first reference not yet paired nor passed
    for (double e : estimated) {
      double from = e - window;
      double to = e + window;
      while (next < reference.length && !(reference[next] >= from)) {
        next++;
      }
      if (next < reference.length && reference[next] <= to) {
        pairs++;
        next++;
      }
    }
    return new OnsetCounts(pairs, estimated.length - pairs, reference.length - pairs);
  }

  /**
   * One channel of one example: peaks of the network's activations against the reference onset frames, both as
   * times in seconds on the clip's time axis, so the training run's validation and the evaluate job count the same
   * pairs.
   *
   * @param activations the example's outputs, [channels, length] in row-major order
   * @param truth reference onset indicators, [frame, channel] in row-major order (1 = onset)
   * @param firstFrame the example's first frame within its clip
   */
  public static OnsetCounts ofChannel(float[] activations, int length, float[] truth, int channels, int channel,
      int validFrames, long firstFrame, double threshold, double frameRate) {
    int[] estimated = peaks(activations, 1, channel * length, validFrames, threshold);
    int[] reference = java.util.stream.IntStream.range(0, validFrames)
        .filter(t -> truth[t * channels + channel] >= 1f).toArray();
    return match(seconds(reference, firstFrame, frameRate), seconds(estimated, firstFrame, frameRate),
        WINDOW_SECONDS);
  }

  /** Onset times in seconds of frames counted from {@code firstFrame}: {@code (firstFrame + frame) / frameRate}. */
  public static double[] seconds(int[] frames, long firstFrame, double frameRate) {
    double[] out = new double[frames.length];
    for (int i = 0; i < frames.length; i++) {
      out[i] = (firstFrame + frames[i]) / frameRate;
    }
    return out;
  }

  private static void checkAscending(double[] times, String which) {
    for (int i = 0; i < times.length; i++) {
      if (!Double.isFinite(times[i]) || i > 0 && times[i] < times[i - 1]) {
        throw new IllegalArgumentException("Cannot match onsets: the " + which + " onset times must be finite and"
            + " ascending, index " + i + " has " + times[i]);
      }
    }
  }

  /** Frames that are local maxima of {@code activation[from..to)} with value ≥ threshold (plateaus: first frame). */
  public static int[] peaks(float[] activation, int stride, int offset, int frames, double threshold) {
    int[] out = new int[frames];
    int n = 0;
    for (int t = 0; t < frames; t++) {
      float v = activation[t * stride + offset];
      float prev = t > 0 ? activation[(t - 1) * stride + offset] : Float.NEGATIVE_INFINITY;
      float next = t + 1 < frames ? activation[(t + 1) * stride + offset] : Float.NEGATIVE_INFINITY;
      if (v >= threshold && v > prev && v >= next) {
        out[n++] = t;
      }
    }
    return java.util.Arrays.copyOf(out, n);
  }

  public double precision() {
    long est = truePositives + falsePositives;
    return est == 0 ? 0 : truePositives / (double) est;
  }

  public double recall() {
    long ref = truePositives + falseNegatives;
    return ref == 0 ? 0 : truePositives / (double) ref;
  }

  /** mir_eval's {@code util.f_measure(precision, recall)} with beta 1: {@code 2·p·r / (p + r)}, 0 when both are 0. */
  public double f1() {
    double p = precision();
    double r = recall();
    return p == 0 && r == 0 ? 0 : 2.0 * p * r / (p + r);
  }
}
