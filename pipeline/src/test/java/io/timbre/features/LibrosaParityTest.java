package io.timbre.features;

import static org.assertj.core.api.Assertions.assertThat;

import io.timbre.arrays.Npy;
import io.timbre.audio.MonoAudio;
import io.timbre.audio.WavDecoder;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Parity with librosa's conventions: the reference arrays in test resources were produced by an independent NumPy/SciPy
 * implementation of librosa's defaults (reference/librosa_np.py), at each file's own sample rate.
 */
class LibrosaParityTest {
  private static final double LOGMEL_TOLERANCE_DB = 2e-3;
  private static final double MFCC_TOLERANCE = 2e-3;

  @ParameterizedTest
  @ValueSource(strings = {"sine440_22050", "chirp100-8000_22050", "pink_44100"})
  void logMelMatchesReference(String name) throws IOException {
    MonoAudio audio = decode(name);
    FeatureSpec spec = FeatureSpec.builder().sampleRate(audio.sampleRate()).kind(FeatureKind.LOGMEL).build();
    FeatureMatrix actual = new FeatureExtractor(spec).extract(audio.samples());
    Npy.Array2D expected = reference(name + ".numpy.logmel_db.npy");

    assertThat(actual.frames()).isEqualTo(expected.rows());
    assertThat(actual.bins()).isEqualTo(expected.cols()).isEqualTo(128);
    double maxDiff = maxAbsDiff(actual.values(), expected.values());
    System.out.printf("%s log-mel: %d × %d, max |Δ| = %.3g dB%n", name, actual.frames(), actual.bins(), maxDiff);
    assertThat(maxDiff).isLessThanOrEqualTo(LOGMEL_TOLERANCE_DB);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sine440_22050", "chirp100-8000_22050", "pink_44100"})
  void mfccMatchesReference(String name) throws IOException {
    MonoAudio audio = decode(name);
    FeatureSpec spec = FeatureSpec.builder().sampleRate(audio.sampleRate()).kind(FeatureKind.MFCC).build();
    FeatureMatrix actual = new FeatureExtractor(spec).extract(audio.samples());
    Npy.Array2D expected = reference(name + ".numpy.mfcc.npy");

    assertThat(actual.frames()).isEqualTo(expected.rows());
    assertThat(actual.bins()).isEqualTo(expected.cols()).isEqualTo(40);
    double maxDiff = maxAbsDiff(actual.values(), expected.values());
    System.out.printf("%s MFCC: %d × %d, max |Δ| = %.3g%n", name, actual.frames(), actual.bins(), maxDiff);
    assertThat(maxDiff).isLessThanOrEqualTo(MFCC_TOLERANCE);
  }

  static MonoAudio decode(String name) throws IOException {
    try (InputStream in = LibrosaParityTest.class.getResourceAsStream("/reference/" + name + ".wav")) {
      assertThat(in).as("test resource %s", name).isNotNull();
      return WavDecoder.decodeMono(in, name + ".wav", -1);
    }
  }

  static Npy.Array2D reference(String file) throws IOException {
    try (InputStream in = LibrosaParityTest.class.getResourceAsStream("/reference/" + file)) {
      assertThat(in).as("test resource %s", file).isNotNull();
      return Npy.read(in);
    }
  }

  static double maxAbsDiff(double[] a, double[] b) {
    assertThat(a).hasSameSizeAs(b);
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }
}
