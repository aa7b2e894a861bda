package io.timbre.separation;

import static io.timbre.util.Checks.check;

import io.timbre.features.ComplexSpectrogram;
import io.timbre.features.InverseStft;

/**
 * Sources back to audio from estimated magnitudes: each source's estimate divided by the mixture's magnitude is a
 * soft mask (clipped to [0, 1]); the mask times the mixture's complex STFT keeps the mixture's phase, and librosa's
 * inverse STFT ({@link InverseStft}) returns a signal of the mixture's length. With the joint mask layer the
 * estimates already are mask × mixture, so this recovers exactly the network's mask.
 */
public final class MaskedResynthesis {
  private final InverseStft istft;

  public MaskedResynthesis(InverseStft istft) {
    this.istft = istft;
  }

  /**
   * @param estimates frames × sources × bins magnitudes, source-major within a frame
   * @return sources × samples
   */
  public float[][] resynthesise(ComplexSpectrogram mixture, float[] estimates, int sources, int length) {
    int frames = mixture.frames();
    int bins = mixture.bins();
    check(estimates.length == frames * sources * bins,
        "Cannot resynthesise: %s estimate values for %s frames x %s sources x %s bins", estimates.length, frames,
        sources, bins);
    float[] magnitude = mixture.magnitude();
    float[][] out = new float[sources][];
    float[] mask = new float[frames * bins];
    for (int s = 0; s < sources; s++) {
      for (int t = 0; t < frames; t++) {
        for (int b = 0; b < bins; b++) {
          float m = magnitude[t * bins + b];
          float e = estimates[(t * sources + s) * bins + b];
          mask[t * bins + b] = m > 0 ? Math.max(0f, Math.min(1f, e / m)) : 0f;
        }
      }
      out[s] = istft.inverse(mixture.masked(mask), length);
    }
    return out;
  }

  /**
   * The ideal ratio mask's estimates, |Sᵢ| / Σⱼ|Sⱼ| × |X| (the upper bound a magnitude mask can reach), in the
   * layout of {@link #resynthesise}'s input.
   */
  public static float[] idealRatioEstimates(SeparationFrames frames) {
    int bins = frames.bins();
    int sources = frames.sources();
    float[] out = new float[frames.targets().length];
    for (int t = 0; t < frames.frames(); t++) {
      for (int b = 0; b < bins; b++) {
        double sum = 0;
        for (int s = 0; s < sources; s++) {
          sum += frames.targets()[(t * sources + s) * bins + b];
        }
        for (int s = 0; s < sources; s++) {
          int i = (t * sources + s) * bins + b;
          out[i] = sum > 0 ? (float) (frames.targets()[i] / sum * frames.mixture()[t * bins + b]) : 0f;
        }
      }
    }
    return out;
  }
}
