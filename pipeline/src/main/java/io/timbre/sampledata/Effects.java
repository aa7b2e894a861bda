package io.timbre.sampledata;

import io.timbre.datasets.idmt.EffectType;

/**
 * Guitar/bass effects with real DSP, as the IDMT-SMT-Audio-Effects recordings were made through them: delays (feedback,
 * slapback), a Schroeder reverb, modulated-delay chorus/flanger/vibrato, an allpass phaser, tremolo, distortion and
 * overdrive waveshapers, and an amp-simulation EQ. Settings 1–3 vary each effect's main parameters.
 */
public final class Effects {
  private Effects() {}

  /** The effect applied to {@code x} (mono, {@code sr} Hz); the output has the same length. */
  public static float[] apply(EffectType type, int setting, float[] x, int sr) {
    int s = setting - 1;
    return switch (type) {
      case NO_FX -> x.clone();
      case EQ -> ampSim(x, sr, s);
      case FEEDBACK_DELAY -> delay(x, sr, new double[] {0.25, 0.33, 0.41}[s], new double[] {0.45, 0.55, 0.65}[s], 0.6);
      case SLAPBACK_DELAY -> delay(x, sr, new double[] {0.06, 0.09, 0.12}[s], 0.0, 0.7);
      case REVERB -> reverb(x, sr, new double[] {0.7, 0.8, 0.88}[s], new double[] {0.4, 0.5, 0.6}[s]);
      case CHORUS -> modDelay(x, sr, 0.020, 0.006, new double[] {0.8, 1.5, 2.5}[s], 0.0, 0.5);
      case FLANGER -> modDelay(x, sr, 0.003, 0.0025, new double[] {0.25, 0.5, 1.0}[s], 0.7, 0.5);
      case VIBRATO -> modDelay(x, sr, 0.004, new double[] {0.0015, 0.0025, 0.0035}[s], 5.5, 0.0, 1.0);
      case PHASER -> phaser(x, sr, new double[] {0.3, 0.6, 1.2}[s]);
      case TREMOLO -> tremolo(x, sr, new double[] {4, 6, 9}[s], new double[] {0.6, 0.8, 0.95}[s]);
      case DISTORTION -> shaper(x, sr, new double[] {25, 50, 100}[s], true);
      case OVERDRIVE -> shaper(x, sr, new double[] {3, 6, 10}[s], false);
    };
  }

