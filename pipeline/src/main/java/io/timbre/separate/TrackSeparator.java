package io.timbre.separate;

import static io.timbre.util.Checks.check;

import io.timbre.features.ComplexSpectrogram;
import io.timbre.features.ComplexStft;
import io.timbre.features.FeatureSpec;
import io.timbre.features.InverseStft;
import io.timbre.model.Networks;
import io.timbre.model.Normalizer;
import io.timbre.separation.MaskedResynthesis;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A trained separation network applied to whole tracks: the mixture's STFT with the model's spec, the magnitude
 * normalised as in training beside the raw magnitude, one pass of the network over the whole sequence (the recurrent
 * layers carry state across what training saw as 100-frame chunks), and the sources resynthesised with the mixture's
 * phase ({@link MaskedResynthesis}). Serialisable so Spark tasks carry it; each task restores the network once.
 */
public final class TrackSeparator implements Serializable {
  private static final long serialVersionUID = 1L;

  private final byte[] modelZip;
  private final String specJson;
  private final Normalizer normalizer;
  private final List<String> sources;
  private transient Model network;
  private transient FeatureSpec spec;

  /** One separated track: every source's estimated magnitudes and signal, at the model's sample rate. */
  public record Separated(List<String> sources, float[][] signals, float[] estimates, ComplexSpectrogram mixture) {}

  public TrackSeparator(byte[] modelZip, FeatureSpec spec, Normalizer normalizer, List<String> sources) {
    check(sources.size() >= 2, "Cannot separate: a separation model has >= 2 sources: %s", sources);
    this.modelZip = modelZip.clone();
    this.specJson = spec.toJson();
    this.normalizer = normalizer;
    this.sources = List.copyOf(sources);
  }

  public FeatureSpec spec() {
    if (spec == null) {
      spec = FeatureSpec.parse(specJson);
    }
    return spec;
  }

  public List<String> sources() {
    return sources;
  }

  private Model network() {
    if (network == null) {
      try {
        network = Networks.restore(modelZip, false);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot restore the separation model: " + e.getMessage(), e);
      }
    }
    return network;
  }

  /** Separates a mono mixture at the model's sample rate. */
  public Separated separate(float[] mixture) {
    ComplexSpectrogram x = new ComplexStft(spec()).forward(mixture);
    float[] est = estimates(x.magnitude(), x.frames(), x.bins());
    return new Separated(sources, new MaskedResynthesis(new InverseStft(spec())).resynthesise(x, est,
        sources.size(), mixture.length), est, x);
  }

  /** The network's source magnitudes for a mixture magnitude (frames × bins), frame-major then source-major. */
  public float[] estimates(float[] magnitude, int frames, int bins) {
    check(bins == normalizer.bins(), "Cannot separate: %s bins, the model was trained on %s", bins,
        normalizer.bins());
    float[] normalised = magnitude.clone();
    normalizer.apply(normalised, bins);
    float[] in = new float[2 * bins * frames];
    for (int t = 0; t < frames; t++) {
      for (int b = 0; b < bins; b++) {
        in[b * frames + t] = normalised[t * bins + b];
        in[(bins + b) * frames + t] = magnitude[t * bins + b];
      }
    }
    int channels = sources.size() * bins;
    INDArray out = Networks.output(network(), Nd4j.create(in, new long[] {1, 2L * bins, frames}, 'c'), null);
    float[] o = out.dup('c').data().asFloat();
    float[] est = new float[frames * channels];
    for (int t = 0; t < frames; t++) {
      for (int c = 0; c < channels; c++) {
        est[t * channels + c] = o[c * frames + t];
      }
    }
    return est;
  }
}
