package io.timbre.features;

import io.timbre.util.Identified;

/** How frames are padded when {@code center} is true. */
public enum PadMode implements Identified {
  /** Zeros: librosa ≥ 0.10's default. */
  CONSTANT("constant"),
  /** Mirror without repeating the edge: librosa < 0.10's default. */
  REFLECT("reflect");

  private final String id;

  PadMode(String id) {
    this.id = id;
  }

  @Override
  public String id() {
    return id;
  }

  public static PadMode fromId(String id) {
    return Identified.parse(PadMode.class, id, "pad_mode");
  }
}
