package io.timbre.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Hand-worked checks of the building blocks. */
class DspPiecesTest {
  @Test
  void melScalesMatchLibrosaKnownValues() {
    // librosa.hz_to_mel(1000) = 15.0, hz_to_mel(1000, htk=True) = 999.98..., hz_to_mel(440) = 6.6
    assertThat(MelScale.SLANEY.hzToMel(1000)).isCloseTo(15.0, within(1e-12));
    assertThat(MelScale.SLANEY.hzToMel(440)).isCloseTo(6.6, within(1e-12));
    assertThat(MelScale.HTK.hzToMel(1000)).isCloseTo(999.9855371396243, within(1e-9));
    for (double hz : new double[] {0, 100, 999.9, 1000, 4321.5, 11025}) {
      assertThat(MelScale.SLANEY.melToHz(MelScale.SLANEY.hzToMel(hz))).isCloseTo(hz, within(1e-9));
      assertThat(MelScale.HTK.melToHz(MelScale.HTK.hzToMel(hz))).isCloseTo(hz, within(1e-9));
    }
  }

  @Test
  void slaneyNormalisedFiltersHaveEqualAreaInHz() {
    // With area normalisation each triangle (height 2/(f[i+2]-f[i]), base f[i+2]-f[i]) integrates to 1 over Hz,
    // so the sum of its weights times the bin width is ~1 for bands wider than a few bins.
    MelFilterbank fb = MelFilterbank.create(22050, 4096, 40, 0, 11025, MelScale.SLANEY, true);
    double[] d = fb.dense();
    double binHz = 22050.0 / 4096;
    for (int m = 5; m < 40; m++) {
      double sum = 0;
      for (int k = 0; k < fb.nBins(); k++) {
        sum += d[m * fb.nBins() + k];
      }
      assertThat(sum * binHz).as("area of band %d", m).isCloseTo(1.0, within(0.02));
    }
    assertThat(fb.nonZeros()).isLessThan(fb.nMels() * fb.nBins() / 10);
  }

  @Test
  void sparseApplicationEqualsTheDenseProduct() {
    MelFilterbank fb = MelFilterbank.create(44100, 2048, 128, 0, 22050, MelScale.SLANEY, true);
    double[] spectrum = new double[fb.nBins()];
    for (int k = 0; k < spectrum.length; k++) {
      spectrum[k] = Math.abs(Math.sin(k * 0.37)) + k * 1e-3;
    }
    double[] sparse = new double[128];
    fb.apply(spectrum, sparse, 0);
    double[] dense = fb.dense();
    for (int m = 0; m < 128; m++) {
      double s = 0;
      for (int k = 0; k < fb.nBins(); k++) {
        s += dense[m * fb.nBins() + k] * spectrum[k];
      }
      assertThat(sparse[m]).isCloseTo(s, within(1e-12 * Math.max(1, Math.abs(s))));
    }
  }

  @Test
  void orthonormalDctOfAConstantIsItsScaledMean() {
    Dct dct = new Dct(128, 40);
    double[] x = new double[128];
    java.util.Arrays.fill(x, 3.0);
    double[] y = new double[40];
    dct.apply(x, 0, y, 0);
    assertThat(y[0]).isCloseTo(3.0 * Math.sqrt(128), within(1e-12));
    for (int k = 1; k < 40; k++) {
      assertThat(y[k]).isCloseTo(0.0, within(1e-12));
    }
  }

  @Test
  void deltasOfAQuadraticAreItsDerivativesWithInterpEdges() {
    // x[t] = t²: first-order delta (width 9) is 2t inside, and the edges take the LS slope of the first/last 9
    // frames (8 and 2·(n−5)); the second-order delta is 2 everywhere.
    int n = 12;
    double[] m = new double[n * 3];
    for (int t = 0; t < n; t++) {
      m[t * 3] = t * t;
    }
    Deltas.apply(m, n, 3, 0, 1, 1, 9, 1);
    Deltas.apply(m, n, 3, 0, 2, 1, 9, 2);
    for (int t = 0; t < n; t++) {
      double expected = t < 4 ? 8 : t > n - 5 ? 2 * (n - 5) : 2 * t;
      assertThat(m[t * 3 + 1]).as("delta at %d", t).isCloseTo(expected, within(1e-12));
      assertThat(m[t * 3 + 2]).as("delta-delta at %d", t).isCloseTo(2.0, within(1e-12));
    }
    assertThatThrownBy(() -> Deltas.apply(new double[8], 8, 1, 0, 0, 1, 9, 1))
        .hasMessageContaining("fewer than the delta width");
  }

  @Test
  void decibelsFollowPowerToDb() {
    double[] v = {1.0, 0.1, 1e-12, 100.0};
    double max = Decibels.toDb(v, 0, 4, 1.0, 1e-10, false);
    assertThat(v).containsExactly(new double[] {0, -10, -100, 20}, within(1e-12));
    assertThat(max).isEqualTo(20.0);
    Decibels.floor(v, 0, 4, max, 80);
    assertThat(v).containsExactly(new double[] {0, -10, -60, 20}, within(1e-12));
    double[] a = {0.1, 10.0};
    Decibels.toDb(a, 0, 2, 1.0, 1e-5, true);
    assertThat(a).containsExactly(new double[] {-20, 20}, within(1e-12));
  }

  @Test
  void reflectPaddingMirrorsWithoutRepeatingTheEdge() {
    // numpy.pad([0,1,2,3], 5, 'reflect') -> [1,2,3,2,1, 0,1,2,3, 2,1,0,1,2]
    int[] expectedLeft = {1, 2, 3, 2, 1};
    for (int i = 0; i < 5; i++) {
      assertThat(FramePadding.reflectIndex(i - 5, 4)).isEqualTo(expectedLeft[i]);
    }
    int[] expectedRight = {2, 1, 0, 1, 2};
    for (int i = 0; i < 5; i++) {
      assertThat(FramePadding.reflectIndex(4 + i, 4)).isEqualTo(expectedRight[i]);
    }
  }

  @Test
  void silenceAndEmptyInputGiveTheFloorNotNaN() {
    FeatureExtractor fx = new FeatureExtractor(FeatureSpec.builder().kind(FeatureKind.MFCC).build());
    for (float[] y : new float[][] {new float[0], new float[10000]}) {
      FeatureMatrix m = fx.extract(y);
      assertThat(m.frames()).isEqualTo(1 + y.length / 512);
      for (double v : m.values()) {
        assertThat(v).isFinite();
      }
      assertThat(m.get(0, 0)).isCloseTo(-100 * Math.sqrt(128), within(1e-9));
    }
  }
}
