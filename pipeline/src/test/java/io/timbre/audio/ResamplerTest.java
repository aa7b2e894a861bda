package io.timbre.audio;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResamplerTest {
  @ParameterizedTest(name = "{0} -> {1} Hz")
  @CsvSource({"44100,22050", "48000,22050", "44100,16000", "22050,44100", "16000,22050", "8000,22050",
      "44100,44099"})
  void passBandIsFlatAndStopBandRejectsAtLeast80Db(int in, int out) {
    Resampler r = new Resampler(in, out);
    double nyquist = Math.min(in, out) / 2.0;
    // Pass band: tones at 10 % and 85 % of the lower Nyquist keep their amplitude within 0.01 dB.
    for (double f : new double[] {0.10 * nyquist, 0.85 * nyquist}) {
      double gainDb = gainDb(r, in, out, f, f);
      assertThat(Math.abs(gainDb)).as("pass-band gain at %.0f Hz", f).isLessThan(0.01);
    }
    // Stop band (only exists when downsampling): a tone above the output Nyquist must vanish (its alias is
    // measured at the folded frequency, which is where it would land).
    if (out < in) {
      for (double f : new double[] {1.02 * out / 2.0, 1.3 * out / 2.0, 0.98 * in / 2.0}) {
        if (f <= out / 2.0 || f >= in / 2.0) {
          continue; // not a stop-band frequency of this pair (e.g. 44,100 -> 44,099 Hz has almost none)
        }
        double alias = Math.abs(out - f % out);
        double gainDb = gainDb(r, in, out, f, alias);
        assertThat(gainDb).as("stop-band rejection of %.0f Hz", f).isLessThan(-80);
      }
    }
  }

  @Test
  void outputLengthIsCeilAndTimeZeroIsAligned() {
    Resampler r = new Resampler(44100, 22050);
    assertThat(r.outputLength(44101)).isEqualTo(22051);
    assertThat(r.outputLength(44100)).isEqualTo(22050);
    assertThat(new Resampler(48000, 22050).outputLength(48000 * 3 + 1)).isEqualTo(22050 * 3 + 1);
    // A slow sine keeps its phase: sample j of the output equals the input at time j / out.
    float[] x = TestSignals.sine(44100, 1, 50, 0.5);
    float[] y = r.resample(x);
    for (int j = 5000; j < 6000; j++) {
      assertThat(y[j]).isCloseTo((float) (0.5 * Math.sin(2 * Math.PI * 50 * j / 22050.0)),
          org.assertj.core.data.Offset.offset(1e-4f));
    }
  }

  @ParameterizedTest(name = "{2}: {0} -> {1} Hz")
  @CsvSource({"44100,22050,vector", "88200,22050,vector", "48000,16000,vector", "44100,11025,vector",
      "44100,22050,fft", "88200,22050,fft", "48000,16000,fft", "44100,11025,fft"})
  void blockDecimatorsEqualTheDirectForm(int in, int out, String kind) {
    float[] x = TestSignals.music(in, 0.7, 2);
    Resampler block = withDecimator(kind, in, out);
    assertThat(block.decimator()).isInstanceOf(kind.equals("fft") ? FftDecimator.class : VectorDecimator.class);
    Resampler direct = withDecimator("direct", in, out);
    assertThat(direct.decimator()).isNull();
    float[] a = block.resample(x);
    float[] b = direct.resample(x);
    assertThat(a).hasSameSizeAs(b);
    for (int i = 0; i < a.length; i++) {
      assertThat(a[i]).as("sample %d", i).isCloseTo(b[i], org.assertj.core.data.Offset.offset(2e-6f));
    }
  }

  static Resampler withDecimator(String kind, int in, int out) {
    return new Resampler(in, out, Resampler.Decimation.valueOf(kind.toUpperCase(java.util.Locale.ROOT)));
  }

  @Test
  void equalRatesAreTheIdentity() {
    float[] x = TestSignals.music(22050, 0.5, 3);
    assertThat(new Resampler(22050, 22050).resample(x)).isSameAs(x);
  }

  @Test
  void dcPassesWithUnitGain() {
    float[] x = new float[48000];
    java.util.Arrays.fill(x, 0.25f);
    float[] y = new Resampler(48000, 22050).resample(x);
    for (int j = 1000; j < y.length - 1000; j++) {
      assertThat(y[j]).isCloseTo(0.25f, org.assertj.core.data.Offset.offset(1e-6f));
    }
  }

  /** Gain in dB from a unit tone at {@code f} Hz to the output's component at {@code measureAt} Hz. */
  private static double gainDb(Resampler r, int in, int out, double f, double measureAt) {
    float[] x = TestSignals.sine(in, 1.0, f, 1.0);
    float[] y = r.resample(x);
    // Skip the edges (the kernel's support) and project on the expected output tone (Hann-windowed DFT bin).
    int from = out / 10;
    int to = y.length - out / 10;
    double re = 0;
    double im = 0;
    double wsum = 0;
    for (int j = from; j < to; j++) {
      double w = 0.5 - 0.5 * Math.cos(2 * Math.PI * (j - from) / (to - from));
      double ph = 2 * Math.PI * measureAt * j / out;
      re += w * y[j] * Math.cos(ph);
      im += w * y[j] * Math.sin(ph);
      wsum += w;
    }
    double amplitude = 2 * Math.hypot(re, im) / wsum;
    return 20 * Math.log10(Math.max(amplitude, 1e-12));
  }
}
