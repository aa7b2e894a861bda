package io.timbre.model;

import java.util.Arrays;
import java.util.Locale;

/**
 * What a network predicts, which fixes its head and loss: one label per segment (softmax + cross-entropy), a set of
 * labels (sigmoid + binary cross-entropy, the IRMAS test-set style), onset activations per frame (sigmoid per onset
 * channel), a melody pitch class per frame (softmax over semitones plus an unvoiced class), or every source's
 * magnitude spectrum per frame (separation: the joint mask times the mixture, MSE), or the next STFT frame of audio
 * (generation: MSE on standardised frames; the network's linear output is the change from the current frame, which is
 * added back — a residual connection around the network, so an untrained network starts at the repeat-last-frame
 * predictor and training learns what to change).
 */
public enum Task {
  SINGLE_LABEL("single_label", false),
  MULTI_LABEL("multi_label", false),
  ONSET("onset", true),
  MELODY("melody", true),
  SEPARATION("separation", true),
  GENERATION("generation", true);

  private final String key;
  private final boolean frameLevel;

  Task(String key, boolean frameLevel) {
    this.key = key;
    this.frameLevel = frameLevel;
  }

  /** The name used in config files and provenance. */
  public String key() {
    return key;
  }

  /** Whether targets are per STFT frame (onset, melody) rather than per segment. */
  public boolean frameLevel() {
    return frameLevel;
  }

  public static Task parse(String s) {
    for (Task t : values()) {
      if (t.key.equals(s.toLowerCase(Locale.ROOT))) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown task '" + s + "' (known: "
        + String.join(", ", Arrays.stream(values()).map(Task::key).toList()) + ")");
  }
}
