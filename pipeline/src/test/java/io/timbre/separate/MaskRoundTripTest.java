package io.timbre.separate;

import static org.assertj.core.api.Assertions.assertThat;

import io.timbre.audio.MonoAudio;
import io.timbre.audio.WavDecoder;
import io.timbre.features.ComplexSpectrogram;
import io.timbre.features.ComplexStft;
import io.timbre.features.FeatureKind;
import io.timbre.features.FeatureSpec;
import io.timbre.features.InverseStft;
import io.timbre.separation.MaskedResynthesis;
import io.timbre.separation.SeparationAudio;
import io.timbre.separation.SeparationFrames;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The path every separated source takes — STFT of the mixture, a mask per source, the mixture's phase, librosa's
 * inverse STFT, a 16-bit WAV — returns the sources when the masks are ideal: two sources sounding at the same time in
 * different frequency bands (so the ideal ratio mask is the exact one), written and read back, match their references
 * to at least 40 dB SNR.
 */
class MaskRoundTripTest {
  @TempDir Path out;

  private static float[] tones(int n, int sr, double[] hz, double amp, SplittableRandom rng) {
    float[] x = new float[n];
    for (double f : hz) {
      double phase = rng.nextDouble() * 2 * Math.PI;
      double wobble = 1 + 0.003 * rng.nextDouble();
      for (int i = 0; i < n; i++) {
        double env = 0.6 + 0.4 * Math.sin(2 * Math.PI * 1.3 * i / sr + phase);
        x[i] += (float) (amp * env * Math.sin(2 * Math.PI * f * wobble * i / sr + phase));
      }
    }
    return x;
  }

  private static double snrDb(float[] reference, float[] estimate) {
    double s = 0;
    double e = 0;
    for (int i = 0; i < reference.length; i++) {
      s += reference[i] * (double) reference[i];
      double d = reference[i] - (double) estimate[i];
      e += d * d;
    }
    return 10 * Math.log10(s / e);
  }

  @Test
  void idealMasksGiveTheSourcesBackThroughTheWrittenWavs() throws Exception {
    int sr = 16000;
    int n = 3 * sr + 123;
    SplittableRandom rng = new SplittableRandom(4);
    float[] low = tones(n, sr, new double[] {196, 294, 392, 523}, 0.12, rng);
    float[] high = tones(n, sr, new double[] {3520, 4186, 5274}, 0.1, rng);
    float[] mixture = new float[n];
    for (int i = 0; i < n; i++) {
      mixture[i] = low[i] + high[i];
    }
    FeatureSpec spec = FeatureSpec.builder().kind(FeatureKind.STFT).power(1.0).sampleRate(sr).nFft(1024)
        .hopLength(256).topDb(null).build();
    SeparationAudio audio = new SeparationAudio(List.of("low", "high"), mixture, new float[][] {low, high}, sr);
    ComplexSpectrogram x = new ComplexStft(spec).forward(mixture);
    float[][] signals = new MaskedResynthesis(new InverseStft(spec)).resynthesise(x,
        MaskedResynthesis.idealRatioEstimates(SeparationFrames.of(audio, new ComplexStft(spec))), 2, n);
    List<StemWriter.Written> written = StemWriter.write(new org.apache.hadoop.fs.Path(out.toUri()), "set/mix.wav",
        List.of("low", "high"), signals, sr, new Configuration());
    assertThat(written).extracting(StemWriter.Written::path).allSatisfy(p -> assertThat(p).contains("set/mix/"));
    float[][] reference = {low, high};
    for (int s = 0; s < 2; s++) {
      MonoAudio back = WavDecoder.decodeMono(Path.of(new org.apache.hadoop.fs.Path(written.get(s).path()).toUri()));
      assertThat(back.sampleRate()).isEqualTo(sr);
      assertThat(back.samples()).hasSize(n);
      assertThat(written.get(s).clippedSamples()).isZero();
      double snr = snrDb(reference[s], back.samples());
      System.out.printf("ideal-mask round trip, %s: %.1f dB SNR%n", written.get(s).source(), snr);
      assertThat(snr).as("SNR of the written %s source", written.get(s).source()).isGreaterThanOrEqualTo(40.0);
    }
  }
}
