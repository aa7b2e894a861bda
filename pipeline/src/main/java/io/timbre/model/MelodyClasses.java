package io.timbre.model;


/** Semitone classes: 0 unvoiced, class c ≥ 1 = MIDI {@code minMidi + c - 1}. */
public record MelodyClasses(int minMidi, int bins) implements java.io.Serializable {
  public int of(double f0) {
    if (!(f0 > 0)) {
      return 0;
    }
    int k = (int) Math.round(69 + 12 * Math.log(f0 / 440.0) / Math.log(2)) - minMidi;
    return 1 + Math.max(0, Math.min(bins - 1, k));
  }

  public double hz(int cls) {
    return cls <= 0 ? 0 : 440 * Math.pow(2, (minMidi + cls - 1 - 69) / 12.0);
  }
}