  static float[] delay(float[] x, int sr, double seconds, double feedback, double mix) {
    int d = (int) (seconds * sr);
    float[] buf = new float[x.length];
    float[] y = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      float delayed = i >= d ? buf[i - d] : 0f;
      buf[i] = (float) (x[i] + feedback * delayed);
      y[i] = (float) (x[i] + mix * delayed);
    }
    return y;
  }

  /** Schroeder: four parallel feedback combs into two series allpasses. */
  static float[] reverb(float[] x, int sr, double feedback, double wet) {
    double[] combMs = {29.7, 37.1, 41.1, 43.7};
    double[] wetSig = new double[x.length];
    for (double ms : combMs) {
      int d = (int) (ms * sr / 1000);
      double[] buf = new double[d];
      int p = 0;
      double lp = 0;
      for (int i = 0; i < x.length; i++) {
        double out = buf[p];
        lp = 0.8 * out + 0.2 * lp; // damping
        buf[p] = x[i] + feedback * lp;
        p = (p + 1) % d;
        wetSig[i] += out / combMs.length;
      }
    }
    for (double ms : new double[] {5.0, 1.7}) {
      int d = (int) (ms * sr / 1000);
      double[] buf = new double[d];
      int p = 0;
      for (int i = 0; i < x.length; i++) {
        double bufOut = buf[p];
        double in = wetSig[i];
        double out = -0.5 * in + bufOut;
        buf[p] = in + 0.5 * bufOut;
        p = (p + 1) % d;
        wetSig[i] = out;
      }
    }
    float[] y = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = (float) ((1 - wet * 0.5) * x[i] + wet * 2.5 * wetSig[i]);
    }
    return y;
  }

  /** A delay whose length oscillates: chorus (20 ms), flanger (few ms, feedback), vibrato (wet only). */
  static float[] modDelay(float[] x, int sr, double base, double depth, double rateHz, double feedback, double mix) {
    float[] buf = new float[x.length];
    float[] y = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      double d = (base + depth * Math.sin(2 * Math.PI * rateHz * i / sr)) * sr;
      double pos = i - d;
      float delayed = 0;
      if (pos >= 0) {
        int j = (int) pos;
        float frac = (float) (pos - j);
        delayed = buf[j] + (j + 1 < i ? (buf[j + 1] - buf[j]) * frac : 0);
      }
      buf[i] = (float) (x[i] + feedback * delayed);
      y[i] = mix >= 1.0 ? delayed : (float) ((x[i] * (1 - mix) + delayed * mix) * 1.3);
    }
    return y;
  }

  /** Four first-order allpasses with an LFO-swept break frequency, mixed with the dry signal. */
  static float[] phaser(float[] x, int sr, double rateHz) {
    double[] state = new double[4];
    double[] prevIn = new double[4];
    float[] y = new float[x.length];
    double fb = 0;
    for (int i = 0; i < x.length; i++) {
      double fc = 300 + 1500 * (0.5 + 0.5 * Math.sin(2 * Math.PI * rateHz * i / sr));
      double t = Math.tan(Math.PI * fc / sr);
      double a = (t - 1) / (t + 1);
      double v = x[i] + 0.5 * fb;
      for (int k = 0; k < 4; k++) {
        double out = a * v + prevIn[k] - a * state[k];
        prevIn[k] = v;
        state[k] = out;
        v = out;
      }
      fb = v;
      y[i] = (float) (0.5 * x[i] + 0.5 * v) * 1.4f;
    }
    return y;
  }

  static float[] tremolo(float[] x, int sr, double rateHz, double depth) {
    float[] y = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      double lfo = 1 - depth * (0.5 + 0.5 * Math.sin(2 * Math.PI * rateHz * i / sr));
      y[i] = (float) (x[i] * lfo);
    }
    return y;
  }

  /** Gain into a waveshaper, then a gentle low-pass (cabinet): hard-ish clipping or asymmetric soft clipping. */
  static float[] shaper(float[] x, int sr, double gain, boolean hard) {
    float[] y = new float[x.length];
    double lp = 0;
    double alpha = Math.exp(-2 * Math.PI * (hard ? 5000 : 7000) / sr);
    for (int i = 0; i < x.length; i++) {
      double v = gain * x[i];
      double s = hard ? Math.max(-0.7, Math.min(0.7, Math.tanh(v))) : (v >= 0 ? Math.tanh(v) : Math.tanh(0.6 * v) / 0.6
          * 0.8);
      lp = (1 - alpha) * s + alpha * lp;
      y[i] = (float) (0.35 * lp);
    }
    return y;
  }

  /** Amp simulation: low shelf cut, presence boost (two one-pole filters) and light saturation. */
  static float[] ampSim(float[] x, int sr, int setting) {
    double drive = setting == 0 ? 1.5 : 2.5;
    double hpA = Math.exp(-2 * Math.PI * 120.0 / sr);
    double lpA = Math.exp(-2 * Math.PI * (setting == 0 ? 3000.0 : 2000.0) / sr);
    float[] y = new float[x.length];
    double hpPrevX = 0;
    double hp = 0;
    double lp = 0;
    for (int i = 0; i < x.length; i++) {
      hp = hpA * (hp + x[i] - hpPrevX);
      hpPrevX = x[i];
      double v = Math.tanh(drive * hp) / Math.tanh(drive);
      lp = (1 - lpA) * v + lpA * lp;
      y[i] = (float) (0.6 * lp + 0.4 * v);
    }
    return y;
  }
}
