package io.timbre.separation;

import io.timbre.datasets.ClipRef;
import io.timbre.features.ComplexStft;
import io.timbre.features.FeatureSpec;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * A separation table's frame targets for one clip: each source's stems decoded, resampled to the spec's rate and summed
 * (cut or zero-padded to the mixture's length in samples), and the magnitude of its STFT with the spec's conventions,
 * frame-major then source-major ({@code frames × sources × bins}), on the mixture's frames.
 */
public final class SourceMagnitudes {
  private SourceMagnitudes() {}

  /**
   * @param samples the mixture's length at the spec's rate (its stems are brought to exactly this length)
   * @param frames the mixture's frame count, which the targets match
   * @throws SeparationInputException when the clip's stems cannot be assigned to the sources
   */
  public static float[] compute(ClipRef clip, SourceGrouping grouping, FeatureSpec spec, long samples, int frames,
      Configuration conf) throws IOException {
    Map<String, List<String>> stems = grouping.assign(clip);
    ComplexStft stft = new ComplexStft(spec);
    int bins = spec.nBins();
    int sources = stems.size();
    float[] out = new float[frames * sources * bins];
    int s = 0;
    for (List<String> paths : stems.values()) {
      float[] source = new float[Math.toIntExact(samples)];
      for (String p : paths) {
        float[] x = SeparationAudio.decode(p, spec.sampleRate(), conf);
        int n = Math.min(x.length, source.length);
        for (int i = 0; i < n; i++) {
          source[i] += x[i];
        }
      }
      float[] m = stft.forward(source).magnitude();
      int have = m.length / bins;
      for (int t = 0; t < Math.min(frames, have); t++) {
        System.arraycopy(m, t * bins, out, (t * sources + s) * bins, bins);
      }
      s++;
    }
    return out;
  }
}
