package io.timbre.separate;

import io.timbre.audio.WavWriter;
import io.timbre.store.AtomicFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Writes separated sources as 16-bit mono WAVs at the model's rate, one per source, under
 * {@code <out>/<clip id without .wav>/<source>.wav} (local or any Hadoop file system, each file complete or absent).
 * Samples are not rescaled — the sources of a mixture must still add up to it — so a sample beyond ±1 is clipped,
 * and counted.
 */
public final class StemWriter {
  private StemWriter() {}

  /** One written source. */
  public record Written(String source, String path, double peak, long clippedSamples) implements java.io.Serializable {}

  public static List<Written> write(Path out, String clipId, List<String> sources, float[][] signals, int sampleRate,
      Configuration conf) throws IOException {
    String base = clipId.toLowerCase(Locale.ROOT).endsWith(".wav") ? clipId.substring(0, clipId.length() - 4)
        : clipId;
    List<Written> written = new ArrayList<>();
    for (int s = 0; s < sources.size(); s++) {
      float[] x = signals[s];
      double peak = 0;
      long clipped = 0;
      for (float v : x) {
        peak = Math.max(peak, Math.abs(v));
        if (Math.abs(v) > 1f) {
          clipped++;
        }
      }
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(44 + 2 * x.length);
      WavWriter.writePcm16(bytes, x, 1, sampleRate);
      Path file = new Path(out, base + "/" + sources.get(s) + ".wav");
      AtomicFiles.write(file, conf, bytes.toByteArray());
      written.add(new Written(sources.get(s), file.toString(), peak, clipped));
    }
    return written;
  }
}
