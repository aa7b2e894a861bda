package io.timbre.features;

import static io.timbre.features.LibrosaParityTest.decode;
import static io.timbre.features.LibrosaParityTest.maxAbsDiff;
import static io.timbre.features.LibrosaParityTest.reference;
import static org.assertj.core.api.Assertions.assertThat;

import io.timbre.arrays.Npy;
import io.timbre.audio.MonoAudio;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * Parity for the non-default options (HTK scale, no mel norm, fmin/fmax, win_length < n_fft, Hamming window, reflect
 * padding, magnitude spectra with amplitude_to_db, another top_db, deltas, stft_db without floor) against arrays made
 * by reference/options/gen_options.py, which follows librosa's source with NumPy/SciPy.
 */
class OptionsParityTest {
  @Test
  void htkMagnitudeMelWithReflectPaddingAndShortHammingWindow() throws IOException {
    MonoAudio audio = decode("chirp100-8000_22050");
    FeatureSpec spec = optionsSpec(audio).kind(FeatureKind.LOGMEL).build();
    assertMatches(new FeatureExtractor(spec).extract(audio.samples()), "options/chirp_htk_logmel.npy", 1e-9);
  }

  @Test
  void mfccWithFirstAndSecondOrderDeltas() throws IOException {
    MonoAudio audio = decode("chirp100-8000_22050");
    FeatureSpec spec = optionsSpec(audio).kind(FeatureKind.MFCC).nMfcc(20).deltaOrder(2).build();
    FeatureMatrix m = new FeatureExtractor(spec).extract(audio.samples());
    assertThat(m.bins()).isEqualTo(60);
    assertMatches(m, "options/chirp_htk_mfcc_deltas.npy", 1e-9);
  }

  @Test
  void stftDbWithoutFloor() throws IOException {
    MonoAudio audio = decode("pink_44100");
    FeatureSpec spec = FeatureSpec.builder().sampleRate(44100).kind(FeatureKind.STFT_DB).nFft(256).hopLength(441)
        .topDb(null).build();
    assertMatches(new FeatureExtractor(spec).extract(audio.samples()), "options/pink_stft_db.npy", 1e-9);
  }

  private static FeatureSpec.Builder optionsSpec(MonoAudio audio) {
    return FeatureSpec.builder().sampleRate(audio.sampleRate()).nFft(1024).hopLength(256).winLength(800)
        .window(WindowFunction.HAMMING).padMode(PadMode.REFLECT).power(1.0).nMels(64).fmin(50.0)
        .fmax(8000.0).melScale(MelScale.HTK).melNormSlaney(false).topDb(60.0);
  }

  private static void assertMatches(FeatureMatrix actual, String file, double tolerance) throws IOException {
    Npy.Array2D expected = reference(file);
    assertThat(actual.frames()).isEqualTo(expected.rows());
    assertThat(actual.bins()).isEqualTo(expected.cols());
    double d = maxAbsDiff(actual.values(), expected.values());
    System.out.printf("%s: %d × %d, max |Δ| = %.3g%n", file, actual.frames(), actual.bins(), d);
    assertThat(d).isLessThanOrEqualTo(tolerance);
  }
}
