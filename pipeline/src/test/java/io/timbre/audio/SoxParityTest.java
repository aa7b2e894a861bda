package io.timbre.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The resampler against SoX's very-high-quality {@code rate -v} on a music-like signal: the difference must stay more
 * than 60 dB below the signal. Needs the {@code sox} binary (Debian package {@code sox}); skipped where it is missing
 * except under CI ({@code CI=true}), where missing it is a failure.
 */
class SoxParityTest {
  @TempDir Path tmp;

  @ParameterizedTest(name = "{0} -> {1} Hz")
  @CsvSource({"44100,22050", "48000,22050", "44100,16000", "22050,44100"})
  void differsFromSoxByMoreThan60DbBelowTheSignal(int in, int out) throws Exception {
    boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
    boolean haveSox = soxAvailable();
    if (ci) {
      assertThat(haveSox).as("sox must be installed under CI (.ci/run installs it)").isTrue();
    }
    assumeTrue(haveSox, "sox not installed (apt-get install sox)");

    float[] x = TestSignals.music(in, 10.0, 11);
    Path src = tmp.resolve("in.wav");
    Path ref = tmp.resolve("sox.wav");
    try (OutputStream os = Files.newOutputStream(src)) {
      WavWriter.write(os, x, 1, in, SampleEncoding.FLOAT, 32, false);
    }
    Process p = new ProcessBuilder("sox", "-V1", src.toString(), "-e", "floating-point", "-b", "32",
        ref.toString(), "rate", "-v", Integer.toString(out)).redirectErrorStream(true).start();
    String soxOutput = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("sox: %s", soxOutput).isZero();

    float[] ours = new Resampler(in, out).resample(x);
    float[] theirs = WavDecoder.decodeMono(ref).samples();
    assertThat(ours.length).isEqualTo(theirs.length);
    // Exclude 50 ms at each end, where both filters run into the zeros outside the signal differently.
    int edge = out / 20;
    double diff = 0;
    double signal = 0;
    for (int j = edge; j < ours.length - edge; j++) {
      double d = ours[j] - theirs[j];
      diff += d * d;
      signal += (double) theirs[j] * theirs[j];
    }
    double db = 10 * Math.log10(diff / signal);
    System.out.printf("resampler vs sox rate -v, %d -> %d Hz: difference %.1f dB below the signal%n", in, out, -db);
    assertThat(db).isLessThan(-60);
  }

  private static boolean soxAvailable() {
    try {
      Process p = new ProcessBuilder("sox", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }
}
