package io.timbre.audio;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Writes canonical RIFF/WAVE files: the sample-data generators and the tests use it to produce files in exactly the
 * layouts real datasets ship (16-bit stereo 44.1 kHz for IRMAS, for example).
 *
 * <p>Integer PCM is quantised with round-half-even and clipped, the inverse of the decoder's 1/2^(bits−1) scaling,
 * so a round trip of an already-quantised signal is exact.
 */
public final class WavWriter {
  private WavWriter() {}

  /**
   * Writes interleaved {@code samples} (frames × channels) in the given encoding.
   *
   * @param bits 8 (unsigned PCM), 16, 24, 32 (signed PCM) or, with {@link SampleEncoding#FLOAT}, 32 or 64
   * @param extensible write a WAVE_FORMAT_EXTENSIBLE fmt chunk (as multichannel and 24-bit writers do)
   */
  public static void write(OutputStream out, float[] samples, int channels, int sampleRate,
      SampleEncoding encoding, int bits, boolean extensible) throws IOException {
    if (channels <= 0 || samples.length % channels != 0) {
      throw new IllegalArgumentException("Cannot write WAV: " + samples.length + " samples for " + channels
          + " channels");
    }
    int tag = switch (encoding) {
      case PCM_SIGNED, PCM_UNSIGNED -> 1;
      case FLOAT -> 3;
      default -> throw new IllegalArgumentException("Cannot write WAV: encoding " + encoding);
    };
    int bytesPerSample = bits / 8;
    long dataBytes = (long) samples.length * bytesPerSample;
    // Non-PCM formats carry a cbSize field (WAVEFORMATEX, 18 bytes); PCM uses the 16-byte PCMWAVEFORMAT.
    int fmtSize = extensible ? 40 : tag == 1 ? 16 : 18;
    ByteBuffer h = ByteBuffer.allocate(12 + 8 + fmtSize + 8).order(ByteOrder.LITTLE_ENDIAN);
    h.put(new byte[] {'R', 'I', 'F', 'F'}).putInt((int) (4 + 8 + fmtSize + 8 + dataBytes + (dataBytes & 1)));
    h.put(new byte[] {'W', 'A', 'V', 'E'});
    h.put(new byte[] {'f', 'm', 't', ' '}).putInt(fmtSize);
    h.putShort((short) (extensible ? 0xFFFE : tag)).putShort((short) channels).putInt(sampleRate);
    h.putInt(sampleRate * channels * bytesPerSample).putShort((short) (channels * bytesPerSample));
    h.putShort((short) bits);
    if (fmtSize == 18) {
      h.putShort((short) 0);
    }
    if (extensible) {
      h.putShort((short) 22).putShort((short) bits).putInt(channels == 2 ? 0x3 : channels == 1 ? 0x4 : 0);
      h.putShort((short) tag).put(new byte[] {
        0x00, 0x00, 0x00, 0x00, 0x10, 0x00, (byte) 0x80, 0x00, 0x00, (byte) 0xAA, 0x00, 0x38, (byte) 0x9B, 0x71});
    }
    h.put(new byte[] {'d', 'a', 't', 'a'}).putInt((int) dataBytes);
    out.write(h.array());
    ByteBuffer b = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    for (float s : samples) {
      if (b.remaining() < 8) {
        out.write(b.array(), 0, b.position());
        b.clear();
      }
      putSample(b, s, encoding, bits);
    }
    out.write(b.array(), 0, b.position());
    if ((dataBytes & 1) != 0) {
      out.write(0);
    }
  }

  /**
   * Starts a 16-bit PCM file of {@code frames} frames whose samples are then written block by block with
   * {@link Pcm16Stream#write}: for files too long to hold in memory (the one-hour ingest check).
   */
  public static Pcm16Stream openPcm16(OutputStream out, int channels, int sampleRate, long frames)
      throws IOException {
    long dataBytes = frames * channels * 2;
    if (dataBytes > 0xFFFFFFFFL - 44) {
      throw new IllegalArgumentException("Cannot write WAV: " + dataBytes + " bytes exceed RIFF's 4 GiB");
    }
    ByteBuffer h = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
    h.put(new byte[] {'R', 'I', 'F', 'F'}).putInt((int) (36 + dataBytes)).put(new byte[] {'W', 'A', 'V', 'E'});
    h.put(new byte[] {'f', 'm', 't', ' '}).putInt(16).putShort((short) 1).putShort((short) channels)
        .putInt(sampleRate).putInt(sampleRate * channels * 2).putShort((short) (channels * 2)).putShort((short) 16);
    h.put(new byte[] {'d', 'a', 't', 'a'}).putInt((int) dataBytes);
    out.write(h.array());
    return new Pcm16Stream(out, frames * channels);
  }

  /** Sample writer of {@link #openPcm16}; {@link #close} checks the announced length was written. */
  public static final class Pcm16Stream implements java.io.Closeable {
    private final OutputStream out;
    private final long expected;
    private long written;
    private final ByteBuffer b = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);

    Pcm16Stream(OutputStream out, long expected) {
      this.out = out;
      this.expected = expected;
    }

    public void write(float[] interleaved, int offset, int length) throws IOException {
      for (int i = offset; i < offset + length; i++) {
        if (b.remaining() < 2) {
          out.write(b.array(), 0, b.position());
          b.clear();
        }
        b.putShort((short) quantise(interleaved[i], 16));
      }
      written += length;
    }

    @Override
    public void close() throws IOException {
      out.write(b.array(), 0, b.position());
      b.clear();
      out.close();
      if (written != expected) {
        throw new IOException("WAV stream announced " + expected + " samples but " + written + " were written");
      }
    }
  }

  /** Writes 16-bit PCM, the most common dataset format. */
  public static void writePcm16(OutputStream out, float[] interleaved, int channels, int sampleRate)
      throws IOException {
    write(out, interleaved, channels, sampleRate, SampleEncoding.PCM_SIGNED, 16, false);
  }

  private static void putSample(ByteBuffer b, float s, SampleEncoding encoding, int bits) {
    if (encoding == SampleEncoding.FLOAT) {
      if (bits == 32) {
        b.putFloat(s);
      } else {
        b.putDouble(s);
      }
      return;
    }
    if (encoding == SampleEncoding.PCM_UNSIGNED) {
      b.put((byte) (quantise(s, 8) + 128));
      return;
    }
    long q = quantise(s, bits);
    switch (bits) {
      case 16 -> b.putShort((short) q);
      case 24 -> b.put((byte) q).put((byte) (q >> 8)).put((byte) (q >> 16));
      case 32 -> b.putInt((int) q);
      default -> throw new IllegalArgumentException("Cannot write WAV: " + bits + "-bit PCM");
    }
  }

  /**
   * The value {@code s} reads back as after a 16-bit write (a multiple of 2^-15). Sums of such values are exact in
   * float while below 2^9 in magnitude, so a mixture built from grid-aligned stems is their exact sum on disk too.
   */
  public static float onPcm16Grid(float s) {
    return quantise(s, 16) / 32768f;
  }

  /** Round-half-even of s·2^(bits−1), clipped to the signed range. */
  static long quantise(float s, int bits) {
    double scale = Math.scalb(1.0, bits - 1);
    double v = Math.rint(s * scale);
    return (long) Math.max(-scale, Math.min(scale - 1, v));
  }
}
