package io.timbre.audio;


/**
 * What a WAV file's header says about its audio, as found (before any mixdown or resampling).
 *
 * @param encoding how each sample is stored
 * @param formatTag the fmt chunk's format tag (1 PCM, 3 float, 6 A-law, 7 µ-law, 0xFFFE extensible)
 * @param bitsPerSample the container size of one sample in bits (8, 16, 24, 32 or 64)
 * @param validBitsPerSample significant bits (equal to {@code bitsPerSample} unless WAVE_FORMAT_EXTENSIBLE says less)
 * @param channels interleaved channel count
 * @param sampleRate frames per second
 * @param frames number of complete sample frames in the data chunk
 */
public record WavFormat(
    SampleEncoding encoding,
    int formatTag,
    int bitsPerSample,
    int validBitsPerSample,
    int channels,
    int sampleRate,
    long frames) {

  /** Bytes per sample frame (all channels). */
  public int blockAlign() {
    return channels * (bitsPerSample / 8);
  }

  /** Duration in seconds. */
  public double durationSeconds() {
    return frames / (double) sampleRate;
  }
}
