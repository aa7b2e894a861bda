package io.timbre.separation;

import static io.timbre.util.Checks.check;

import io.timbre.features.ComplexSpectrogram;
import io.timbre.features.ComplexStft;
import java.util.ArrayList;
import java.util.List;

/**
 * A clip's magnitude spectrograms for separation: the mixture's (frames × bins) and every source's (frames × sources ×
 * bins, source-major within a frame: the layout of the network's output and the table's frame targets), computed with
 * the spec's STFT ({@link ComplexStft}, librosa's conventions). {@link #chunks} cuts them into the sequences training
 * uses (at most {@code maxFrames}, as Huang et al. cut theirs at 100).
 */
public record SeparationFrames(int frames, int bins, int sources, float[] mixture, float[] targets) {
  public SeparationFrames {
    check(mixture.length == frames * bins, "Cannot build separation frames: mixture has %s values for %s x %s",
        mixture.length, frames, bins);
    check(targets.length == frames * sources * bins,
        "Cannot build separation frames: targets have %s values for %s frames x %s sources x %s bins",
        targets.length, frames, sources, bins);
  }

  public static SeparationFrames of(SeparationAudio audio, ComplexStft stft) {
    ComplexSpectrogram mix = stft.forward(audio.mixture());
    int frames = mix.frames();
    int bins = mix.bins();
    int sources = audio.sources().length;
    float[] targets = new float[frames * sources * bins];
    for (int s = 0; s < sources; s++) {
      float[] m = stft.forward(audio.sources()[s]).magnitude();
      for (int t = 0; t < frames; t++) {
        System.arraycopy(m, t * bins, targets, (t * sources + s) * bins, bins);
      }
    }
    return new SeparationFrames(frames, bins, sources, mix.magnitude(), targets);
  }

  /** Consecutive pieces of at most {@code maxFrames} frames (the last may be shorter). */
  public List<SeparationFrames> chunks(int maxFrames) {
    check(maxFrames > 0, "Cannot chunk: max frames must be positive: %s", maxFrames);
    List<SeparationFrames> out = new ArrayList<>();
    for (int start = 0; start < frames; start += maxFrames) {
      int n = Math.min(maxFrames, frames - start);
      float[] m = new float[n * bins];
      System.arraycopy(mixture, start * bins, m, 0, n * bins);
      float[] y = new float[n * sources * bins];
      System.arraycopy(targets, start * sources * bins, y, 0, n * sources * bins);
      out.add(new SeparationFrames(n, bins, sources, m, y));
    }
    return out;
  }
}
