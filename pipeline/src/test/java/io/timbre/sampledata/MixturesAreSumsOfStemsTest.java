package io.timbre.sampledata;

import static org.assertj.core.api.Assertions.assertThat;

import io.timbre.audio.WavReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Separation needs mixtures that are their stems' sum: the generators write exactly that, sample for sample. */
class MixturesAreSumsOfStemsTest {
  @TempDir Path dir;

  private static float[] read(Path wav) throws IOException {
    try (WavReader r = WavReader.open(wav)) {
      int channels = r.format().channels();
      float[] out = new float[(int) r.framesRemaining() * channels];
      int at = 0;
      while (at < out.length) {
        int got = r.read(out, at, (out.length - at) / channels);
        if (got <= 0) {
          break;
        }
        at += got * channels;
      }
      return out;
    }
  }

  private static void assertSum(Path mixFile, List<Path> stemFiles) throws IOException {
    float[] mix = read(mixFile);
    float[] sum = new float[mix.length];
    float peak = 0;
    for (Path stem : stemFiles) {
      float[] s = read(stem);
      assertThat(s).as("%s: same length and channels as the mix", stem).hasSameSizeAs(mix);
      for (int i = 0; i < s.length; i++) {
        sum[i] += s[i];
      }
    }
    for (float v : mix) {
      peak = Math.max(peak, Math.abs(v));
    }
    assertThat(peak).as("%s peak (no clipping)", mixFile).isBetween(0.05f, 0.951f);
    assertThat(sum).as("%s = sum of %s", mixFile.getFileName(), stemFiles.size()).containsExactly(mix);
  }

  @Test
  void idmtDrumsMixesAreTheSumOfTheirStems() throws IOException {
    new IdmtDrumsGenerator(2.0).generate(dir, 5, 2);
    List<Path> mixes;
    try (Stream<Path> s = Files.walk(dir)) {
      mixes = s.filter(p -> p.getFileName().toString().endsWith("#MIX.wav")).sorted().toList();
    }
    assertThat(mixes).hasSize(6);
    for (Path mix : mixes) {
      String base = mix.getFileName().toString().replace("#MIX.wav", "");
      List<Path> stems = new ArrayList<>();
      for (String inst : List.of("HH", "KD", "SD")) {
        stems.add(mix.resolveSibling(base + "#" + inst + ".wav"));
      }
      assertSum(mix, stems);
    }
  }

  @Test
  void medleyDbMixesAreTheSumOfTheirStems() throws IOException {
    new MedleyDbGenerator(3.0).generate(dir, 5, 4);
    List<Path> mixes;
    try (Stream<Path> s = Files.walk(dir)) {
      mixes = s.filter(p -> p.getFileName().toString().endsWith("_MIX.wav")).sorted().toList();
    }
    assertThat(mixes).isNotEmpty();
    for (Path mix : mixes) {
      String id = mix.getFileName().toString().replace("_MIX.wav", "");
      List<Path> stems;
      try (Stream<Path> s = Files.list(mix.resolveSibling(id + "_STEMS"))) {
        stems = s.sorted().toList();
      }
      assertThat(stems).hasSizeGreaterThanOrEqualTo(3);
      assertSum(mix, stems);
    }
  }
}
