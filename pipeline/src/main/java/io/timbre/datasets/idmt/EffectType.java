package io.timbre.datasets.idmt;

import java.util.Locale;

/** The effect types of IDMT-SMT-Audio-Effects: file-name code HH, its group G, settings and sample folder. */
public enum EffectType {
  NO_FX(11, 1, "NoFX", 1),
  EQ(12, 1, "EQ", 2),
  FEEDBACK_DELAY(21, 2, "FeedbackDelay", 3),
  SLAPBACK_DELAY(22, 2, "SlapbackDelay", 3),
  REVERB(23, 2, "Reverb", 3),
  CHORUS(31, 3, "Chorus", 3),
  FLANGER(32, 3, "Flanger", 3),
  PHASER(33, 3, "Phaser", 3),
  TREMOLO(34, 3, "Tremolo", 3),
  VIBRATO(35, 3, "Vibrato", 3),
  DISTORTION(41, 4, "Distortion", 3),
  OVERDRIVE(42, 4, "Overdrive", 3);

  private final int code;
  private final int group;
  private final String folder;
  private final int settings;

  EffectType(int code, int group, String folder, int settings) {
    this.code = code;
    this.group = group;
    this.folder = folder;
    this.settings = settings;
  }

  /** HH in the file name (11 … 42). */
  public int code() {
    return code;
  }

  /** G in the file name: 1 none, 2 ambience, 3 modulation, 4 distortion. */
  public int group() {
    return group;
  }

  /** The Samples/ and Lists/ folder name, also the class label. */
  public String folder() {
    return folder;
  }

  /** Number of settings (I = 1 … settings); 1 + 2 + 10 × 3 = 33 variants per clean note. */
  public int settings() {
    return settings;
  }

  public static EffectType ofCode(int code) {
    for (EffectType t : values()) {
      if (t.code == code) {
        return t;
      }
    }
    return null;
  }

  public static EffectType ofFolder(String folder) {
    for (EffectType t : values()) {
      if (t.folder.toLowerCase(Locale.ROOT).equals(folder.toLowerCase(Locale.ROOT))) {
        return t;
      }
    }
    return null;
  }

  public static String groupName(int group) {
    return switch (group) {
      case 1 -> "none";
      case 2 -> "ambience";
      case 3 -> "modulation";
      case 4 -> "distortion";
      default -> "unknown";
    };
  }
}
