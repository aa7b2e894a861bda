package io.timbre.separation;

import static io.timbre.util.Checks.check;

import io.timbre.audio.MonoAudio;
import io.timbre.audio.Resampler;
import io.timbre.audio.WavDecoder;
import io.timbre.datasets.ClipRef;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A clip's mixture and its sources as mono signals at one sample rate, all of the mixture's length: the sources are
 * the sums of their stems (a stem a few samples longer or shorter than the mix is cut or zero-padded). Decoding and
 * resampling are linear, so a mixture that is its stems' sum on disk stays their sum here up to float rounding.
 *
 * @param sources one row per source, in {@code names} order
 */
public record SeparationAudio(List<String> names, float[] mixture, float[][] sources, int sampleRate) {
  public SeparationAudio {
    names = List.copyOf(names);
    check(sources.length == names.size(), "Cannot build separation audio: %s sources for names %s",
        sources.length, names);
    for (float[] s : sources) {
      check(s.length == mixture.length, "Cannot build separation audio: a source of %s samples, mixture %s",
          s.length, mixture.length);
    }
  }

  /** Decodes the clip's mixture and its sources' stems (local or any Hadoop file system) at {@code sampleRate}. */
  public static SeparationAudio read(ClipRef clip, SourceGrouping grouping, int sampleRate, Configuration conf)
      throws IOException {
    Map<String, List<String>> stems = grouping.assign(clip);
    float[] mixture = decode(clip.audioPath(), sampleRate, conf);
    float[][] sources = new float[stems.size()][mixture.length];
    int s = 0;
    for (List<String> paths : stems.values()) {
      for (String p : paths) {
        float[] x = decode(p, sampleRate, conf);
        int n = Math.min(x.length, mixture.length);
        for (int i = 0; i < n; i++) {
          sources[s][i] += x[i];
        }
      }
      s++;
    }
    return new SeparationAudio(grouping.names(), mixture, sources, sampleRate);
  }

  /** One file as mono at {@code sampleRate}. */
  public static float[] decode(String file, int sampleRate, Configuration conf) throws IOException {
    Path p = new Path(file);
    FileSystem fs = p.getFileSystem(conf);
    long length = fs.getFileStatus(p).getLen();
    MonoAudio audio;
    try (InputStream in = fs.open(p, 1 << 16)) {
      audio = WavDecoder.decodeMono(in, file, length);
    }
    if (audio.sampleRate() == sampleRate) {
      return audio.samples();
    }
    return new Resampler(audio.sampleRate(), sampleRate).resample(audio.samples());
  }
}
