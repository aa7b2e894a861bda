package io.timbre.audio;

import io.timbre.audio.AudioFileException.Reason;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

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
  private static final byte[] KSDATAFORMAT_SUFFIX = {
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
    HeaderParser parser = new HeaderParser(in, source, knownLength);
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

  private static int le32(byte[] b, int i) {
    return (b[i] & 0xff) | ((b[i + 1] & 0xff) << 8) | ((b[i + 2] & 0xff) << 16) | (b[i + 3] << 24);
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  /** Walks the RIFF chunks up to the data chunk. */
  private static final class HeaderParser {
    private final InputStream in;
    private final String source;
    private final long knownLength;
    private long position;

    HeaderParser(InputStream in, String source, long knownLength) {
      this.in = in;
      this.source = source;
      this.knownLength = knownLength;
    }

    WavFormat parse() throws IOException {
      byte[] head = new byte[12];
      int got = readUpTo(head, 12);
      if (got == 0) {
        throw fail(Reason.NOT_WAVE, "empty file");
      }
      String magic = ascii(head, 0, Math.min(got, 4));
      if (got < 4 || !magic.equals("RIFF")) {
        throw fail(Reason.NOT_WAVE, describeMagic(head, got));
      }
      if (got < 12) {
        throw fail(Reason.TRUNCATED, "file ends inside the RIFF header (" + got + " bytes)");
      }
      String form = ascii(head, 8, 4);
      if (!form.equals("WAVE")) {
        throw fail(Reason.NOT_WAVE, "RIFF form type is '" + printable(form) + "', not 'WAVE'");
      }
      Fmt fmt = null;
      byte[] chunkHeader = new byte[8];
      while (true) {
        int n = readUpTo(chunkHeader, 8);
        if (n == 0) {
          throw fail(fmt == null ? Reason.MALFORMED_HEADER : Reason.TRUNCATED,
              fmt == null ? "no fmt and no data chunk" : "no data chunk before the end of the file");
        }
        if (n < 8) {
          throw fail(Reason.TRUNCATED, "file ends inside a chunk header at byte " + (position - n));
        }
        String id = ascii(chunkHeader, 0, 4);
        long size = le32(chunkHeader, 4) & 0xffffffffL;
        switch (id) {
          case "fmt " -> {
            if (fmt != null) {
              throw fail(Reason.MALFORMED_HEADER, "second fmt chunk at byte " + (position - 8));
            }
            fmt = parseFmt(size);
          }
          case "data" -> {
            if (fmt == null) {
              throw fail(Reason.MALFORMED_HEADER, "data chunk before the fmt chunk");
            }
            return dataFormat(fmt, size);
          }
          default -> skip(size + (size & 1), id);
        }
      }
    }

    private WavFormat dataFormat(Fmt fmt, long size) throws AudioFileException {
      int align = fmt.channels * (fmt.bits / 8);
      long frames = size / align;
      if (knownLength >= 0 && position + size > knownLength) {
        long available = Math.max(0, knownLength - position) / align;
        throw fail(Reason.TRUNCATED, "data chunk announces " + frames + " frames (" + size
            + " bytes) but the file holds " + available);
      }
      if (frames == 0) {
        throw fail(Reason.NO_AUDIO, "data chunk of " + size + " bytes holds no complete frame of " + align
            + " bytes");
      }
      return new WavFormat(fmt.encoding, fmt.tag, fmt.bits, fmt.validBits, fmt.channels, fmt.rate, frames);
    }

    private Fmt parseFmt(long size) throws IOException {
      if (size < 16) {
        throw fail(Reason.MALFORMED_HEADER, "fmt chunk of " + size + " bytes (at least 16 expected)");
      }
      if (size > MAX_FMT_BYTES) {
        throw fail(Reason.MALFORMED_HEADER, "fmt chunk claims " + size + " bytes (at most " + MAX_FMT_BYTES
            + " accepted)");
      }
      int padded = (int) (size + (size & 1));
      byte[] f = new byte[padded];
      int n = readUpTo(f, padded);
      if (n < size) {
        throw fail(Reason.TRUNCATED, "file ends inside the fmt chunk");
      }
      int tag = le16(f, 0);
      int channels = le16(f, 2);
      long rate = le32(f, 4) & 0xffffffffL;
      int blockAlign = le16(f, 12);
      int bits = le16(f, 14);
      int validBits = bits;
      int effectiveTag = tag;
      if (tag == 0xFFFE) {
        if (size < 40) {
          throw fail(Reason.MALFORMED_HEADER, "WAVE_FORMAT_EXTENSIBLE fmt chunk of " + size
              + " bytes (40 expected)");
        }
        int declaredValid = le16(f, 18);
        validBits = declaredValid == 0 ? bits : declaredValid;
        effectiveTag = le16(f, 24);
        if (le16(f, 26) != 0 || !Arrays.equals(f, 26, 40, KSDATAFORMAT_SUFFIX, 0, 14)) {
          throw fail(Reason.UNSUPPORTED_ENCODING, "WAVE_FORMAT_EXTENSIBLE sub-format GUID " + guid(f, 24)
              + " is not a KSDATAFORMAT_SUBTYPE (PCM or IEEE float)");
        }
      }
      if (channels == 0) {
        throw fail(Reason.MALFORMED_HEADER, "zero channels");
      }
      if (channels > MAX_CHANNELS) {
        throw fail(Reason.MALFORMED_HEADER, channels + " channels (at most " + MAX_CHANNELS + " accepted)");
      }
      if (rate == 0 || rate > MAX_SAMPLE_RATE) {
        throw fail(Reason.MALFORMED_HEADER, "sample rate " + rate + " Hz (1 to " + MAX_SAMPLE_RATE
            + " accepted)");
      }
      SampleEncoding encoding = encodingOf(effectiveTag, bits);
      if (validBits > bits) {
        throw fail(Reason.MALFORMED_HEADER, validBits + " valid bits in a " + bits + "-bit container");
      }
      if (blockAlign != channels * (bits / 8)) {
        throw fail(Reason.MALFORMED_HEADER, "block align " + blockAlign + " for " + channels + " channels of "
            + bits + " bits (expected " + channels * (bits / 8) + ")");
      }
      return new Fmt(encoding, tag, channels, (int) rate, bits, validBits);
    }

    private SampleEncoding encodingOf(int tag, int bits) throws AudioFileException {
      switch (tag) {
        case 1 -> {
          if (bits == 8) {
            return SampleEncoding.PCM_UNSIGNED;
          }
          if (bits == 16 || bits == 24 || bits == 32) {
            return SampleEncoding.PCM_SIGNED;
          }
          throw fail(Reason.UNSUPPORTED_ENCODING, "PCM with " + bits + "-bit containers (8, 16, 24, 32 supported)");
        }
        case 3 -> {
          if (bits == 32 || bits == 64) {
            return SampleEncoding.FLOAT;
          }
          throw fail(Reason.UNSUPPORTED_ENCODING, "IEEE float with " + bits + " bits (32, 64 supported)");
        }
        case 6, 7 -> {
          if (bits != 8) {
            throw fail(Reason.UNSUPPORTED_ENCODING, "G.711 with " + bits + " bits (8 expected)");
          }
          return tag == 6 ? SampleEncoding.A_LAW : SampleEncoding.MU_LAW;
        }
        default -> throw fail(Reason.UNSUPPORTED_ENCODING, String.format("format tag 0x%04X (%s)", tag,
            formatName(tag)));
      }
    }

    private static String formatName(int tag) {
      return switch (tag) {
        case 0x0000 -> "unknown";
        case 0x0002 -> "Microsoft ADPCM";
        case 0x0011 -> "IMA ADPCM";
        case 0x0031 -> "GSM 6.10";
        case 0x0050 -> "MPEG-1 Layer I/II";
        case 0x0055 -> "MPEG Layer III (MP3 in WAV)";
        case 0x0161, 0x0162, 0x0163 -> "Windows Media Audio";
        case 0x00FF, 0x1600, 0x1610 -> "AAC";
        case 0x2000 -> "AC-3";
        case 0x2001 -> "DTS";
        case 0xF1AC -> "FLAC";
        default -> "not a PCM, float or G.711 encoding";
      };
    }

    private void skip(long bytes, String id) throws IOException {
      if (knownLength >= 0 && position + bytes > knownLength + 1) {
        // +1: tolerate a missing pad byte after a final odd-sized chunk.
        throw fail(Reason.TRUNCATED, "chunk '" + printable(id) + "' announces " + bytes
            + " bytes but the file ends first");
      }
      long left = bytes;
      byte[] scratch = null;
      while (left > 0) {
        long n = in.skip(left);
        if (n <= 0) {
          // skip() may return 0 without EOF; fall back to reading to tell the two apart.
          if (scratch == null) {
            scratch = new byte[8192];
          }
          int r = in.read(scratch, 0, (int) Math.min(scratch.length, left));
          if (r < 0) {
            if (left == 1 && bytes % 2 == 0 && bytes > 0) {
              break; // missing pad byte at EOF: the next header read reports what is missing
            }
            throw fail(Reason.TRUNCATED, "chunk '" + printable(id) + "' announces " + bytes
                + " bytes but the file ends after " + (bytes - left));
          }
          n = r;
        }
        left -= n;
        position += n;
      }
    }

    private int readUpTo(byte[] b, int len) throws IOException {
      int done = 0;
      while (done < len) {
        int n;
        try {
          n = in.read(b, done, len - done);
        } catch (EOFException e) {
          n = -1;
        }
        if (n < 0) {
          break;
        }
        done += n;
      }
      position += done;
      return done;
    }

    private AudioFileException fail(Reason reason, String detail) {
      return new AudioFileException(source, reason, detail);
    }

    private static String describeMagic(byte[] head, int got) {
      if (got >= 3 && head[0] == 'I' && head[1] == 'D' && head[2] == '3') {
        return "starts with an ID3 tag (an MP3 file?)";
      }
      if (got >= 2 && (head[0] & 0xff) == 0xFF && (head[1] & 0xE0) == 0xE0) {
        return "starts with an MPEG audio frame sync (an MP3 file?)";
      }
      String magic = ascii(head, 0, Math.min(got, 4));
      return switch (magic) {
        case "RIFX" -> "big-endian RIFX files are not supported";
        case "RF64", "BW64" -> magic + " (64-bit WAV) is not supported; convert to WAV or split the file";
        case "fLaC" -> "a FLAC file";
        case "OggS" -> "an Ogg file";
        case "FORM" -> "an AIFF file";
        // The file's own bytes are not quoted: a file given by mistake (a key, a config) must not leak into logs.
        default -> "no 'RIFF' magic; the file starts with " + (looksLikeText(head, got) ? "text" : "binary data");
      };
    }

    private static boolean looksLikeText(byte[] head, int got) {
      for (int i = 0; i < got; i++) {
        int c = head[i] & 0xff;
        if (c < 0x09 || (c > 0x0d && c < 0x20) || c == 0x7f) {
          return false;
        }
      }
      return got > 0;
    }

    private static String guid(byte[] f, int at) {
      StringBuilder s = new StringBuilder();
      for (int i = 0; i < 16; i++) {
        s.append(String.format("%02x", f[at + i] & 0xff));
      }
      return s.toString();
    }

    private static int le16(byte[] b, int i) {
      return (b[i] & 0xff) | ((b[i + 1] & 0xff) << 8);
    }

    private static String ascii(byte[] b, int from, int len) {
      char[] c = new char[len];
      for (int i = 0; i < len; i++) {
        c[i] = (char) (b[from + i] & 0xff);
      }
      return new String(c);
    }

    private static String printable(String s) {
      StringBuilder out = new StringBuilder();
      for (char c : s.toCharArray()) {
        if (c >= 0x20 && c < 0x7f) {
          out.append(c);
        } else {
          out.append(String.format("\\x%02x", (int) c));
        }
      }
      return out.toString();
    }
  }

  private record Fmt(SampleEncoding encoding, int tag, int channels, int rate, int bits, int validBits) {}
}
