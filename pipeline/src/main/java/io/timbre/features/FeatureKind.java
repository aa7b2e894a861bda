package io.timbre.features;

/** Which representation a feature spec produces; frames × bins in every case. */
public enum FeatureKind {
  /** |STFT|^power, linear (n_fft/2 + 1 bins). */
  STFT("stft"),
  /** |STFT|^power in dB (power_to_db or amplitude_to_db by the spec's power). */
  STFT_DB("stft_db"),
  /** Mel spectrogram in dB (n_mels bins). */
  LOGMEL("logmel"),
  /** MFCC: orthonormal DCT-II of the dB mel spectrogram (n_mfcc bins). */
  MFCC("mfcc");

  private final String id;

  FeatureKind(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }

  public static FeatureKind fromId(String id) {
    for (FeatureKind k : values()) {
      if (k.id.equalsIgnoreCase(id)) {
        return k;
      }
    }
    throw new IllegalArgumentException("Unknown feature kind '" + id + "' (stft, stft_db, logmel, mfcc)");
  }
}
