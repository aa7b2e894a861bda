package io.timbre.sampledata;


/**
 * Synthesis presets: one per instrument class of the generated datasets, each with its own spectral envelope,
 * temporal envelope, register, vibrato and noise, so a spectrogram model can tell them apart the way it would real
 * instruments (by timbre, not by loudness or pitch alone).
 */
public enum Instrument {
  // code, midiLow, midiHigh, attackS, plucked(decay/s), sustainDecay/s, vibratoHz, vibratoDepth, noise, harmonics
  CELLO("cel", 36, 60, 0.08, 0, 0.3, 5.0, 0.004, 0.02, 24),
  CLARINET("cla", 50, 77, 0.03, 0, 0.2, 0.0, 0.0, 0.01, 20),
  FLUTE("flu", 60, 91, 0.06, 0, 0.25, 5.0, 0.003, 0.06, 8),
  ACOUSTIC_GUITAR("gac", 40, 76, 0.002, 2.5, 0, 0.0, 0.0, 0.0, 30),
  ELECTRIC_GUITAR("gel", 40, 81, 0.003, 0.8, 0, 0.0, 0.0, 0.0, 30),
  ORGAN("org", 36, 84, 0.01, 0, 0.0, 0.0, 0.0, 0.0, 16),
  PIANO("pia", 33, 96, 0.004, 1.5, 0, 0.0, 0.0, 0.0, 30),
  SAXOPHONE("sax", 49, 81, 0.03, 0, 0.2, 5.5, 0.005, 0.04, 24),
  TRUMPET("tru", 55, 82, 0.04, 0, 0.2, 5.0, 0.002, 0.015, 20),
  VIOLIN("vio", 55, 100, 0.07, 0, 0.3, 6.0, 0.006, 0.02, 28),
  VOICE("voi", 45, 76, 0.05, 0, 0.3, 5.5, 0.008, 0.02, 40);

  private final String code;
  final int midiLow;
  final int midiHigh;
  final double attack;
  final double pluckDecay;
  final double sustainDecay;
  final double vibratoHz;
  final double vibratoDepth;
  final double noise;
  final int harmonics;

  Instrument(String code, int midiLow, int midiHigh, double attack, double pluckDecay, double sustainDecay,
      double vibratoHz, double vibratoDepth, double noise, int harmonics) {
    this.code = code;
    this.midiLow = midiLow;
    this.midiHigh = midiHigh;
    this.attack = attack;
    this.pluckDecay = pluckDecay;
    this.sustainDecay = sustainDecay;
    this.vibratoHz = vibratoHz;
    this.vibratoDepth = vibratoDepth;
    this.noise = noise;
    this.harmonics = harmonics;
  }

  /** The IRMAS code (cel, cla, …). */
  public String code() {
    return code;
  }

  public static Instrument ofCode(String code) {
    for (Instrument i : values()) {
      if (i.code.equals(code)) {
        return i;
      }
    }
    throw new IllegalArgumentException("Unknown instrument code '" + code + "'");
  }

  boolean plucked() {
    return pluckDecay > 0;
  }

  /** Relative amplitude of harmonic h (1-based) of a note at f0 Hz: the instrument's spectral envelope. */
  double harmonicAmplitude(int h, double f0) {
    double f = h * f0;
    return switch (this) {
      case CELLO -> 1.0 / h * formant(f, 300, 250, 1.5) ;
      case VIOLIN -> 1.0 / h * formant(f, 3000, 1200, 2.5);
      case CLARINET -> (h % 2 == 1 ? 1.0 / h : 0.04 / h);
      case FLUTE -> h == 1 ? 1.0 : h == 2 ? 0.25 : 0.08 / h;
      case ACOUSTIC_GUITAR -> Math.pow(h, -1.1) * Math.abs(Math.sin(Math.PI * h * 0.18));
      case ELECTRIC_GUITAR -> Math.pow(h, -0.8) * Math.abs(Math.sin(Math.PI * h * 0.27));
      case ORGAN -> switch (h) {
        case 1 -> 1.0;
        case 2 -> 0.8;
        case 3 -> 0.6;
        case 4 -> 0.5;
        case 6 -> 0.35;
        case 8 -> 0.3;
        default -> 0.0;
      };
      case PIANO -> Math.pow(h, -1.5) * Math.abs(Math.sin(Math.PI * h / 7.3));
      case SAXOPHONE -> Math.pow(h, -0.7) * formant(f, 1500, 700, 3);
      case TRUMPET -> h <= 5 ? h / 5.0 : Math.pow(5.0 / h, 1.8);
      case VOICE -> Math.pow(h, -0.5) * (formant(f, 700, 110, 4) + formant(f, 1220, 120, 3) + formant(f, 2600, 200, 2))
          / 3;
    };
  }

  /** A bump of height {@code gain} around {@code center} Hz (plus 1 outside): a crude formant. */
  private static double formant(double f, double center, double width, double gain) {
    double x = (f - center) / width;
    return 0.15 + gain * Math.exp(-0.5 * x * x);
  }
}
