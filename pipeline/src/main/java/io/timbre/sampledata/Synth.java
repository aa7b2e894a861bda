package io.timbre.sampledata;

import java.util.SplittableRandom;

/**
 * Additive synthesis of {@link Instrument} notes from a shared sine table, plus the drum hits, noise and mixing the
 * generators need. Deterministic: everything random comes from the caller's {@link SplittableRandom}.
 */
public final class Synth {
  private static final int TABLE = 8192;
  private static final float[] SINE = new float[TABLE + 1];

  static {
    for (int i = 0; i <= TABLE; i++) {
      SINE[i] = (float) Math.sin(2 * Math.PI * i / TABLE);
    }
  }

  private Synth() {}

  static double midiToHz(double midi) {
    return 440.0 * Math.pow(2, (midi - 69) / 12.0);
  }

  /** sin(2π·phase) for phase in cycles, by table lookup with linear interpolation. */
  static float sin(double phaseCycles) {
    double p = phaseCycles - Math.floor(phaseCycles);
    double x = p * TABLE;
    int i = (int) x;
    float frac = (float) (x - i);
    return SINE[i] + (SINE[i + 1] - SINE[i]) * frac;
  }

  /**
   * Adds one note of {@code instrument} at MIDI pitch {@code midi} to {@code out} from sample {@code start}, lasting
   * {@code seconds}, at peak amplitude {@code gain}. Returns the f0 track (Hz per sample, 0 outside the note) if
   * {@code f0Out} is non-null.
   */
  public static void note(float[] out, int sampleRate, int start, double seconds, Instrument instrument, double midi,
      double gain, SplittableRandom rng, float[] f0Out) {
    int n = (int) Math.min(out.length - (long) start, Math.round(seconds * sampleRate));
    if (n <= 0) {
      return;
    }
    double f0 = midiToHz(midi);
    int harmonics = instrument.harmonics;
    double[] amp = new double[harmonics + 1];
    double norm = 0;
    for (int h = 1; h <= harmonics; h++) {
      amp[h] = instrument.harmonicAmplitude(h, f0);
      norm += amp[h];
    }
    double inharmonicity = instrument == Instrument.PIANO ? 0.0004 : 0.0;
    double[] ratio = new double[harmonics + 1];
    for (int h = 1; h <= harmonics; h++) {
      ratio[h] = h * Math.sqrt(1 + inharmonicity * h * h);
    }
    double vibratoPhase = rng.nextDouble();
    double release = Math.min(0.05, seconds / 4);
    double phase = rng.nextDouble();
    float noiseState = 0;
    for (int i = 0; i < n; i++) {
      double t = i / (double) sampleRate;
      double vib = instrument.vibratoDepth * sin(vibratoPhase + instrument.vibratoHz * t)
          * Math.min(1, t / 0.3);
      double f = f0 * (1 + vib);
      phase += f / sampleRate;
      double env = Math.min(1.0, t / instrument.attack);
      if (!instrument.plucked()) {
        env *= Math.exp(-instrument.sustainDecay * t);
      }
      double tail = seconds - t;
      if (tail < release) {
        env *= Math.max(0, tail / release);
      }
      double s = 0;
      for (int h = 1; h <= harmonics; h++) {
        if (ratio[h] * f >= sampleRate * 0.45 || amp[h] == 0) {
          continue;
        }
        double a = amp[h];
        if (instrument.plucked()) {
          a *= Math.exp(-t * instrument.pluckDecay * (1 + 0.35 * (h - 1)));
        }
        s += a * sin(phase * ratio[h]);
      }
      s /= norm;
      if (instrument == Instrument.ELECTRIC_GUITAR) {
        s = Math.tanh(3.0 * s) / Math.tanh(3.0);
      }
      if (instrument.noise > 0) {
        // Breath/bow noise: one-pole low-passed white noise, following the envelope.
        noiseState = 0.7f * noiseState + 0.3f * (float) (rng.nextDouble() * 2 - 1);
        s += instrument.noise * 4 * noiseState;
      }
      out[start + i] += (float) (gain * env * s);
      if (f0Out != null && env > 0.05) {
        f0Out[start + i] = (float) f;
      }
    }
  }

  /** A phrase of 2–5 notes of {@code instrument} filling {@code out[from, to)}. */
  public static void phrase(float[] out, int sampleRate, int from, int to, Instrument instrument, double gain,
      SplittableRandom rng) {
    int pos = from;
    int notes = 2 + rng.nextInt(4);
    int noteLen = (to - from) / notes;
    for (int k = 0; k < notes && pos < to; k++) {
      int midi = instrument.midiLow + rng.nextInt(instrument.midiHigh - instrument.midiLow + 1);
      int len = k == notes - 1 ? to - pos : (int) (noteLen * (0.8 + 0.4 * rng.nextDouble()));
      note(out, sampleRate, pos, len / (double) sampleRate, instrument, midi, gain * (0.7 + 0.3 * rng.nextDouble()),
          rng, null);
      pos += len;
    }
  }

  /** A drum hit: kick (pitched sine sweep), snare (noise + tone), hi-hat (high-passed noise burst). */
  public static void drum(float[] out, int sampleRate, int start, String kind, double gain, SplittableRandom rng) {
    int n = Math.min(out.length - start, (int) (0.3 * sampleRate));
    double phase = 0;
    float prev = 0;
    for (int i = 0; i < n; i++) {
      double t = i / (double) sampleRate;
      double s;
      switch (kind) {
        case "KD" -> {
          double f = 50 + 100 * Math.exp(-t * 30);
          phase += f / sampleRate;
          s = sin(phase) * Math.exp(-t * 12);
        }
        case "SD" -> {
          phase += 190.0 / sampleRate;
          s = 0.5 * sin(phase) * Math.exp(-t * 25) + 0.6 * (rng.nextDouble() * 2 - 1) * Math.exp(-t * 18);
        }
        case "HH" -> {
          float w = (float) (rng.nextDouble() * 2 - 1);
          s = (w - prev) * 0.8 * Math.exp(-t * 60); // first difference: a crude high-pass
          prev = w;
        }
        default -> throw new IllegalArgumentException("Unknown drum '" + kind + "'");
      }
      out[start + i] += (float) (gain * s);
    }
  }

  /** Adds low-level pink-ish noise (sum of held random values) at {@code level}. */
  public static void noise(float[] out, double level, SplittableRandom rng) {
    double[] rows = new double[8];
    double sum = 0;
    for (int i = 0; i < out.length; i++) {
      int k = Integer.numberOfTrailingZeros(i + 1);
      if (k < rows.length) {
        sum -= rows[k];
        rows[k] = rng.nextDouble() * 2 - 1;
        sum += rows[k];
      }
      out[i] += (float) (level * sum / 3);
    }
  }

  /** Scales {@code x} so its peak is {@code peak} (no-op for silence). */
  public static void normalise(float[] x, double peak) {
    float max = 0;
    for (float v : x) {
      max = Math.max(max, Math.abs(v));
    }
    if (max > 0) {
      float g = (float) (peak / max);
      for (int i = 0; i < x.length; i++) {
        x[i] *= g;
      }
    }
  }

  /** Interleaves mono into stereo with a constant-power pan in [-1, 1]. */
  public static float[] pan(float[] mono, double pan) {
    double angle = (pan + 1) * Math.PI / 4;
    float l = (float) Math.cos(angle);
    float r = (float) Math.sin(angle);
    float[] st = new float[mono.length * 2];
    for (int i = 0; i < mono.length; i++) {
      st[2 * i] = mono[i] * l;
      st[2 * i + 1] = mono[i] * r;
    }
    return st;
  }
}
