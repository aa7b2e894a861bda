package io.timbre.features;

import static org.assertj.core.api.Assertions.assertThat;

import io.timbre.audio.TestSignals;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The SIMD kernel (Vector API, frames across lanes) and the scalar JTransforms kernel compute the same features:
 * every kind, power-of-two sizes from tiny to large, partial last batches, padded edge frames, both pad modes.
 */
class KernelAgreementTest {
  @Test
  void theBuildRunsTheSimdKernel() {
    // The build's JVM flags enable jdk.incubator.vector, so the default extractor must be the SIMD one; if this fails
    // the flags (pom timbre.jvm.flags / conf/jvm-flags.txt) lost --add-modules=jdk.incubator.vector.
    assertThat(new FeatureExtractor(FeatureSpec.defaults()).kernelName()).startsWith("simd(");
    assertThat(FeatureExtractor.scalar(FeatureSpec.defaults()).kernelName()).isEqualTo("scalar");
  }

  @ParameterizedTest(name = "{0} n_fft={1} hop={2} power={3} pad={4} samples={5}")
  @CsvSource({
      "logmel,2048,512,2,constant,44100", "mfcc,2048,512,2,constant,22050", "stft,2048,512,2,constant,30000",
      "stft_db,1024,256,1,reflect,20000", "logmel,512,128,1,reflect,7777", "mfcc,4096,1024,2,constant,50000",
      "stft,16,4,2,constant,1000", "stft,32,8,1,reflect,999", "logmel,256,64,2,constant,300",
      "stft,8192,2048,2,constant,40000"})
  void simdAndScalarAgree(String kind, int nFft, int hop, int power, String pad, int samples) {
    FeatureSpec.Builder b = FeatureSpec.builder().kind(FeatureKind.fromId(kind)).sampleRate(22050).nFft(nFft)
        .hopLength(hop).power(power).padMode(PadMode.fromId(pad));
    if (nFft < 512) {
      b.nMels(Math.min(40, nFft / 2 + 1)).nMfcc(Math.min(20, Math.min(40, nFft / 2 + 1)));
    }
    FeatureSpec spec = b.build();
    float[] y = TestSignals.music(22050, samples / 22050.0, nFft);
    FeatureMatrix simd = new FeatureExtractor(spec).extract(y);
    FeatureMatrix scalar = FeatureExtractor.scalar(spec).extract(y);
    assertThat(simd.frames()).isEqualTo(scalar.frames()).isEqualTo(spec.frameCount(y.length));
    assertThat(simd.bins()).isEqualTo(scalar.bins());
    double worst = 0;
    for (int i = 0; i < simd.values().length; i++) {
      double a = simd.values()[i];
      double s = scalar.values()[i];
      double tolerance = spec.kind() == FeatureKind.STFT ? 1e-9 * Math.max(1, Math.abs(s)) : 1e-9;
      worst = Math.max(worst, Math.abs(a - s) / tolerance);
      assertThat(Math.abs(a - s)).as("value %d: simd %s vs scalar %s", i, a, s).isLessThanOrEqualTo(tolerance);
    }
    assertThat(worst).isLessThan(1.0);
  }

  @Test
  void theScalarPathAlsoMatchesTheLibrosaReference() throws Exception {
    var audio = LibrosaParityTest.decode("chirp100-8000_22050");
    FeatureSpec spec = FeatureSpec.builder().kind(FeatureKind.MFCC).build();
    FeatureMatrix m = FeatureExtractor.scalar(spec).extract(audio.samples());
    double d = LibrosaParityTest.maxAbsDiff(m.values(),
        LibrosaParityTest.reference("chirp100-8000_22050.numpy.mfcc.npy").values());
    assertThat(d).isLessThan(2e-3);
  }
}
