package io.timbre.sampledata;

import io.timbre.audio.WavWriter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** File writing helpers for the generators (16-bit PCM WAVs and text files, parent folders created). */
final class SampleWriter {
  private SampleWriter() {}

  static void wav16(Path file, float[] interleaved, int channels, int sampleRate) throws IOException {
    Files.createDirectories(file.getParent());
    try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
      WavWriter.writePcm16(os, interleaved, channels, sampleRate);
    }
  }

  static void text(Path file, String content) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, content, StandardCharsets.UTF_8);
  }
}
