package io.timbre.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.timbre.arrays.Npy;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeaturesCommandTest {
  @TempDir Path tmp;
  private Path pink;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void copyReferenceWav() throws IOException {
    pink = tmp.resolve("pink 44100.wav"); // a space in the name, as real datasets have
    try (InputStream in = getClass().getResourceAsStream("/reference/pink_44100.wav")) {
      Files.copy(in, pink);
    }
  }

  private int run(String... args) {
    return Timbre.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  @Test
  void nativeRateLogMelNpyMatchesTheLibrosaReference() throws IOException {
    Path npy = tmp.resolve("out/pink.npy");
    assertThat(run("features", pink.toString(), "--sr", "native", "--out", npy.toString())).isZero();
    Npy.Array2D actual = read(npy);
    Npy.Array2D expected = reference("pink_44100.numpy.logmel_db.npy");
    assertThat(actual.rows()).isEqualTo(173);
    assertThat(actual.cols()).isEqualTo(128);
    for (int i = 0; i < expected.values().length; i++) {
      assertThat(actual.values()[i]).isCloseTo(expected.values()[i], within(1e-4)); // float32 storage
    }
    assertThat(out.toString()).contains("173 frames × 128 logmel bins at 44100 Hz");
    assertThat(Files.readAllBytes(npy)).startsWith((byte) 0x93, (byte) 'N');
  }

  @Test
  void mfccCsvInFloat64() throws IOException {
    Path csv = tmp.resolve("pink.csv");
    assertThat(run("features", pink.toString(), "--sr", "native", "--kind", "mfcc", "--dtype", "float64",
        "--out", csv.toString())).isZero();
    List<String> lines = Files.readAllLines(csv);
    Npy.Array2D expected = reference("pink_44100.numpy.mfcc.npy");
    assertThat(lines).hasSize(expected.rows());
    for (int t = 0; t < lines.size(); t++) {
      String[] cells = lines.get(t).split(",");
      assertThat(cells).hasSize(40);
      for (int k = 0; k < 40; k++) {
        assertThat(Double.parseDouble(cells[k])).isCloseTo(expected.values()[t * 40 + k], within(1e-9));
      }
    }
  }

  @Test
  void defaultsResampleTo22050AndOptionsOverrideTheSpecFile() throws IOException {
    Path npy = tmp.resolve("default.npy");
    assertThat(run("features", pink.toString(), "--out", npy.toString())).isZero();
    assertThat(read(npy).rows()).isEqualTo(1 + 44100 / 512);
    assertThat(out.toString()).contains("at 22050 Hz");

    Path spec = tmp.resolve("spec.conf");
    Files.writeString(spec, "kind = mfcc\nsample_rate = 16000\nn_mfcc = 13\nn_mels = 40\n");
    Path npy2 = tmp.resolve("spec.npy");
    assertThat(run("features", pink.toString(), "--spec", spec.toString(), "--n-mfcc", "20", "--hop", "160",
        "--out", npy2.toString())).isZero();
    Npy.Array2D m = read(npy2);
    assertThat(m.cols()).isEqualTo(20);
    assertThat(m.rows()).isEqualTo(1 + 32000 / 160);
    assertThat(out.toString()).contains("at 16000 Hz");
  }

  @Test
  void stftAndNFftOptions() throws IOException {
    Path npy = tmp.resolve("stft.npy");
    assertThat(run("features", pink.toString(), "--sr", "native", "--kind", "stft", "--n-fft", "512", "--hop", "256",
        "--out", npy.toString())).isZero();
    Npy.Array2D m = read(npy);
    assertThat(m.cols()).isEqualTo(257);
    assertThat(m.rows()).isEqualTo(1 + 88200 / 256);
  }

  @Test
  void badInputsFailWithOneClearLineAndLeaveNoOutput() throws IOException {
    Path notWav = tmp.resolve("notes.wav");
    Files.writeString(notWav, "not audio at all");
    Path target = tmp.resolve("x.npy");
    assertThat(run("features", notWav.toString(), "--out", target.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("timbre features: " + notWav + ": not a RIFF/WAVE file");
    assertThat(target).doesNotExist();

    assertThat(run("features", tmp.resolve("missing.wav").toString(), "--out", target.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("no such file");
    assertThat(run("features", pink.toString(), "--sr", "fast", "--out", target.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("--sr must be a positive integer or 'native'");
    assertThat(run("features", pink.toString(), "--out", tmp.resolve("x.txt").toString())).isEqualTo(2);
    assertThat(err.toString()).contains("--out must end in .npy or .csv");
    assertThat(run("features", pink.toString(), "--kind", "chroma", "--out", target.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("chroma");
    assertThat(run("features", pink.toString())).isEqualTo(2); // picocli: missing --out
    assertThat(err.toString()).contains("Missing required option: '--out");
    assertThat(target).doesNotExist();
    try (var files = Files.list(tmp)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
    }
  }

  @Test
  void aDirectoryGivenAsInputOrSpecIsNamedInTheOneLineError() throws IOException {
    Path dir = Files.createDirectory(tmp.resolve("a folder.wav"));
    Path target = tmp.resolve("x.npy");
    assertThat(run("features", dir.toString(), "--out", target.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("timbre features: " + dir + ": is a directory, not a WAV file");
    assertThat(run("features", pink.toString(), "--spec", tmp.toString(), "--out", target.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("timbre features: " + tmp + ": is a directory, not a feature spec file");
    assertThat(err.toString().lines()).noneMatch(l -> l.endsWith(": Is a directory"));
    assertThat(target).doesNotExist();
  }

  @Test
  void helpListsTheCommands() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString()).contains("features", "bench");
  }

  private static Npy.Array2D read(Path p) throws IOException {
    try (InputStream in = Files.newInputStream(p)) {
      return Npy.read(in);
    }
  }

  private Npy.Array2D reference(String name) throws IOException {
    try (InputStream in = getClass().getResourceAsStream("/reference/" + name)) {
      return Npy.read(in);
    }
  }
}
