package io.timbre.audio;

import io.timbre.audio.AudioFileException.Reason;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A streaming RIFF/WAVE decoder: parses the header, then hands out sample frames a block at a time.
 *
 * <p>Why streaming: a one-hour 44.1 kHz stereo file is 635 MB of PCM, and ingest executors run with a small heap, so
 * nothing here ever holds more than one block of the file's bytes. Why hand-written rather than
 * {@code javax.sound.sampled}: the JDK reader rejects WAVE_FORMAT_EXTENSIBLE float and 24-bit-in-32 files, loads
 * unknown chunks, and fails with unchecked exceptions on hostile headers; ingest needs a typed reason per file.
 *
 * <p>Supported: PCM 8-bit unsigned, 16/24/32-bit signed, IEEE float 32/64, G.711 A-law/µ-law, WAVE_FORMAT_EXTENSIBLE
 * with those sub-formats, any channel count up to {@value #MAX_CHANNELS}. Unknown chunks (LIST, bext, cue, …) are
 * skipped without being read into memory; odd-sized chunks are padded as RIFF requires. Integer PCM is scaled by
 * 1/2^(bits−1) of the container size, like libsndfile and librosa.
 *
 * <p>Every malformed input ends in an {@link AudioFileException} naming the source and the reason. No allocation is
 * sized from an untrusted header field: the fmt chunk is bounded by {@value #MAX_FMT_BYTES} bytes and the sample
 * buffer by {@value #BLOCK_BYTES} bytes whatever the data chunk claims.
 */
public final class WavReader implements Closeable {
  /** Largest channel count accepted; real recordings stay far below (Atmos beds ~ 128). */
  public static final int MAX_CHANNELS = 1024;
  /** Highest sample rate accepted (ultrasound recorders reach ~1 MHz). */
  public static final int MAX_SAMPLE_RATE = 10_000_000;
  static final int MAX_FMT_BYTES = 4096;
  static final int BLOCK_BYTES = 1 << 16;
  static final byte[] KSDATAFORMAT_SUFFIX = {
    0x00, 0x00, 0x00, 0x00, 0x10, 0x00, (byte) 0x80, 0x00, 0x00, (byte) 0xAA, 0x00, 0x38, (byte) 0x9B, 0x71
  };

  private final InputStream in;
  private final String source;
  private final WavFormat format;
  private final byte[] block;
  private final int blockFrames;
  private float[] interleaved = new float[0];
  private int[] pairs = new int[0];
  private long framesLeft;
  private long framesRead;

  private WavReader(InputStream in, String source, WavFormat format) {
    this.in = in;
    this.source = source;
    this.format = format;
    int align = format.blockAlign();
    this.blockFrames = Math.max(1, BLOCK_BYTES / align);
    this.block = new byte[blockFrames * align];
    this.framesLeft = format.frames();
  }

  /** Opens a local file; a data chunk longer than the file is reported as truncated before any sample is read. */
  public static WavReader open(Path path) throws IOException {
    InputStream in = openLocal(path);
    try {
      return open(in, path.toString(), Files.size(path));
    } catch (IOException | RuntimeException e) {
      in.close();
      throw e;
    }
  }

  /**
   * Opens a local file for reading. A directory opens fine on Linux and fails only at the first read with a bare
   * "Is a directory" that names no file, so it is refused here with its path.
   */
  static InputStream openLocal(Path path) throws IOException {
    if (Files.isDirectory(path)) {
      throw new FileSystemException(path.toString(), null, "is a directory, not a WAV file");
    }
    return Files.newInputStream(path);
  }

  /**
   * Parses the header of {@code in} up to the start of the sample data.
   *
   * @param in the stream, positioned at the start of the file; this reader takes ownership and closes it
   * @param source the file's name for messages (path or URI)
   * @param knownLength the file's length in bytes, or -1 if unknown; used to reject truncated files up front
   */
  public static WavReader open(InputStream in, String source, long knownLength) throws IOException {
    WavHeaderParser parser = new WavHeaderParser(in, source, knownLength);
    WavFormat format = parser.parse();
    return new WavReader(in, source, format);
  }

  public WavFormat format() {
    return format;
  }

  public String source() {
    return source;
  }

  /** Frames not yet returned. */
  public long framesRemaining() {
    return framesLeft;
  }

  /**
   * Reads up to {@code maxFrames} interleaved frames (channels × frames floats) into {@code out}.
   *
   * @return frames read, or -1 once every frame has been returned
   */
  public int read(float[] out, int offset, int maxFrames) throws IOException {
    int channels = format.channels();
    if (maxFrames < 0 || offset < 0 || (long) offset + (long) maxFrames * channels > out.length) {
      throw new IndexOutOfBoundsException("Cannot read " + maxFrames + " frames at " + offset + " into "
          + out.length + " floats");
    }
    if (framesLeft == 0) {
      return -1;
    }
    int frames = (int) Math.min(Math.min(maxFrames, framesLeft), blockFrames);
    if (frames == 0) {
      return 0;
    }
    int bytes = frames * format.blockAlign();
    readData(bytes);
    decode(block, bytes, out, offset);
    framesLeft -= frames;
    framesRead += frames;
    return frames;
  }

  /**
   * Reads up to {@code maxFrames} frames mixed down to mono (the mean of the channels) into {@code out}.
   *
   * @return frames read, or -1 once every frame has been returned
   */
  public int readMono(float[] out, int offset, int maxFrames) throws IOException {
    int channels = format.channels();
    if (channels == 1) {
      return read(out, offset, maxFrames);
    }
    if (channels == 2 && format.encoding() == SampleEncoding.PCM_SIGNED && format.bitsPerSample() == 16) {
      return readStereo16Mono(out, offset, maxFrames);
    }
    int want = (int) Math.min(Math.min(maxFrames, blockFrames), Integer.MAX_VALUE / channels);
    if (interleaved.length < want * channels) {
      interleaved = new float[Math.min(blockFrames, Math.max(want, 1024)) * channels];
    }
    int frames = read(interleaved, 0, Math.min(want, interleaved.length / channels));
    if (frames <= 0) {
      return frames;
    }
    float[] x = interleaved;
    if (channels == 2) {
      for (int i = 0, j = 0; i < frames; i++, j += 2) {
        out[offset + i] = (x[j] + x[j + 1]) * 0.5f;
      }
    } else {
      double inv = 1.0 / channels;
      for (int i = 0, j = 0; i < frames; i++) {
        double sum = 0;
        for (int c = 0; c < channels; c++) {
          sum += x[j++];
        }
        out[offset + i] = (float) (sum * inv);
      }
    }
    return frames;
  }

  /**
   * {@link #readMono} for 16-bit stereo, the commonest layout (IRMAS, MedleyDB, CD audio), without the interleaved
   * float pass: each frame is read as one little-endian int (left in the low half) and mixed as
   * (left + right) / 65,536, bit-identical to the general path ((l/32,768 + r/32,768) · 0.5 is exact in float). The
   * int loop is one the JIT vectorises; the general byte-by-byte decode is not.
   */
  private int readStereo16Mono(float[] out, int offset, int maxFrames) throws IOException {
    if (maxFrames < 0 || offset < 0 || (long) offset + maxFrames > out.length) {
      throw new IndexOutOfBoundsException("Cannot read " + maxFrames + " frames at " + offset + " into "
          + out.length + " floats");
    }
    if (framesLeft == 0) {
      return -1;
    }
    int frames = (int) Math.min(Math.min(maxFrames, framesLeft), blockFrames);
    if (frames == 0) {
      return 0;
    }
    readData(frames * 4);
    if (pairs.length < frames) {
      pairs = new int[blockFrames];
    }
    java.nio.ByteBuffer.wrap(block, 0, frames * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).asIntBuffer()
        .get(pairs, 0, frames);
    int[] v = pairs;
    for (int i = 0; i < frames; i++) {
      int pair = v[i];
      out[offset + i] = (((pair << 16) >> 16) + (pair >> 16)) * (1f / 65536f);
    }
    framesLeft -= frames;
    framesRead += frames;
    return frames;
  }

  private void readData(int bytes) throws IOException {
    int done = 0;
    while (done < bytes) {
      int n = in.read(block, done, bytes - done);
      if (n < 0) {
        long complete = framesRead + done / format.blockAlign();
        throw new AudioFileException(source, Reason.TRUNCATED, "data chunk announces " + format.frames()
            + " frames but the file ends after " + complete);
      }
      done += n;
    }
  }

  private void decode(byte[] b, int bytes, float[] out, int offset) throws AudioFileException {
    int o = offset;
    switch (format.encoding()) {
      case PCM_UNSIGNED -> {
        for (int i = 0; i < bytes; i++) {
          out[o++] = ((b[i] & 0xff) - 128) * (1f / 128f);
        }
      }
      case PCM_SIGNED -> {
        switch (format.bitsPerSample()) {
          case 16 -> {
            for (int i = 0; i < bytes; i += 2) {
              out[o++] = (short) ((b[i + 1] << 8) | (b[i] & 0xff)) * (1f / 32768f);
            }
          }
          case 24 -> {
            for (int i = 0; i < bytes; i += 3) {
              out[o++] = ((b[i + 2] << 16) | ((b[i + 1] & 0xff) << 8) | (b[i] & 0xff)) * (1f / 8388608f);
            }
          }
          default -> {
            for (int i = 0; i < bytes; i += 4) {
              out[o++] = (float) (le32(b, i) * (1.0 / 2147483648.0));
            }
          }
        }
      }
      case FLOAT -> {
        if (format.bitsPerSample() == 32) {
          for (int i = 0; i < bytes; i += 4) {
            out[o++] = checkFinite(Float.intBitsToFloat(le32(b, i)), o);
          }
        } else {
          for (int i = 0; i < bytes; i += 8) {
            long bits = (le32(b, i) & 0xffffffffL) | ((long) le32(b, i + 4) << 32);
            out[o++] = checkFinite((float) Double.longBitsToDouble(bits), o);
          }
        }
      }
      case A_LAW -> {
        for (int i = 0; i < bytes; i++) {
          out[o++] = G711.A_LAW[b[i] & 0xff];
        }
      }
      case MU_LAW -> {
        for (int i = 0; i < bytes; i++) {
          out[o++] = G711.MU_LAW[b[i] & 0xff];
        }
      }
      default -> throw new IllegalStateException("Unhandled encoding " + format.encoding());
    }
  }

  private float checkFinite(float v, int indexAfter) throws AudioFileException {
    if (!Float.isFinite(v)) {
      throw new AudioFileException(source, Reason.INVALID_SAMPLES, "sample " + v + " in frame about "
          + framesRead + " (a float file must hold finite values)");
    }
    return v;
  }

  static int le32(byte[] b, int i) {
    return (b[i] & 0xff) | ((b[i + 1] & 0xff) << 8) | ((b[i + 2] & 0xff) << 16) | (b[i + 3] << 24);
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
