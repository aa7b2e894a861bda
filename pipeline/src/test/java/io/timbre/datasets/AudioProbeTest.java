package io.timbre.datasets;

import static org.assertj.core.api.Assertions.assertThat;

import io.timbre.audio.WavFormat;
import io.timbre.audio.WavWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Headers read ahead on the probe's threads give what reading them one by one gives, in the reader's order. */
class AudioProbeTest {
  @Test
  void prefetchedProbesEqualProbesOneByOne(@TempDir Path tmp) throws IOException {
    List<String> expectedFailures = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      Path f = tmp.resolve(String.format("clip-%02d.wav", i));
      switch (i % 5) {
        case 0 -> wav(f, 44100, 4410 * (1 + i % 7));
        case 1 -> wav(f, 22050, 2205);
        case 2 -> Files.write(f, new byte[0]);
        case 3 -> Files.writeString(f, "not audio at all");
        default -> {
          wav(f, 44100, 44100);
          byte[] b = Files.readAllBytes(f);
          Files.write(f, java.util.Arrays.copyOf(b, 30)); // cut inside the header
        }
      }
      if (i % 5 != 0) {
        expectedFailures.add(f.getFileName().toString());
      }
    }
    Files.writeString(tmp.resolve("notes.txt"), "not probed");
    DatasetRoot root = DatasetRoot.open(tmp.toString(), new Configuration());
    List<FileStatus> files = root.filesBelow(root.path());

    List<QuarantineRecord> oneByOne = new ArrayList<>();
    AudioProbe plain = new AudioProbe(root, "test", 44100, false);
    List<WavFormat> plainFormats = new ArrayList<>();
    for (FileStatus f : files) {
      if (f.getPath().getName().endsWith(".wav")) {
        plainFormats.add(plain.probe(f, oneByOne));
      }
    }
    List<QuarantineRecord> ahead = new ArrayList<>();
    AudioProbe prefetching = new AudioProbe(root, "test", 44100, true);
    List<WavFormat> aheadFormats = new ArrayList<>();
    for (FileStatus f : prefetching.prefetch(files)) {
      if (f.getPath().getName().endsWith(".wav")) {
        aheadFormats.add(prefetching.probe(f, ahead));
      }
    }
    assertThat(aheadFormats).isEqualTo(plainFormats).hasSize(60);
    assertThat(aheadFormats.stream().filter(java.util.Objects::nonNull)).hasSize(12);
    assertThat(ahead).isEqualTo(oneByOne).hasSize(48);
    assertThat(ahead).extracting(QuarantineRecord::errorClass).contains("WrongSampleRate");
    assertThat(ahead).extracting(q -> q.path().substring(q.path().lastIndexOf('/') + 1))
        .containsExactlyInAnyOrderElementsOf(expectedFailures);
    List<ClipRef> clips = new ArrayList<>();
    for (FileStatus f : files) {
      if (f.getPath().getName().endsWith(".wav")) {
        clips.add(ClipRef.of(f.getPath().getName(), "test", f.getPath().toString(), ClipRef.TRAIN, List.of("x"),
            java.util.Map.of(), f.getPath().getName(), f.getLen()));
      }
    }
    assertThat(prefetching.withDurations(clips)).isEqualTo(plain.withDurations(clips));
    assertThat(prefetching.withDurations(clips).get(0).tags()).containsEntry("duration_sec", "0.100");
  }

  private static void wav(Path f, int rate, int frames) throws IOException {
    try (OutputStream os = Files.newOutputStream(f)) {
      WavWriter.writePcm16(os, new float[frames * 2], 2, rate);
    }
  }
}
