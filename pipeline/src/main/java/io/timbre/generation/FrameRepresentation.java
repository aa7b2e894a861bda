package io.timbre.generation;

import static io.timbre.util.Checks.check;

import io.timbre.features.ComplexSpectrogram;
import java.util.Arrays;
import java.util.Locale;

/**
 * How a next-frame generation model sees audio: STFT frames turned into real vectors it can predict, and back.
 *
 * <ul>
 *   <li>{@link #REAL_IMAG} (GRUV, Nayebi &amp; Vitelli 2015): each frame's real parts, then its imaginary parts
 *       ({@code 2 × bins} values).</li>
 *   <li>{@link #MAGNITUDE_PHASE_ADVANCE} (Glover's phase-vocoder frames): each bin's log magnitude ln(|X| +
 *       {@value #MAGNITUDE_FLOOR}) — a magnitude spans decades, and a network with bounded hidden units predicts its
 *       logarithm; the floor is far below the 16-bit noise floor of an n_fft-point frame — then its phase advance
 *       since the previous frame minus the advance a sinusoid at the bin's centre frequency would make in one hop
 *       (ωₖ·hop, ωₖ = 2πk / n_fft), wrapped to [−π, π) — the instantaneous-frequency deviation, near 0 for stable
 *       partials, so a network predicts small numbers. Decoding accumulates the phase from 0 before the first frame,
 *       which is exact for a whole encoded sequence and is the phase-accumulation resynthesis for generated
 *       frames.</li>
 * </ul>
 */
public enum FrameRepresentation {
  REAL_IMAG("real_imag"),
  MAGNITUDE_PHASE_ADVANCE("magnitude_phase_advance");

  /** Added to magnitudes before their logarithm (and taken off after exp), so silence encodes as a finite value. */
  public static final double MAGNITUDE_FLOOR = 1e-5;

  /** The prefix of a generation table's one frame-target channel; the representation's key follows it. */
  static final String NEXT_FRAME_PREFIX = "next_";

  private final String key;

  FrameRepresentation(String key) {
    this.key = key;
  }

  public String key() {
    return key;
  }

  public static FrameRepresentation parse(String s) {
    for (FrameRepresentation r : values()) {
      if (r.key.equals(s.toLowerCase(Locale.ROOT))) {
        return r;
      }
    }
    throw new IllegalArgumentException("unknown frame representation '" + s + "' (known: "
        + String.join(", ", Arrays.stream(values()).map(FrameRepresentation::key).toList()) + ")");
  }

  /**
   * The one frame-target channel of a generation table of these frames, {@code next_<key>}: the representation
   * travels with the channel names into the table's provenance and every model trained on it.
   */
  public String nextFrameChannel() {
    return NEXT_FRAME_PREFIX + key;
  }

  /** The representation of a generation table with these frame-target channels, or null for any other table. */
  public static FrameRepresentation ofChannels(java.util.List<String> channels) {
    if (channels.size() != 1 || !channels.get(0).startsWith(NEXT_FRAME_PREFIX)) {
      return null;
    }
    return parse(channels.get(0).substring(NEXT_FRAME_PREFIX.length()));
  }

  /** Values per frame for a spectrogram of {@code bins} bins. */
  public int width(int bins) {
    return 2 * bins;
  }

  /** frames × {@link #width} values, row-major. */
  public float[] encode(ComplexSpectrogram s, int nFft, int hop) {
    int bins = s.bins();
    int w = width(bins);
    float[] out = new float[s.frames() * w];
    double[] previous = new double[bins];
    for (int t = 0; t < s.frames(); t++) {
      for (int k = 0; k < bins; k++) {
        double re = s.re()[t * bins + k];
        double im = s.im()[t * bins + k];
        if (this == REAL_IMAG) {
          out[t * w + k] = (float) re;
          out[t * w + bins + k] = (float) im;
        } else {
          double phase = Math.atan2(im, re);
          out[t * w + k] = (float) Math.log(Math.hypot(re, im) + MAGNITUDE_FLOOR);
          out[t * w + bins + k] = (float) wrap(phase - previous[k] - omega(k, nFft) * hop);
          previous[k] = phase;
        }
      }
    }
    return out;
  }

  /**
   * Value {@code c} of an encoded frame of {@code bins} bins, brought into what an encoding can hold, with a bin
   * magnitude of at most {@code maxMagnitude}: real and imaginary parts to ±maxMagnitude; a log magnitude to
   * [ln(floor), ln(maxMagnitude + floor)]; a phase advance wrapped to [−π, π), as encoding wraps it.
   */
  public float limit(float v, int c, int bins, double maxMagnitude) {
    if (this == REAL_IMAG) {
      return (float) Math.max(-maxMagnitude, Math.min(maxMagnitude, v));
    }
    if (c < bins) {
      return (float) Math.max(Math.log(MAGNITUDE_FLOOR), Math.min(v, Math.log(maxMagnitude + MAGNITUDE_FLOOR)));
    }
    return v >= -Math.PI && v < Math.PI ? v : (float) wrap(v);
  }

  /** Whether value {@code c} of a frame of {@code bins} bins is an angle (a phase advance). */
  public boolean isAngle(int c, int bins) {
    return this == MAGNITUDE_PHASE_ADVANCE && c >= bins;
  }

  /** The spectrogram of {@code frames} encoded frames of {@code bins} bins. */
  public ComplexSpectrogram decode(float[] values, int frames, int bins, int nFft, int hop) {
    int w = width(bins);
    check(values.length == frames * w, "Cannot decode frames: %s values for %s frames of %s", values.length, frames,
        w);
    double[] re = new double[frames * bins];
    double[] im = new double[frames * bins];
    double[] phase = new double[bins];
    for (int t = 0; t < frames; t++) {
      for (int k = 0; k < bins; k++) {
        if (this == REAL_IMAG) {
          re[t * bins + k] = values[t * w + k];
          im[t * bins + k] = values[t * w + bins + k];
        } else {
          phase[k] = wrap(phase[k] + omega(k, nFft) * hop + values[t * w + bins + k]);
          double m = Math.max(0, Math.exp(values[t * w + k]) - MAGNITUDE_FLOOR);
          re[t * bins + k] = m * Math.cos(phase[k]);
          im[t * bins + k] = m * Math.sin(phase[k]);
        }
      }
    }
    return new ComplexSpectrogram(frames, bins, re, im);
  }

  private static double omega(int k, int nFft) {
    return 2 * Math.PI * k / nFft;
  }

  /** The angle in [−π, π). */
  static double wrap(double a) {
    double w = (a + Math.PI) % (2 * Math.PI);
    return (w < 0 ? w + 2 * Math.PI : w) - Math.PI;
  }
}
