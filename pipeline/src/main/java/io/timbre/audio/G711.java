package io.timbre.audio;


/** ITU-T G.711 A-law and µ-law expansion tables, scaled to [-1, 1) like 16-bit PCM (value / 32768). */
final class G711 {
  static final float[] A_LAW = new float[256];
  static final float[] MU_LAW = new float[256];

  static {
    for (int i = 0; i < 256; i++) {
      A_LAW[i] = alaw2linear(i) / 32768f;
      MU_LAW[i] = ulaw2linear(i) / 32768f;
    }
  }

  private G711() {}

  // Reference expansions from the ITU-T G.711 software tools (g711.c, public domain).
  private static int alaw2linear(int aVal) {
    aVal ^= 0x55;
    int t = (aVal & 0x0f) << 4;
    int seg = (aVal & 0x70) >> 4;
    switch (seg) {
      case 0:
        t += 8;
        break;
      case 1:
        t += 0x108;
        break;
      default:
        t += 0x108;
        t <<= seg - 1;
    }
    return (aVal & 0x80) != 0 ? t : -t;
  }

  private static int ulaw2linear(int uVal) {
    uVal = ~uVal & 0xff;
    int t = ((uVal & 0x0f) << 3) + 0x84;
    t <<= (uVal & 0x70) >> 4;
    return (uVal & 0x80) != 0 ? (0x84 - t) : (t - 0x84);
  }
}
