package io.timbre.audio;

import io.timbre.audio.AudioFileException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Decodes a whole WAV file to mono in one call: the convenience over {@link WavReader} that features and tests use.
 *
 * <p>The output array is sized from the file's real length when it is known and grows geometrically otherwise, so a
 * hostile header can never make this allocate more than the file actually holds.
 */
public final class WavDecoder {
  /** Longest clip one array can hold; longer files must be streamed with {@link WavReader}. */
  public static final long MAX_FRAMES = Integer.MAX_VALUE - 16;

  private WavDecoder() {}

  public static MonoAudio decodeMono(Path path) throws IOException {
    InputStream in = WavReader.openLocal(path);
    return decodeMono(in, path.toString(), Files.size(path));
  }

  /**
   * Decodes {@code in} (closed on return) to mono.
   *
   * @param knownLength the file's length in bytes, or -1 when unknown (then truncation shows up while reading)
   */
  public static MonoAudio decodeMono(InputStream in, String source, long knownLength) throws IOException {
    try (WavReader reader = WavReader.open(in, source, knownLength)) {
      WavFormat format = reader.format();
      if (format.frames() > MAX_FRAMES) {
        throw new AudioFileException(source, Reason.MALFORMED_HEADER, format.frames()
            + " frames are more than one array can hold; stream the file with WavReader");
      }
      // Trust the declared size only when the file length has confirmed it.
      int capacity = knownLength >= 0 ? (int) format.frames() : (int) Math.min(format.frames(), 1 << 16);
      float[] out = new float[capacity];
      int n = 0;
      while (true) {
        if (n == out.length) {
          int grown = (int) Math.min(format.frames(), Math.max(16L, (long) out.length * 2));
          if (grown == out.length) {
            break;
          }
          out = Arrays.copyOf(out, grown);
        }
        int got = reader.readMono(out, n, out.length - n);
        if (got < 0) {
          break;
        }
        n += got;
      }
      return new MonoAudio(n == out.length ? out : Arrays.copyOf(out, n), format.sampleRate(), format);
    }
  }
}
