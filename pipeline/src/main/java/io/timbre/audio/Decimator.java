package io.timbre.audio;


/**
 * The resampler's filter for integer decimation (fout = fin / M), computed a block of outputs at a time.
 *
 * <p>Output j is Σ_k h[k]·x[M·j − left + k] (x = 0 outside the signal), exactly as {@link Resampler#output}: every
 * implementation gives the same samples to float round-off. Blocks start at multiples of {@link #block()}, so a stream
 * and a whole signal produce identical samples. Implementations are not thread-safe (scratch buffers).
 */
interface Decimator {
  /** Outputs per block. */
  int block();

  /** Index of the first input sample the block starting at output j0 reads (may be negative: zeros). */
  long firstInput(long j0);

  /** One past the last input sample the block starting at output j0 reads. */
  long endInput(long j0);

  /**
   * Outputs [j0, j0 + count) (count ≤ block()) into {@code out[outOff…]}, reading input sample i from
   * {@code buf[i − bufStart]} for 0 ≤ i < end (zero elsewhere).
   */
  void compute(long j0, float[] buf, long bufStart, long end, float[] out, int outOff, int count);
}
