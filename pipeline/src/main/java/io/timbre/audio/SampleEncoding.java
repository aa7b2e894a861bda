package io.timbre.audio;


/** How one sample is stored in a WAV data chunk. */
public enum SampleEncoding {
  /** 8-bit unsigned PCM (offset binary, 128 = silence). */
  PCM_UNSIGNED,
  /** Two's-complement little-endian PCM, 16/24/32 bits. */
  PCM_SIGNED,
  /** IEEE 754 little-endian float, 32 or 64 bits. */
  FLOAT,
  /** ITU-T G.711 A-law, 8 bits. */
  A_LAW,
  /** ITU-T G.711 µ-law, 8 bits. */
  MU_LAW
}
