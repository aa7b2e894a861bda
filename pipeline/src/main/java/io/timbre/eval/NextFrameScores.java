package io.timbre.eval;

import io.timbre.generation.FrameRepresentation;
import io.timbre.model.Normalizer;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sums for the next-frame metrics of a generation model and of the two baselines scored on the same frames: repeat
 * the last frame (ŷₜ₊₁ = xₜ) and the training split's mean frame (ŷ = μ, which is 0 in standardised units). Summed
 * per chunk on the executors, added on the driver; {@link #metrics} turns them into {@link Metric#GENERATION_MSE},
 * {@link Metric#GENERATION_LSD} and the reductions.
 *
 * <p>The squared errors are of standardised values ({@link Metric#GENERATION_MSE}); the log-spectral distances are of
 * the power spectra the de-standardised frames describe: |re + i·im|² for real/imaginary frames, the (decoded)
 * magnitude squared for magnitude + phase-advance frames (phase does not enter the LSD).
 *
 * @param values standardised values compared (valid frames × frame width)
 * @param frames valid frames compared
 */
public record NextFrameScores(long values, long frames, double modelSquares, double repeatSquares,
    double meanSquares, double modelLsd, double repeatLsd, double meanLsd) implements Serializable {
  private static final long serialVersionUID = 1L;
  public static final NextFrameScores ZERO = new NextFrameScores(0, 0, 0, 0, 0, 0, 0, 0);
  /** librosa's power_to_db floor: a bin quieter than this counts as this. */
  static final double POWER_FLOOR = 1e-10;

  /**
   * The sums of one chunk.
   *
   * @param truth per valid step, the standardised current frame then the standardised next frame (2 × width)
   * @param output the network's outputs, [width][steps] (channel-major, {@code steps} wide): the predicted change
   *     from the current standardised frame
   */
  public static NextFrameScores of(float[] truth, int valid, float[] output, int steps, Normalizer normalizer,
      FrameRepresentation representation) {
    int width = normalizer.bins();
    int bins = width / 2;
    double[] model = new double[3];
    double modelLsd = 0;
    double repeatLsd = 0;
    double meanLsd = 0;
    float[] zero = new float[width];
    float[] current = new float[width];
    float[] next = new float[width];
    float[] predicted = new float[width];
    for (int t = 0; t < valid; t++) {
      for (int c = 0; c < width; c++) {
        current[c] = truth[t * 2 * width + c];
        next[c] = truth[t * 2 * width + width + c];
        predicted[c] = current[c] + output[c * steps + t];
        double e = predicted[c] - next[c];
        double r = current[c] - next[c];
        model[0] += e * e;
        model[1] += r * r;
        model[2] += (double) next[c] * next[c];
      }
      double[] target = power(next, normalizer, representation, bins);
      modelLsd += lsd(power(predicted, normalizer, representation, bins), target);
      repeatLsd += lsd(power(current, normalizer, representation, bins), target);
      meanLsd += lsd(power(zero, normalizer, representation, bins), target);
    }
    return new NextFrameScores((long) valid * width, valid, model[0], model[1], model[2], modelLsd, repeatLsd,
        meanLsd);
  }

  public NextFrameScores plus(NextFrameScores o) {
    return new NextFrameScores(values + o.values, frames + o.frames, modelSquares + o.modelSquares,
        repeatSquares + o.repeatSquares, meanSquares + o.meanSquares, modelLsd + o.modelLsd, repeatLsd + o.repeatLsd,
        meanLsd + o.meanLsd);
  }

  /** The metrics under their validation names (NaN where no frame was scored). */
  public Map<String, Double> metrics() {
    double n = values == 0 ? Double.NaN : values;
    double f = frames == 0 ? Double.NaN : frames;
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("next_frame_mse", modelSquares / n);
    m.put("repeat_last_mse", repeatSquares / n);
    m.put("mean_frame_mse", meanSquares / n);
    m.put("mse_reduction_vs_repeat_last", 1 - modelSquares / repeatSquares);
    m.put("mse_reduction_vs_mean_frame", 1 - modelSquares / meanSquares);
    m.put("log_spectral_distance_db", modelLsd / f);
    m.put("repeat_last_log_spectral_distance_db", repeatLsd / f);
    m.put("mean_frame_log_spectral_distance_db", meanLsd / f);
    m.put("frames", (double) frames);
    return m;
  }

  /** The power spectrum of a standardised frame. */
  static double[] power(float[] standardised, Normalizer normalizer, FrameRepresentation representation, int bins) {
    double[] p = new double[bins];
    for (int k = 0; k < bins; k++) {
      double a = standardised[k] * normalizer.std()[k] + normalizer.mean()[k];
      if (representation == FrameRepresentation.REAL_IMAG) {
        double b = standardised[bins + k] * normalizer.std()[bins + k] + normalizer.mean()[bins + k];
        p[k] = a * a + b * b;
      } else {
        double m = Math.max(0, Math.exp(a) - FrameRepresentation.MAGNITUDE_FLOOR);
        p[k] = m * m;
      }
    }
    return p;
  }

  /** √(mean_k (10·log10 p̂ₖ − 10·log10 pₖ)²), powers floored at {@link #POWER_FLOOR}. */
  static double lsd(double[] estimate, double[] reference) {
    double sum = 0;
    for (int k = 0; k < reference.length; k++) {
      double d = 10 * Math.log10(Math.max(POWER_FLOOR, estimate[k]))
          - 10 * Math.log10(Math.max(POWER_FLOOR, reference[k]));
      sum += d * d;
    }
    return Math.sqrt(sum / reference.length);
  }
}
