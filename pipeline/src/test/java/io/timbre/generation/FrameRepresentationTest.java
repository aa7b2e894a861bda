package io.timbre.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.timbre.features.ComplexSpectrogram;
import io.timbre.features.ComplexStft;
import io.timbre.features.FeatureKind;
import io.timbre.features.FeatureSpec;
import io.timbre.features.InverseStft;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Both generation representations encode STFT frames and decode them back to the same audio. */
class FrameRepresentationTest {
  static final FeatureSpec SPEC = FeatureSpec.builder().kind(FeatureKind.STFT).power(1.0).sampleRate(16000)
      .nFft(512).hopLength(128).topDb(null).build();

  private static float[] signal(int n) {
    Random r = new Random(5);
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (0.3 * Math.sin(2 * Math.PI * 440 * i / 16000.0) + 0.2 * Math.sin(2 * Math.PI * 1250.7 * i
          / 16000.0 + 1) + 0.02 * r.nextGaussian());
    }
    return x;
  }

  @ParameterizedTest
  @EnumSource(FrameRepresentation.class)
  void encodedFramesDecodeToTheSameAudio(FrameRepresentation rep) {
    float[] x = signal(16000);
    ComplexSpectrogram s = new ComplexStft(SPEC).forward(x);
    float[] frames = rep.encode(s, 512, 128);
    assertThat(frames).hasSize(s.frames() * rep.width(s.bins()));
    float[] back = new InverseStft(SPEC).inverse(rep.decode(frames, s.frames(), s.bins(), 512, 128), x.length);
    double err = 0;
    for (int i = 0; i < x.length; i++) {
      err = Math.max(err, Math.abs(back[i] - x[i]));
    }
    assertThat(err).as("max |decode(encode(stft(x))) - x|").isLessThan(2e-4);
  }

  @Test
  void aStableSinusoidAtABinCentreAdvancesByItsBinFrequency() {
    // 1000 Hz = bin 32 of a 512-point FFT at 16 kHz: its deviation from the bin's expected advance is ~0.
    float[] x = new float[8000];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) Math.sin(2 * Math.PI * 1000 * i / 16000.0);
    }
    ComplexSpectrogram s = new ComplexStft(SPEC).forward(x);
    float[] f = FrameRepresentation.MAGNITUDE_PHASE_ADVANCE.encode(s, 512, 128);
    int w = 2 * s.bins();
    for (int t = 5; t < s.frames() - 5; t++) {
      assertThat(Math.abs(f[t * w + s.bins() + 32])).as("frame %d", t).isLessThan(1e-3f);
    }
  }

  @Test
  void namesParseAndBadInputIsRefused() {
    assertThat(FrameRepresentation.parse("REAL_IMAG")).isEqualTo(FrameRepresentation.REAL_IMAG);
    assertThatThrownBy(() -> FrameRepresentation.parse("mel")).hasMessageContaining("magnitude_phase_advance");
    assertThatThrownBy(() -> FrameRepresentation.REAL_IMAG.decode(new float[3], 1, 2, 4, 1))
        .hasMessageContaining("Cannot decode frames");
    assertThat(FrameRepresentation.wrap(3 * Math.PI)).isCloseTo(-Math.PI, org.assertj.core.data.Offset.offset(1e-12));
  }
}
