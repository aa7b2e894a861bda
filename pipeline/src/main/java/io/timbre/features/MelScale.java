package io.timbre.features;

import io.timbre.util.Identified;

/** Hz ↔ mel conversions exactly as librosa's {@code hz_to_mel}/{@code mel_to_hz}. */
public enum MelScale implements Identified {
  /** Slaney's Auditory Toolbox scale: linear (f/(200/3)) below 1 kHz, logarithmic above. librosa's default. */
  SLANEY("slaney"),
  /** HTK: 2595·log10(1 + f/700). */
  HTK("htk");

  private static final double F_SP = 200.0 / 3;
  private static final double MIN_LOG_HZ = 1000.0;
  private static final double MIN_LOG_MEL = MIN_LOG_HZ / F_SP;
  private static final double LOGSTEP = Math.log(6.4) / 27.0;

  private final String id;

  MelScale(String id) {
    this.id = id;
  }

  @Override
  public String id() {
    return id;
  }

  public static MelScale fromId(String id) {
    return Identified.parse(MelScale.class, id, "mel scale");
  }

  public double hzToMel(double hz) {
    if (this == HTK) {
      return 2595.0 * Math.log10(1.0 + hz / 700.0);
    }
    return hz >= MIN_LOG_HZ ? MIN_LOG_MEL + Math.log(hz / MIN_LOG_HZ) / LOGSTEP : hz / F_SP;
  }

  public double melToHz(double mel) {
    if (this == HTK) {
      return 700.0 * (Math.pow(10.0, mel / 2595.0) - 1.0);
    }
    return mel >= MIN_LOG_MEL ? MIN_LOG_HZ * Math.exp(LOGSTEP * (mel - MIN_LOG_MEL)) : F_SP * mel;
  }
}
