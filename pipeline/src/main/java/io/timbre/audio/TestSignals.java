package io.timbre.audio;

import java.util.SplittableRandom;

/**
 * Deterministic music-like test signals: harmonic notes with attack/decay envelopes and vibrato over a pink-ish noise
 * floor, with a spectrum that falls off like real recordings. Benchmarks, resampler checks and the bundled example use
 * them, so that figures are measured on audio with realistic spectral content rather than on a pure sine.
 */
public final class TestSignals {
  private TestSignals() {}

  /**
   * {@code seconds} of mono music-like audio at {@code sampleRate}, peak about 0.5.
   *
   * @param seed the random seed (same seed, same samples)
   */
  public static float[] music(int sampleRate, double seconds, long seed) {
    int n = (int) Math.round(seconds * sampleRate);
    float[] out = new float[n];
    SplittableRandom rng = new SplittableRandom(seed);
    double noteSeconds = 0.25;
    int noteLen = (int) (noteSeconds * sampleRate);
    double[] scale = {0, 2, 4, 5, 7, 9, 11, 12};
    // Notes: random pitches from a scale over three octaves, 6–12 harmonics with 1/h^1.5 amplitudes.
    for (int start = 0; start < n; start += noteLen) {
      double midi = 48 + 12 * rng.nextInt(3) + scale[rng.nextInt(scale.length)];
      double f0 = 440.0 * Math.pow(2, (midi - 69) / 12.0);
      int harmonics = 6 + rng.nextInt(7);
      double vibratoHz = 4.5 + rng.nextDouble() * 2;
      double vibratoDepth = 0.003 * rng.nextDouble();
      int len = Math.min(noteLen * (1 + rng.nextInt(3)), n - start);
      double phase = 0;
      for (int i = 0; i < len; i++) {
        double t = i / (double) sampleRate;
        double env = Math.min(1.0, t / 0.01) * Math.exp(-3.0 * t);
        double f = f0 * (1 + vibratoDepth * Math.sin(2 * Math.PI * vibratoHz * t));
        phase += 2 * Math.PI * f / sampleRate;
        double s = 0;
        for (int h = 1; h <= harmonics; h++) {
          if (h * f < sampleRate / 2.0) {
            s += Math.sin(h * phase) / Math.pow(h, 1.5);
          }
        }
        out[start + i] += (float) (0.12 * env * s);
      }
    }
    // A pink-ish noise floor (Voss–McCartney-like sum of held random values), ~ -40 dB.
    double[] rows = new double[8];
    double sum = 0;
    for (int i = 0; i < n; i++) {
      int k = Integer.numberOfTrailingZeros(i + 1);
      if (k < rows.length) {
        sum -= rows[k];
        rows[k] = rng.nextDouble() * 2 - 1;
        sum += rows[k];
      }
      out[i] += (float) (0.004 * sum);
    }
    return out;
  }

  /** A sine of {@code hz} at amplitude {@code amplitude}. */
  public static float[] sine(int sampleRate, double seconds, double hz, double amplitude) {
    int n = (int) Math.round(seconds * sampleRate);
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = (float) (amplitude * Math.sin(2 * Math.PI * hz * i / sampleRate));
    }
    return out;
  }
}
