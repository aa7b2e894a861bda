package io.timbre.audio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StreamingResamplerTest {
  @ParameterizedTest(name = "{0} -> {1} Hz, {2}")
  @CsvSource({"44100,22050,auto", "48000,22050,auto", "44100,16000,auto", "22050,44100,auto", "22050,22050,auto",
      "44100,44099,auto", "44100,22050,vector", "48000,16000,vector", "44100,22050,fft", "48000,16000,fft",
      "44100,22050,direct"})
  void streamingEqualsWholeSignalResampling(int in, int out, String decimator) {
    // Long enough for several blocks of every decimator.
    float[] x = TestSignals.music(in, 3.3, 5);
    Resampler r = ResamplerTest.withDecimator(decimator, in, out);
    float[] whole = r.resample(x);
    float[] streamed = new float[whole.length + 10];
    int[] n = {0};
    StreamingResampler s = new StreamingResampler(r, (buf, off, len) -> {
      System.arraycopy(buf, off, streamed, n[0], len);
      n[0] += len;
    });
    SplittableRandom rng = new SplittableRandom(1);
    for (int i = 0; i < x.length; ) {
      int len = Math.min(x.length - i, 1 + rng.nextInt(5000));
      s.feed(x, i, len);
      i += len;
    }
    s.finish();
    assertThat(n[0]).isEqualTo(whole.length);
    assertThat(java.util.Arrays.copyOf(streamed, n[0])).containsExactly(whole);
  }
}
