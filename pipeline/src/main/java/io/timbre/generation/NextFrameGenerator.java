package io.timbre.generation;

import static io.timbre.util.Checks.check;

import io.timbre.features.ComplexStft;
import io.timbre.features.FeatureSpec;
import io.timbre.features.InverseStft;
import java.util.Random;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Continues a seed autoregressively with a next-frame model: each next frame is predicted from the frames before it —
 * the seed's STFT frames (in the model's representation, standardised as in training), then the generated ones — seen
 * through a window of the training chunk length from a fresh recurrent state, exactly as the network was trained. A temperature T &gt; 0 adds Gaussian noise of standard deviation T (in standardised units, seeded) to
 * every prediction before it is fed back — Nayebi &amp; Vitelli's sampling knob; T = 0 is the deterministic mean
 * prediction. The network outputs the change from its input frame (generation models have a residual connection
 * around the network), which is added back here.
 *
 * <p>Inversion: the seed's and the generated frames are decoded together ({@link FrameRepresentation#decode}: real and
 * imaginary parts as they are; magnitudes with the phase accumulated from the phase advances, continuing the seed's
 * phase) and inverted by {@link InverseStft} (librosa's istft); the continuation is the signal after the seed's last
 * frame's hop.
 *
 * <p>An autoregressive network can drift where teacher-forced training never took it; a generated frame is limited to
 * what a full-scale signal can produce (no bin's magnitude above the analysis window's sum), the limited frame is what
 * is fed back, and the number of limited values is reported ({@link #clamped}).
 *
 * <p>Stateless between predictions ({@code output}, never the stored {@code rnnTimeStep} state); not thread-safe
 * only in that it counts {@link #clamped} values per call.
 */
public final class NextFrameGenerator {
  private final ComputationGraph net;
  private final float[] mean;
  private final float[] std;
  private final FrameRepresentation representation;
  private final FeatureSpec spec;
  /** The largest magnitude an STFT bin of a full-scale signal can have: the analysis window's sum. */
  private final double maxMagnitude;
  private final int context;
  private long clamped;

  /**
   * @param net a single-input, single-output recurrent graph whose output is the change from its input frame
   * @param mean the training split's mean frame (the model's standardisation)
   * @param context frames the network sees per prediction: its training chunk length ({@code max_sequence_steps})
   * @param std the training split's per-value standard deviation
   */
  public NextFrameGenerator(ComputationGraph net, float[] mean, float[] std, FrameRepresentation representation,
      FeatureSpec spec, int context) {
    check(mean.length == representation.width(spec.nBins()) && std.length == mean.length,
        "Cannot generate: the standardisation has %s values, frames of spec %s have %s", mean.length, spec.shortId(),
        representation.width(spec.nBins()));
    this.net = net;
    this.mean = mean.clone();
    this.std = std.clone();
    check(context > 0, "Cannot generate: the context must be at least one frame: %s", context);
    this.representation = representation;
    this.spec = spec;
    this.context = context;
    double sum = 0;
    for (double w : io.timbre.features.FeatureExtractor.analysisWindow(spec)) {
      sum += Math.abs(w);
    }
    this.maxMagnitude = sum;
  }

  /**
   * Generated magnitudes (or real and imaginary parts) the last generation had to lower to a full-scale signal's
   * ({@link FrameRepresentation#limit}); wrapped phase advances and log magnitudes raised to the floor do not count.
   */
  public long clamped() {
    return clamped;
  }

  /**
   * A continuation of a seed.
   *
   * @param frames encoded frames (not standardised), the seed's then the generated ones, frames × width
   * @param seedFrames how many of {@code frames} are the seed's
   * @param audio the continuation, not rescaled
   * @param clampedValues generated values limited to a full-scale signal's
   */
  public record Continuation(float[] frames, int seedFrames, int totalFrames, int width, float[] audio,
      long clampedValues) {}

  /**
   * @param seed the seed's samples at the spec's rate (at least one frame's worth)
   * @param samples length of the continuation in samples
   * @param temperature standard deviation of the noise added to each prediction (0 = none)
   * @param randomSeed seed of that noise
   */
  public Continuation continueFrom(float[] seed, int samples, double temperature, long randomSeed) {
    check(seed.length > 0, "Cannot generate: the seed audio is empty");
    check(samples > 0, "Cannot generate: the continuation must be at least one sample long: %s", samples);
    check(temperature >= 0 && Double.isFinite(temperature), "Cannot generate: temperature must be >= 0: %s",
        temperature);
    int bins = spec.nBins();
    int width = representation.width(bins);
    int hop = spec.hopLength();
    float[] seedFrames = representation.encode(new ComplexStft(spec).forward(seed), spec.nFft(), hop);
    int s = seedFrames.length / width;
    // Frames whose centres cover the continuation, plus one so the last samples have a frame on either side.
    int generated = (samples + hop - 1) / hop + 1;
    int total = s + generated;
    float[] frames = continueFrames(seedFrames, s, generated, temperature, randomSeed);
    float[] all = new InverseStft(spec).inverse(representation.decode(frames, total, bins, spec.nFft(), hop),
        (total - 1) * hop + 1);
    float[] audio = new float[samples];
    System.arraycopy(all, s * hop, audio, 0, Math.min(samples, all.length - s * hop));
    for (float v : audio) {
      check(Float.isFinite(v), "Cannot generate: the inverse STFT of the generated frames is not finite");
    }
    return new Continuation(frames, s, total, width, audio, clamped);
  }

  /**
   * The seed's encoded frames followed by {@code generated} predicted ones (encoded, not standardised).
   *
   * @param seedFrames {@code s} × width encoded frames (not standardised)
   */
  public float[] continueFrames(float[] seedFrames, int s, int generated, double temperature, long randomSeed) {
    int width = representation.width(spec.nBins());
    check(s > 0 && seedFrames.length >= s * width, "Cannot generate: %s seed frames of %s values expected, got %s "
        + "values", s, width, seedFrames.length);
    int total = s + generated;
    int bins = spec.nBins();
    float[] frames = new float[total * width];
    System.arraycopy(seedFrames, 0, frames, 0, s * width);
    clamped = 0;
    Random noise = new Random(randomSeed);
    for (int t = s; t < total; t++) {
      // The network sees at most `context` frames from a fresh state, as in training (chunks of at most
      // max_sequence_steps frames): a state run on for longer is one it never learnt from.
      int from = Math.max(0, t - context);
      int steps = t - from;
      float[] window = channelMajor(java.util.Arrays.copyOfRange(frames, from * width, t * width), steps, width);
      float[] change = lastStep(net.output(Nd4j.create(window, new long[] {1, width, steps}, 'c'))[0], width);
      float[] next = new float[width];
      for (int c = 0; c < width; c++) {
        next[c] = window[c * steps + steps - 1] + change[c];
        if (temperature > 0) {
          next[c] += (float) (temperature * noise.nextGaussian());
        }
        float v = next[c] * std[c] + mean[c];
        check(Float.isFinite(v), "Cannot generate: the model predicted a non-finite value at frame %s", t);
        float limited = representation.limit(v, c, bins, maxMagnitude);
        if (limited < v && !representation.isAngle(c, bins)) {
          clamped++;
        }
        frames[t * width + c] = limited;
      }
    }
    return frames;
  }

  /** Standardised, channel-major ([value][step]) copy of row-major frames. */
  private float[] channelMajor(float[] frames, int count, int width) {
    float[] out = new float[width * count];
    for (int t = 0; t < count; t++) {
      for (int c = 0; c < width; c++) {
        out[c * count + t] = (frames[t * width + c] - mean[c]) / std[c];
      }
    }
    return out;
  }

  private static float[] lastStep(INDArray out, int width) {
    long steps = out.size(2);
    float[] v = new float[width];
    for (int c = 0; c < width; c++) {
      v[c] = out.getFloat(0, c, steps - 1);
    }
    return v;
  }
}
