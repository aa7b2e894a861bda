package io.timbre.features;

import io.timbre.util.Identified;

/** Which representation a feature spec produces; frames × bins in every case. */
public enum FeatureKind implements Identified {
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

  @Override
  public String id() {
    return id;
  }

  public static FeatureKind fromId(String id) {
    return Identified.parse(FeatureKind.class, id, "feature kind");
  }
}
