package io.timbre.audio;


/**
 * A decoded clip mixed down to one channel, as features are computed from it.
 *
 * <p>The array is owned by this value: callers that keep it must not modify it. It is not copied, because clips are
 * large and the features stage only reads it.
 *
 * @param samples mono samples in [-1, 1] (integer PCM scaled by 1/2^(bits-1); mono = mean of channels)
 * @param sampleRate frames per second of {@code samples}
 * @param source the format of the file as found (its native rate, channels and encoding)
 */
public record MonoAudio(float[] samples, int sampleRate, WavFormat source) {
  public MonoAudio {
    if (sampleRate <= 0) {
      throw new IllegalArgumentException("Cannot create audio: sample rate must be positive: " + sampleRate);
    }
  }

  public double durationSeconds() {
    return samples.length / (double) sampleRate;
  }

  /** The same samples at another rate (after resampling). */
  public MonoAudio withSamples(float[] newSamples, int newRate) {
    return new MonoAudio(newSamples, newRate, source);
  }
}
