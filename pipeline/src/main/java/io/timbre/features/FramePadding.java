package io.timbre.features;

/** The samples of a frame that reaches past either end of the signal, padded as librosa's {@code center=True} does. */
final class FramePadding {
  private FramePadding() {}

  /**
   * Fills {@code frame} with the n samples starting at signal index {@code start}: samples in [0, end) come from
   * {@code src} (which holds signal index i at {@code i - srcStart}), the others are zeros or numpy 'reflect' images.
   */
  static void fill(float[] src, long srcStart, long start, long end, boolean reflect, float[] frame) {
    for (int i = 0; i < frame.length; i++) {
      long j = start + i;
      float v;
      if (j >= 0 && j < end) {
        v = src[(int) (j - srcStart)];
      } else if (reflect && end > 1) {
        v = src[(int) (reflectIndex(j, end) - srcStart)];
      } else if (reflect && end == 1) {
        v = src[(int) (0 - srcStart)];
      } else {
        v = 0f;
      }
      frame[i] = v;
    }
  }

  /** numpy 'reflect' padding index (mirror without repeating the edge), for any distance outside. */
  static long reflectIndex(long j, long n) {
    long period = 2 * (n - 1);
    long m = Math.floorMod(j, period);
    return m < n ? m : period - m;
  }
}
