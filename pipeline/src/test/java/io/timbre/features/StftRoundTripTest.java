package io.timbre.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link ComplexStft} and {@link InverseStft}: numpy's rfft sign convention, the extractor's magnitudes, round trip. */
class StftRoundTripTest {
  private static FeatureSpec spec(int nFft, int hop, boolean center, PadMode pad) {
    return FeatureSpec.builder().kind(FeatureKind.STFT).sampleRate(16000).nFft(nFft).hopLength(hop).center(center)
        .padMode(pad).power(1.0).topDb(null).build();
  }

  private static float[] noise(int n, long seed) {
    Random r = new Random(seed);
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      y[i] = (float) (0.3 * r.nextGaussian() + 0.2 * Math.sin(0.01 * i));
    }
    return y;
  }

  @Test
  void phaseFollowsNumpysRfft() {
    // numpy.fft.rfft(cos(2*pi*k0*n/N + phi))[k0] = N/2 * e^{i*phi} for the rectangular window.
    int n = 256;
    int k0 = 10;
    double phi = 0.7;
    FeatureSpec s = FeatureSpec.builder().kind(FeatureKind.STFT).sampleRate(16000).nFft(n).hopLength(n)
        .center(false).window(WindowFunction.RECTANGULAR).power(1.0).topDb(null).build();
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      y[i] = (float) Math.cos(2 * Math.PI * k0 * i / n + phi);
    }
    ComplexSpectrogram x = new ComplexStft(s).forward(y);
    assertThat(x.frames()).isEqualTo(1);
    assertThat(x.re()[k0]).isCloseTo(n / 2.0 * Math.cos(phi), org.assertj.core.data.Offset.offset(1e-3));
    assertThat(x.im()[k0]).isCloseTo(n / 2.0 * Math.sin(phi), org.assertj.core.data.Offset.offset(1e-3));
  }

  @ParameterizedTest
  @CsvSource({"1024, 256, true, CONSTANT", "1024, 256, true, REFLECT", "512, 128, false, CONSTANT",
      "2048, 512, true, CONSTANT"})
  void magnitudeIsTheExtractorsStftAndTheInverseGivesTheSignalBack(int nFft, int hop, boolean center, PadMode pad) {
    FeatureSpec s = spec(nFft, hop, center, pad);
    float[] y = noise(16000 + 123, nFft);
    ComplexSpectrogram x = new ComplexStft(s).forward(y);
    FeatureMatrix expected = new FeatureExtractor(s).extract(y);
    float[] magnitude = x.magnitude();
    assertThat(x.frames()).isEqualTo(expected.frames());
    double worst = 0;
    for (int f = 0; f < x.frames(); f++) {
      for (int b = 0; b < x.bins(); b++) {
        double e = expected.get(f, b);
        worst = Math.max(worst, Math.abs(e - magnitude[f * x.bins() + b]) / (1e-3 + Math.abs(e)));
      }
    }
    assertThat(worst).as("relative difference to FeatureExtractor's stft").isLessThan(1e-4);

    float[] back = new InverseStft(s).inverse(x, y.length);
    assertThat(back).hasSize(y.length);
    // Without centring the first and last n_fft - hop samples are not covered by a full window overlap.
    int from = center ? 0 : nFft;
    int to = center ? y.length : y.length - nFft;
    double err = 0;
    for (int i = from; i < to; i++) {
      err = Math.max(err, Math.abs(back[i] - y[i]));
    }
    assertThat(err).as("max |istft(stft(y)) - y|").isLessThan(1e-5);
  }

  @Test
  void lengthCutsOrPadsLikeLibrosa() {
    FeatureSpec s = spec(1024, 256, true, PadMode.CONSTANT);
    float[] y = noise(5000, 1);
    ComplexSpectrogram x = new ComplexStft(s).forward(y);
    assertThat(new InverseStft(s).inverse(x, 3000)).hasSize(3000);
    float[] longer = new InverseStft(s).inverse(x, 9000);
    assertThat(longer).hasSize(9000);
    assertThat(longer[8999]).isZero();
    assertThatThrownBy(() -> new InverseStft(spec(512, 128, true, PadMode.CONSTANT)).inverse(x, 10))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Cannot invert STFT: 513 bins");
  }
}
