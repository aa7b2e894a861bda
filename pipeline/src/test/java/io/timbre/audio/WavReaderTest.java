package io.timbre.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.timbre.audio.AudioFileException.Reason;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WavReaderTest {
  @TempDir Path tmp;

  // ---- Encodings -------------------------------------------------------------------------------------------------

  @Test
  void pcm16ScalesBy2ToThe15AndMixesStereoToTheMean() throws IOException {
    byte[] wav = new RiffBuilder().chunk("fmt ", RiffBuilder.fmt(1, 2, 8000, 16))
        .chunk("data", RiffBuilder.pcm16((short) 16384, (short) -32768, (short) 32767, (short) 1)).build();
    MonoAudio audio = decode(wav);
    assertThat(audio.sampleRate()).isEqualTo(8000);
    assertThat(audio.source().channels()).isEqualTo(2);
    assertThat(audio.source().encoding()).isEqualTo(SampleEncoding.PCM_SIGNED);
    assertThat(audio.samples()).containsExactly((0.5f - 1f) / 2, (32767f / 32768f + 1f / 32768f) / 2);
  }

  @Test
  void pcm8IsUnsignedWithSilenceAt128() throws IOException {
    byte[] wav = new RiffBuilder().chunk("fmt ", RiffBuilder.fmt(1, 1, 8000, 8))
        .chunk("data", new byte[] {(byte) 128, 0, (byte) 255}).build();
    assertThat(decode(wav).samples()).containsExactly(0f, -1f, 127f / 128f);
  }

  @Test
  void pcm24SignExtendsAndScalesBy2ToThe23() throws IOException {
    byte[] data = {0x00, 0x00, (byte) 0x80, (byte) 0xFF, (byte) 0xFF, 0x7F, 0x01, 0x00, 0x00};
    byte[] wav = new RiffBuilder().chunk("fmt ", RiffBuilder.fmt(1, 1, 48000, 24)).chunk("data", data).build();
    assertThat(decode(wav).samples()).containsExactly(-1f, 8388607f / 8388608f, 1f / 8388608f);
  }

  @Test
  void pcm32ScalesBy2ToThe31() throws IOException {
    ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(Integer.MIN_VALUE).putInt(1 << 30);
    byte[] wav = new RiffBuilder().chunk("fmt ", RiffBuilder.fmt(1, 1, 48000, 32)).chunk("data", b.array()).build();
    assertThat(decode(wav).samples()).containsExactly(-1f, 0.5f);
  }

  @Test
  void float32AndFloat64AreReadAsIs() throws IOException {
    ByteBuffer f = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(0.25f).putFloat(-1.5f);
    byte[] wav32 = new RiffBuilder().chunk("fmt ", RiffBuilder.fmt(3, 1, 44100, 32)).chunk("data", f.array())
        .build();
    assertThat(decode(wav32).samples()).containsExactly(0.25f, -1.5f);
    ByteBuffer d = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putDouble(0.125).putDouble(-0.75);
    byte[] wav64 = new RiffBuilder().chunk("fmt ", RiffBuilder.fmt(3, 1, 44100, 64)).chunk("data", d.array())
        .build();
    assertThat(decode(wav64).samples()).containsExactly(0.125f, -0.75f);
  }

  @Test
  void extensibleFloatAnd24In32ContainersDecode() throws IOException {
    ByteBuffer f = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(0.5f).putFloat(0.25f);
    byte[] wav = new RiffBuilder().chunk("fmt ", RiffBuilder.fmtExtensible(3, 2, 96000, 32, 32))
        .chunk("data", f.array()).build();
    MonoAudio audio = decode(wav);
    assertThat(audio.samples()).containsExactly(0.375f);
    assertThat(audio.source().formatTag()).isEqualTo(0xFFFE);

    // 24 valid bits left-justified in 32-bit containers scale by the container: 0x40000000 / 2^31 = 0.5.
    ByteBuffer p = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0x40000000);
    byte[] wav24 = new RiffBuilder().chunk("fmt ", RiffBuilder.fmtExtensible(1, 1, 48000, 32, 24))
        .chunk("data", p.array()).build();
    MonoAudio a24 = decode(wav24);
    assertThat(a24.samples()).containsExactly(0.5f);
    assertThat(a24.source().validBitsPerSample()).isEqualTo(24);
  }

  @Test
  void g711ExpandsLikeTheItuReference() throws IOException {
    // µ-law 0x00 = -32124, 0xFF = 0 (well, -0), 0x80 = +32124; A-law 0xD5 = +8, 0x55 = -8, 0xAA = +32256.
    byte[] mu = new RiffBuilder().chunk("fmt ", RiffBuilder.fmt(7, 1, 8000, 8))
        .chunk("data", new byte[] {0x00, (byte) 0xFF, (byte) 0x80}).build();
    assertThat(decode(mu).samples()).containsExactly(-32124f / 32768f, 0f, 32124f / 32768f);
    byte[] a = new RiffBuilder().chunk("fmt ", RiffBuilder.fmt(6, 1, 8000, 8))
        .chunk("data", new byte[] {(byte) 0xD5, 0x55, (byte) 0xAA}).build();
    assertThat(decode(a).samples()).containsExactly(8f / 32768f, -8f / 32768f, 32256f / 32768f);
  }

  @Test
  void anyChannelCountMixesToTheMean() throws IOException {
    short[] frames = new short[6 * 2];
    for (int c = 0; c < 6; c++) {
      frames[c] = (short) (c * 1000);
      frames[6 + c] = (short) (-c * 2000);
    }
    byte[] wav = new RiffBuilder().chunk("fmt ", RiffBuilder.fmt(1, 6, 48000, 16))
        .chunk("data", RiffBuilder.pcm16(frames)).build();
    MonoAudio audio = decode(wav);
    assertThat(audio.samples()[0]).isCloseTo(2500f / 32768f, within(1e-7f));
    assertThat(audio.samples()[1]).isCloseTo(-5000f / 32768f, within(1e-7f));
  }

  @ParameterizedTest
  @CsvSource({"PCM_SIGNED,16,false", "PCM_SIGNED,24,true", "PCM_SIGNED,32,false", "PCM_UNSIGNED,8,false",
      "FLOAT,32,false", "FLOAT,64,true"})
  void writerAndReaderRoundTripQuantisedSignals(SampleEncoding encoding, int bits, boolean extensible)
      throws IOException {
    float[] stereo = new float[2 * 1000];
    for (int i = 0; i < 1000; i++) {
      stereo[2 * i] = quantised((float) Math.sin(i * 0.01) * 0.9f, encoding, bits);
      stereo[2 * i + 1] = quantised((float) Math.cos(i * 0.013) * 0.5f, encoding, bits);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    WavWriter.write(out, stereo, 2, 22050, encoding, bits, extensible);
    try (WavReader r = WavReader.open(new ByteArrayInputStream(out.toByteArray()), "rt.wav", out.size())) {
      assertThat(r.format().frames()).isEqualTo(1000);
      float[] back = new float[2000];
      int n = 0;
      int got;
      while ((got = r.read(back, n * 2, Math.min(137, 1000 - n))) > 0) {
        n += got;
      }
      assertThat(n).isEqualTo(1000);
      assertThat(back).containsExactly(stereo);
    }
  }

  private static float quantised(float v, SampleEncoding encoding, int bits) {
    if (encoding == SampleEncoding.FLOAT) {
      return v;
    }
    return (float) (WavWriter.quantise(v, bits) / Math.scalb(1.0, bits - 1));
  }

  // ---- Chunk structure -------------------------------------------------------------------------------------------

  @Test
  void unknownAndOddSizedChunksAreSkippedWithTheirPadByte() throws IOException {
    byte[] wav = new RiffBuilder()
        .chunk("LIST", "INFOISFT\0\0\0\5Lavf".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1))
        .chunk("bext", new byte[603])
        .chunk("fmt ", RiffBuilder.fmt(1, 1, 16000, 16))
        .chunk("junk", new byte[7])
        .chunk("data", RiffBuilder.pcm16((short) 100, (short) 200, (short) 300))
        .chunk("cue ", new byte[5]).build();
    assertThat(decode(wav).samples()).containsExactly(100f / 32768, 200f / 32768, 300f / 32768);
  }

  @Test
  void oddSizedDataChunkIgnoresThePartialFrame() throws IOException {
    byte[] wav = new RiffBuilder().chunk("fmt ", RiffBuilder.fmt(1, 1, 16000, 16))
        .chunk("data", new byte[] {0, 64, 0}).build();
    assertThat(decode(wav).samples()).containsExactly(0.5f);
  }

  @Test
  void streamsLongFilesInBoundedBlocks() throws IOException {
    int frames = 200_000; // 800 KB of stereo 16-bit: many blocks
    float[] stereo = new float[frames * 2];
    for (int i = 0; i < frames; i++) {
      stereo[2 * i] = (i % 100) / 128f;
      stereo[2 * i + 1] = -(i % 50) / 128f;
    }
    Path file = tmp.resolve("long.wav");
    try (var os = Files.newOutputStream(file)) {
      WavWriter.writePcm16(os, stereo, 2, 44100);
    }
    try (WavReader r = WavReader.open(file)) {
      float[] block = new float[WavReader.BLOCK_BYTES]; // larger than one block: reads are capped at a block
      long total = 0;
      int n;
      int calls = 0;
      while ((n = r.readMono(block, 0, block.length)) > 0) {
        assertThat(n).isLessThanOrEqualTo(WavReader.BLOCK_BYTES / 4);
        for (int i = 0; i < n; i++) {
          long f = total + i;
          assertThat(block[i]).isEqualTo(((f % 100) / 128f - (f % 50) / 128f) * 0.5f);
        }
        total += n;
        calls++;
      }
      assertThat(total).isEqualTo(frames);
      assertThat(calls).isGreaterThan(10);
      assertThat(r.framesRemaining()).isZero();
    }
  }

  @Test
  void stereo16MonoFastPathIsBitIdenticalToTheMeanOfTheDecodedChannels() throws IOException {
    // Every extreme and sign combination, then random pairs; odd request sizes cross block boundaries.
    int frames = 70_001;
    short[] pcm = new short[frames * 2];
    java.util.SplittableRandom rng = new java.util.SplittableRandom(7);
    short[] edges = {Short.MIN_VALUE, -32767, -1, 0, 1, 32766, Short.MAX_VALUE};
    int k = 0;
    for (short l : edges) {
      for (short r : edges) {
        pcm[k++] = l;
        pcm[k++] = r;
      }
    }
    for (; k < pcm.length; k++) {
      pcm[k] = (short) rng.nextInt(-32768, 32768);
    }
    Path file = tmp.resolve("stereo16.wav");
    Files.write(file, new RiffBuilder().chunk("fmt ", RiffBuilder.fmt(1, 2, 44100, 16))
        .chunk("data", RiffBuilder.pcm16(pcm)).build());
    try (WavReader r = WavReader.open(file)) {
      float[] mono = new float[1000];
      long f = 0;
      int n;
      while ((n = r.readMono(mono, 3, 997 - (int) (f % 7))) > 0) {
        for (int i = 0; i < n; i++, f++) {
          float left = pcm[(int) (2 * f)] / 32768f;
          float right = pcm[(int) (2 * f + 1)] / 32768f;
          assertThat(mono[3 + i]).as("frame %d", f).isEqualTo((left + right) * 0.5f);
        }
      }
      assertThat(f).isEqualTo(frames);
    }
  }

  // ---- Refusals --------------------------------------------------------------------------------------------------

  @Test
  void aFileThatIsNotAudioIsDescribedWithoutQuotingItsContent() {
    AudioFileException e = org.assertj.core.api.Assertions.catchThrowableOfType(
        () -> WavReader.open(new java.io.ByteArrayInputStream("AKIAsecret=xyz\n".getBytes()), "key.wav", 15),
        AudioFileException.class);
    assertThat(e.getMessage()).contains("key.wav", "starts with text").doesNotContain("AKIA");
  }

  @Test
  void emptyFile() {
    assertRefused(new byte[0], Reason.NOT_WAVE, "empty file");
  }

  @Test
  void nonRiffFilesAreNamed() {
    assertRefused("<?xml version='1.0'?>".getBytes(), Reason.NOT_WAVE, "no 'RIFF' magic; the file starts with text");
    assertRefused(new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, Reason.NOT_WAVE, "starts with binary data");
    assertRefused(new byte[] {'I', 'D', '3', 4, 0, 0, 0, 0, 0, 0, 0, 0}, Reason.NOT_WAVE, "MP3");
    assertRefused(new byte[] {(byte) 0xFF, (byte) 0xFB, (byte) 0x90, 0x44}, Reason.NOT_WAVE, "MP3");
    assertRefused("fLaC\0\0\0\"".getBytes(), Reason.NOT_WAVE, "FLAC");
    assertRefused(new RiffBuilder().magic("RIFX").build(), Reason.NOT_WAVE, "big-endian");
    assertRefused(new RiffBuilder().magic("RF64").build(), Reason.NOT_WAVE, "RF64");
    assertRefused(new RiffBuilder().form("AVI ").build(), Reason.NOT_WAVE, "'AVI '");
  }

  @Test
  void unsupportedEncodingsAreNamed() {
    byte[] adpcm = new RiffBuilder().chunk("fmt ", RiffBuilder.fmt(2, 1, 22050, 4)).chunk("data", new byte[64])
        .build();
    assertRefused(adpcm, Reason.UNSUPPORTED_ENCODING, "Microsoft ADPCM");
    byte[] ima = new RiffBuilder().chunk("fmt ", RiffBuilder.fmt(0x11, 1, 22050, 4)).chunk("data", new byte[64])
        .build();
    assertRefused(ima, Reason.UNSUPPORTED_ENCODING, "IMA ADPCM");
    byte[] mp3 = new RiffBuilder().chunk("fmt ", RiffBuilder.fmt(0x55, 2, 44100, 0)).chunk("data", new byte[64])
        .build();
    assertRefused(mp3, Reason.UNSUPPORTED_ENCODING, "MP3 in WAV");
    byte[] pcm12 = new RiffBuilder().chunk("fmt ", RiffBuilder.fmt(1, 1, 8000, 12)).chunk("data", new byte[64])
        .build();
    assertRefused(pcm12, Reason.UNSUPPORTED_ENCODING, "12-bit");
    byte[] float16 = new RiffBuilder().chunk("fmt ", RiffBuilder.fmt(3, 1, 8000, 16)).chunk("data", new byte[64])
        .build();
    assertRefused(float16, Reason.UNSUPPORTED_ENCODING, "IEEE float with 16 bits");
    byte[] guid = RiffBuilder.fmtExtensible(1, 1, 8000, 16, 16);
    guid[30] = 0x11; // not the KSDATAFORMAT suffix (e.g. an Ambisonic B-format GUID)
    assertRefused(new RiffBuilder().chunk("fmt ", guid).chunk("data", new byte[4]).build(),
        Reason.UNSUPPORTED_ENCODING, "GUID");
  }

  @Test
  void malformedHeadersAreRefusedWithoutTrustingTheirSizes() {
    assertRefused(new RiffBuilder().chunk("data", new byte[4]).build(), Reason.MALFORMED_HEADER,
        "data chunk before the fmt chunk");
    assertRefused(new RiffBuilder().chunk("LIST", new byte[4]).build(), Reason.MALFORMED_HEADER,
        "no fmt and no data chunk");
    assertRefused(new RiffBuilder().chunk("fmt ", RiffBuilder.fmt(1, 0, 8000, 16)).chunk("data", new byte[4])
        .build(), Reason.MALFORMED_HEADER, "zero channels");
    assertRefused(new RiffBuilder().chunk("fmt ", RiffBuilder.fmt(1, 60000, 8000, 16))
        .chunk("data", new byte[4]).build(), Reason.MALFORMED_HEADER, "60000 channels");
    assertRefused(new RiffBuilder().chunk("fmt ", RiffBuilder.fmt(1, 1, 0, 16)).chunk("data", new byte[4])
        .build(), Reason.MALFORMED_HEADER, "sample rate 0");
    byte[] badAlign = RiffBuilder.fmt(1, 2, 8000, 16);
    badAlign[12] = 3;
    assertRefused(new RiffBuilder().chunk("fmt ", badAlign).chunk("data", new byte[4]).build(),
        Reason.MALFORMED_HEADER, "block align 3");
    assertRefused(new RiffBuilder().chunk("fmt ", new byte[10]).chunk("data", new byte[4]).build(),
        Reason.MALFORMED_HEADER, "fmt chunk of 10 bytes");
    // A fmt chunk claiming 4 GB: refused before any allocation.
    assertRefused(new RiffBuilder().chunk("fmt ", 0xFFFFFFF0L, new byte[16], false).build(),
        Reason.MALFORMED_HEADER, "fmt chunk claims 4294967280 bytes");
    assertRefused(new RiffBuilder().chunk("fmt ", RiffBuilder.fmt(1, 1, 8000, 16))
        .chunk("fmt ", RiffBuilder.fmt(1, 1, 8000, 16)).chunk("data", new byte[4]).build(),
        Reason.MALFORMED_HEADER, "second fmt chunk");
  }

  @Test
  void truncationIsReportedWhereverItHappens() {
    byte[] good = new RiffBuilder().chunk("fmt ", RiffBuilder.fmt(1, 1, 8000, 16))
        .chunk("data", RiffBuilder.pcm16(new short[100])).build();
    assertRefused(Arrays.copyOf(good, 8), Reason.TRUNCATED, "RIFF header");
    assertRefused(Arrays.copyOf(good, 16), Reason.TRUNCATED, "chunk header");
    assertRefused(Arrays.copyOf(good, 30), Reason.TRUNCATED, "fmt chunk");
    assertRefused(Arrays.copyOf(good, 36), Reason.TRUNCATED, "no data chunk");
    // Known length: refused at open with both counts.
    assertRefused(Arrays.copyOf(good, 100), Reason.TRUNCATED, "announces 100 frames (200 bytes) but the file "
        + "holds 28");
    // Unknown length (a stream): refused when the data runs out.
    assertThatThrownBy(() -> WavDecoder.decodeMono(new ByteArrayInputStream(Arrays.copyOf(good, 100)), "s.wav", -1))
        .isInstanceOf(AudioFileException.class)
        .hasMessageContaining("s.wav: truncated: data chunk announces 100 frames but the file ends after 28")
        .extracting(e -> ((AudioFileException) e).reason()).isEqualTo(Reason.TRUNCATED);
    // An unknown chunk claiming more than the file holds.
    assertRefused(new RiffBuilder().chunk("LIST", 1_000_000, new byte[10], false).build(), Reason.TRUNCATED,
        "chunk 'LIST' announces 1000000 bytes");
  }

  @Test
  void aDataChunkWithoutACompleteFrameHasNoAudio() {
    assertRefused(new RiffBuilder().chunk("fmt ", RiffBuilder.fmt(1, 2, 8000, 16)).chunk("data", new byte[0])
        .build(), Reason.NO_AUDIO, "no complete frame");
    assertRefused(new RiffBuilder().chunk("fmt ", RiffBuilder.fmt(1, 2, 8000, 16)).chunk("data", new byte[3])
        .build(), Reason.NO_AUDIO, "no complete frame");
  }

  @Test
  void nonFiniteFloatSamplesAreRefused() {
    ByteBuffer f = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(0.5f).putFloat(Float.NaN);
    assertRefused(new RiffBuilder().chunk("fmt ", RiffBuilder.fmt(3, 1, 8000, 32)).chunk("data", f.array())
        .build(), Reason.INVALID_SAMPLES, "NaN");
  }

  @Test
  void aHugeDeclaredDataSizeInAStreamDoesNotAllocateIt() {
    // 2 GB declared (a billion frames), 8 bytes present, length unknown: the decoder grows with the data (a 2 GB
    // allocation up front would fail the 4 GB test heap's neighbours), then reports truncation.
    byte[] wav = new RiffBuilder().chunk("fmt ", RiffBuilder.fmt(1, 1, 8000, 16))
        .chunk("data", 0x7FFFFFF0L, new byte[8], false).build();
    assertThatThrownBy(() -> WavDecoder.decodeMono(new ByteArrayInputStream(wav), "big.wav", -1))
        .isInstanceOf(AudioFileException.class).hasMessageContaining("truncated");
    // 4 GB declared: more frames than one array can hold; refused up front with the streaming API named.
    byte[] huge = new RiffBuilder().chunk("fmt ", RiffBuilder.fmt(1, 1, 8000, 16))
        .chunk("data", 0xFFFFFFF0L, new byte[8], false).build();
    assertThatThrownBy(() -> WavDecoder.decodeMono(new ByteArrayInputStream(huge), "huge.wav", -1))
        .isInstanceOf(AudioFileException.class).hasMessageContaining("stream the file with WavReader");
  }

  @Test
  void localFilesAreNamedByPath() throws IOException {
    Path file = tmp.resolve("not-audio.wav");
    Files.writeString(file, "hello");
    assertThatThrownBy(() -> WavDecoder.decodeMono(file)).isInstanceOf(AudioFileException.class)
        .hasMessageStartingWith(file + ": not a RIFF/WAVE file");
  }

  private static MonoAudio decode(byte[] wav) throws IOException {
    return WavDecoder.decodeMono(new ByteArrayInputStream(wav), "test.wav", wav.length);
  }

  private static void assertRefused(byte[] wav, Reason reason, String detail) {
    for (long known : new long[] {wav.length, -1}) {
      if (known < 0 && reason == Reason.TRUNCATED && detail.startsWith("announces")) {
        continue; // without the length this shows up later, while reading (tested separately)
      }
      try (InputStream in = new ByteArrayInputStream(wav)) {
        WavDecoder.decodeMono(in, "bad.wav", known);
        throw new AssertionError("accepted a file that should be refused (" + detail + ")");
      } catch (AudioFileException e) {
        assertThat(e.reason()).as("reason for %s (known length %s): %s", detail, known, e.getMessage())
            .isEqualTo(reason);
        assertThat(e.source()).isEqualTo("bad.wav");
        if (known >= 0) {
          assertThat(e.getMessage()).startsWith("bad.wav: ").contains(detail);
        }
      } catch (IOException e) {
        throw new AssertionError("untyped I/O error for " + detail, e);
      }
    }
  }
}
