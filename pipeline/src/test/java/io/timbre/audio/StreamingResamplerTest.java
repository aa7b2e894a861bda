package io.timbre.audio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StreamingResamplerTest {
  @ParameterizedTest(name = "{0} -> {1} Hz")
  @CsvSource({"44100,22050", "48000,22050", "44100,16000", "22050,44100", "22050,22050", "44100,44099"})
  void streamingEqualsWholeSignalResampling(int in, int out) {
    float[] x = TestSignals.music(in, 1.3, 5);
    Resampler r = new Resampler(in, out);
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
