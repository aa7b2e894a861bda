package io.timbre.audio;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Builds RIFF files chunk by chunk, including malformed ones, for decoder tests. */
final class RiffBuilder {
  private final ByteArrayOutputStream body = new ByteArrayOutputStream();
  private String magic = "RIFF";
  private String form = "WAVE";
  private Integer riffSize;

  RiffBuilder magic(String m) {
    this.magic = m;
    return this;
  }

  RiffBuilder form(String f) {
    this.form = f;
    return this;
  }

  RiffBuilder riffSize(int size) {
    this.riffSize = size;
    return this;
  }

  /** A chunk with its true size and a pad byte when odd. */
  RiffBuilder chunk(String id, byte[] data) {
    return chunk(id, data.length, data, true);
  }

  /** A chunk whose header claims {@code declaredSize} whatever data follows. */
  RiffBuilder chunk(String id, long declaredSize, byte[] data, boolean pad) {
    body.writeBytes(id.getBytes(StandardCharsets.US_ASCII));
    body.writeBytes(le32((int) declaredSize));
    body.writeBytes(data);
    if (pad && (data.length & 1) == 1) {
      body.write(0);
    }
    return this;
  }

  RiffBuilder raw(byte[] bytes) {
    body.writeBytes(bytes);
    return this;
  }

  static byte[] fmt(int tag, int channels, int rate, int bits) {
    int align = channels * bits / 8;
    return ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putShort((short) tag)
        .putShort((short) channels).putInt(rate).putInt(rate * align).putShort((short) align)
        .putShort((short) bits).array();
  }

  static byte[] fmtExtensible(int subTag, int channels, int rate, int bits, int validBits) {
    int align = channels * bits / 8;
    ByteBuffer b = ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 0xFFFE)
        .putShort((short) channels).putInt(rate).putInt(rate * align).putShort((short) align)
        .putShort((short) bits).putShort((short) 22).putShort((short) validBits).putInt(0)
        .putShort((short) subTag);
    b.put(new byte[] {0x00, 0x00, 0x00, 0x00, 0x10, 0x00, (byte) 0x80, 0x00, 0x00, (byte) 0xAA, 0x00, 0x38,
        (byte) 0x9B, 0x71});
    return b.array();
  }

  static byte[] le32(int v) {
    return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
  }

  static byte[] pcm16(short... samples) {
    ByteBuffer b = ByteBuffer.allocate(samples.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (short s : samples) {
      b.putShort(s);
    }
    return b.array();
  }

  byte[] build() {
    byte[] content = body.toByteArray();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(magic.getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(le32(riffSize != null ? riffSize : 4 + content.length));
    out.writeBytes(form.getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(content);
    return out.toByteArray();
  }
}
