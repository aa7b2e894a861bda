package io.timbre.audio;

import io.timbre.audio.AudioFileException.Reason;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/** Walks a WAV file's RIFF chunks up to the data chunk and describes what it finds, for {@link WavReader}. */
final class WavHeaderParser {
  private final InputStream in;
  private final String source;
  private final long knownLength;
  private long position;

  WavHeaderParser(InputStream in, String source, long knownLength) {
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
      long size = WavReader.le32(chunkHeader, 4) & 0xffffffffL;
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
    if (size > WavReader.MAX_FMT_BYTES) {
      throw fail(Reason.MALFORMED_HEADER, "fmt chunk claims " + size + " bytes (at most " + WavReader.MAX_FMT_BYTES
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
    long rate = WavReader.le32(f, 4) & 0xffffffffL;
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
      if (le16(f, 26) != 0 || !Arrays.equals(f, 26, 40, WavReader.KSDATAFORMAT_SUFFIX, 0, 14)) {
        throw fail(Reason.UNSUPPORTED_ENCODING, "WAVE_FORMAT_EXTENSIBLE sub-format GUID " + guid(f, 24)
            + " is not a KSDATAFORMAT_SUBTYPE (PCM or IEEE float)");
      }
    }
    if (channels == 0) {
      throw fail(Reason.MALFORMED_HEADER, "zero channels");
    }
    if (channels > WavReader.MAX_CHANNELS) {
      throw fail(Reason.MALFORMED_HEADER, channels + " channels (at most " + WavReader.MAX_CHANNELS + " accepted)");
    }
    if (rate == 0 || rate > WavReader.MAX_SAMPLE_RATE) {
      throw fail(Reason.MALFORMED_HEADER, "sample rate " + rate + " Hz (1 to " + WavReader.MAX_SAMPLE_RATE
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

  private record Fmt(SampleEncoding encoding, int tag, int channels, int rate, int bits, int validBits) {}
}
